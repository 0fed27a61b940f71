package notify

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// HandleEvents is the notification rules' event handler (store.EventHandler): it stores
// the notifications that events call for, each with its email job, in the events'
// transaction, so that a notification exists if and only if its change committed.
//
//   - case.created: every address of the template's notification policy;
//   - case.assigned: the new assignee;
//   - case.sla-expired: the assignee;
//   - case-comment.created: the users the comment @mentions;
//   - case.resolution-proposed: the people who may confirm the decision (four-eyes).
func HandleEvents(ctx context.Context, tx *store.Tx, events []*docket.Event) error {
	n := &notifier{tx: tx, templates: map[string]*docket.CaseTemplate{}, users: map[string]*docket.User{}}
	for _, e := range events {
		if err := n.event(ctx, e); err != nil {
			return err
		}
	}
	return tx.InsertNotifications(ctx, n.out)
}

// notifier turns one batch of events into notifications, caching the templates and users
// it looks up.
type notifier struct {
	tx        *store.Tx
	templates map[string]*docket.CaseTemplate
	users     map[string]*docket.User
	out       []*docket.Notification
}

func (n *notifier) event(ctx context.Context, e *docket.Event) error {
	switch e.Name {
	case docket.EventCaseCreated, docket.EventCaseAssigned, docket.EventCaseSLAExpired, docket.EventCaseResolutionProposed:
	case docket.EventCommentCreated:
		cm, ok := e.Data.(*docket.Comment)
		if !ok {
			return fmt.Errorf("event %s (%s) carries %T, not a comment", e.ID, e.Name, e.Data)
		}
		return n.mentions(ctx, cm)
	default:
		return nil
	}
	c, ok := e.Data.(*docket.Case)
	if !ok {
		return fmt.Errorf("event %s (%s) carries %T, not a case", e.ID, e.Name, e.Data)
	}
	switch e.Name {
	case docket.EventCaseCreated:
		t, err := n.template(ctx, c.TemplateID)
		if err != nil {
			return err
		}
		for _, email := range t.NotificationPolicy.Emails {
			u, err := n.user(ctx, "email", email)
			if err != nil {
				return err
			}
			n.notify(u, email, docket.NotifyCaseCreated, c, t, "New case "+c.Name,
				fmt.Sprintf("A new %s case, %s, was created.", t.Name, c.Name))
		}
	case docket.EventCaseAssigned:
		return n.assignee(ctx, c, docket.NotifyCaseAssigned, c.Name+" is assigned to you",
			fmt.Sprintf("Case %s is now assigned to you.", c.Name))
	case docket.EventCaseSLAExpired:
		return n.assignee(ctx, c, docket.NotifySLAExpired, c.Name+" passed its SLA",
			fmt.Sprintf("Case %s, assigned to you, passed its SLA deadline without being resolved.", c.Name))
	case docket.EventCaseResolutionProposed:
		return n.confirmers(ctx, c)
	}
	return nil
}

// confirmers tells everyone who may confirm or send back the decision proposed on c: the
// active users whose role grants docket.PermConfirmDecisions and who may see the case,
// except the person who proposed it (who may not confirm it).
func (n *notifier) confirmers(ctx context.Context, c *docket.Case) error {
	if c.Proposal == nil {
		return nil
	}
	t, err := n.template(ctx, c.TemplateID)
	if err != nil {
		return err
	}
	users, err := n.tx.ActiveUsersWithRoles(ctx, docket.RolesWith(docket.PermConfirmDecisions))
	if err != nil {
		return err
	}
	subject := c.Name + ": " + c.Proposal.Status + " awaits your confirmation"
	body := fmt.Sprintf("%s is proposed for case %s, which stays %s until a second person confirms the decision or sends it back.",
		c.Proposal.Status, c.Name, c.Status)
	for _, u := range users {
		if u.ID != c.Proposal.ByUserID {
			n.notify(u, u.Email, docket.NotifyResolutionProposed, c, t, subject, body)
		}
	}
	return nil
}

func (n *notifier) assignee(ctx context.Context, c *docket.Case, kind, subject, body string) error {
	if c.AssigneeID == nil {
		return nil
	}
	u, err := n.user(ctx, "id", *c.AssigneeID)
	if err != nil || u == nil {
		return err
	}
	t, err := n.template(ctx, c.TemplateID)
	if err != nil {
		return err
	}
	n.notify(u, u.Email, kind, c, t, subject, body)
	return nil
}

// maxMentionBody bounds the comment text a mention notification carries.
const maxMentionBody = 1000

// mentions notifies the users a comment mentions as @email. Addresses that belong to no
// user are ignored, so comments cannot be used to mail strangers.
func (n *notifier) mentions(ctx context.Context, cm *docket.Comment) error {
	emails := docket.Mentions(cm.Body)
	if len(emails) == 0 {
		return nil
	}
	c, err := n.tx.FindCase(ctx, cm.CaseID)
	if err != nil {
		return fmt.Errorf("case of comment %s: %w", cm.ID, err)
	}
	t, err := n.template(ctx, c.TemplateID)
	if err != nil {
		return err
	}
	body := cm.Body
	if len(body) > maxMentionBody {
		// Cut on a character boundary: PostgreSQL refuses invalid UTF-8, which would
		// fail the comment itself.
		cut := maxMentionBody
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut] + "..."
	}
	for _, email := range emails {
		u, err := n.user(ctx, "email", email)
		if err != nil {
			return err
		}
		if u != nil {
			n.notify(u, u.Email, docket.NotifyMention, c, t, "You were mentioned on "+c.Name, body)
		}
	}
	return nil
}

// notify adds a notification about case c (of template t), unless it would tell user u
// about a case u may not see: the template's visible-to-roles leaves u's role out.
// Addresses that belong to no user (u nil) are told: a template's notification policy
// names them on purpose.
func (n *notifier) notify(u *docket.User, email, kind string, c *docket.Case, t *docket.CaseTemplate, subject, body string) {
	if u != nil && !docket.UserPrincipal(u).CanSeeTemplate(t) {
		return
	}
	n.add(u, email, kind, c.ID, subject, body)
}

func (n *notifier) add(u *docket.User, email, kind, caseID, subject, body string) {
	x := &docket.Notification{ID: docket.NewID(docket.PrefixNotification), Email: email, Kind: kind, CaseID: caseID,
		Subject: "[Docket] " + subject, Body: body, CreatedAt: n.tx.Now()}
	if u != nil {
		x.UserID = &u.ID
	}
	n.out = append(n.out, x)
}

func (n *notifier) template(ctx context.Context, id string) (*docket.CaseTemplate, error) {
	if t, ok := n.templates[id]; ok {
		return t, nil
	}
	t, err := n.tx.FindTemplate(ctx, id)
	if err != nil {
		return nil, err
	}
	n.templates[id] = t
	return t, nil
}

// user looks a user up by "id" or "email"; a missing user is (nil, nil).
func (n *notifier) user(ctx context.Context, by, v string) (*docket.User, error) {
	if by == "email" {
		v = docket.NormalizeEmail(v)
	}
	key := by + ":" + v
	if u, ok := n.users[key]; ok {
		return u, nil
	}
	find := n.tx.FindUser
	if by == "email" {
		find = n.tx.FindUserByEmail
	}
	u, err := find(ctx, v)
	if docket.ErrorCode(err) == docket.ENotFound {
		u, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	n.users[key] = u
	return u, nil
}
