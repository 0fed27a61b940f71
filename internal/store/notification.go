package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

// caseRef is the part of a case snapshot that notifications need.
type caseRef struct {
	ID         string  `json:"id"`
	TemplateID string  `json:"case-template-id"`
	Name       string  `json:"name"`
	AssigneeID *string `json:"assignee-id"`
}

// notifier turns events into notifications inside the events' transaction, caching the
// templates and users it looks up.
type notifier struct {
	tx        *Tx
	templates map[string]*docket.CaseTemplate
	users     map[string]*docket.User
	out       []*docket.Notification
}

// notifyForEvents stores the notifications that events call for and queues their emails,
// in the events' transaction: a notification exists if and only if its change committed,
// and a mail server that is down only delays the email.
func notifyForEvents(ctx context.Context, tx *Tx, events []*docket.Event) error {
	n := &notifier{tx: tx, templates: map[string]*docket.CaseTemplate{}, users: map[string]*docket.User{}}
	for _, e := range events {
		if err := n.event(ctx, e); err != nil {
			return err
		}
	}
	return n.save(ctx)
}

func (n *notifier) event(ctx context.Context, e *docket.Event) error {
	switch e.Name {
	case docket.EventCaseCreated, docket.EventCaseAssigned, docket.EventCaseSLAExpired:
	case docket.EventCommentCreated:
		return n.mentions(ctx, e)
	default:
		return nil
	}
	var c caseRef
	if err := json.Unmarshal(e.Object, &c); err != nil {
		return fmt.Errorf("read case snapshot: %w", err)
	}
	switch e.Name {
	case docket.EventCaseCreated:
		t, err := n.template(ctx, c.TemplateID)
		if err != nil {
			return err
		}
		for _, email := range t.NotificationPolicy.Emails {
			u, err := n.userByEmail(ctx, email)
			if err != nil {
				return err
			}
			n.add(u, email, docket.NotifyCaseCreated, c, "New case "+c.Name,
				fmt.Sprintf("A new %s case, %s, was created.", t.Name, c.Name))
		}
	case docket.EventCaseAssigned:
		return n.assignee(ctx, c, docket.NotifyCaseAssigned, c.Name+" is assigned to you",
			fmt.Sprintf("Case %s is now assigned to you.", c.Name))
	case docket.EventCaseSLAExpired:
		return n.assignee(ctx, c, docket.NotifySLAExpired, c.Name+" passed its SLA",
			fmt.Sprintf("Case %s, assigned to you, passed its SLA deadline without being resolved.", c.Name))
	}
	return nil
}

func (n *notifier) assignee(ctx context.Context, c caseRef, kind, subject, body string) error {
	if c.AssigneeID == nil {
		return nil
	}
	u, err := n.user(ctx, "id", *c.AssigneeID)
	if err != nil || u == nil {
		return err
	}
	n.add(u, u.Email, kind, c, subject, body)
	return nil
}

// mentions notifies the users a comment mentions as @email. Addresses that belong to no
// user are ignored, so comments cannot be used to mail strangers.
func (n *notifier) mentions(ctx context.Context, e *docket.Event) error {
	var cm docket.Comment
	if err := json.Unmarshal(e.Object, &cm); err != nil {
		return fmt.Errorf("read comment snapshot: %w", err)
	}
	emails := docket.Mentions(cm.Body)
	if len(emails) == 0 {
		return nil
	}
	c := caseRef{ID: cm.CaseID}
	if err := n.tx.queryRow(ctx, `SELECT name FROM cases WHERE id = ?`, cm.CaseID).Scan(&c.Name); err != nil {
		return fmt.Errorf("name of case %s: %w", cm.CaseID, err)
	}
	body := cm.Body
	if len(body) > 1000 {
		// Cut on a character boundary: PostgreSQL refuses invalid UTF-8, which would
		// fail the comment itself.
		cut := 1000
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut] + "..."
	}
	for _, email := range emails {
		u, err := n.userByEmail(ctx, email)
		if err != nil {
			return err
		}
		if u != nil {
			n.add(u, u.Email, docket.NotifyMention, c, "You were mentioned on "+c.Name, body)
		}
	}
	return nil
}

func (n *notifier) add(u *docket.User, email, kind string, c caseRef, subject, body string) {
	ntf := &docket.Notification{ID: docket.NewID(docket.PrefixNotification), Email: email, Kind: kind, CaseID: c.ID,
		Subject: "[Docket] " + subject, Body: body, CreatedAt: n.tx.now}
	if u != nil {
		ntf.UserID = &u.ID
	}
	n.out = append(n.out, ntf)
}

func (n *notifier) template(ctx context.Context, id string) (*docket.CaseTemplate, error) {
	if t, ok := n.templates[id]; ok {
		return t, nil
	}
	t, err := findTemplate(ctx, n.tx.reader(), id, "")
	if err != nil {
		return nil, err
	}
	n.templates[id] = t
	return t, nil
}

func (n *notifier) userByEmail(ctx context.Context, email string) (*docket.User, error) {
	return n.user(ctx, "email", docket.NormalizeEmail(email))
}

// user looks a user up by id or email; a missing user is (nil, nil).
func (n *notifier) user(ctx context.Context, col, v string) (*docket.User, error) {
	key := col + ":" + v
	if u, ok := n.users[key]; ok {
		return u, nil
	}
	u, err := findUser(ctx, n.tx.reader(), col, v)
	if docket.ErrorCode(err) == docket.ENotFound {
		u, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	n.users[key] = u
	return u, nil
}

// save inserts the notifications and queues one email job each.
func (n *notifier) save(ctx context.Context) error {
	if len(n.out) == 0 {
		return nil
	}
	const cols = 8
	params := make([]river.InsertManyParams, len(n.out))
	for i, x := range n.out {
		params[i] = river.InsertManyParams{Args: jobs.SendEmail{NotificationID: x.ID}}
	}
	// Chunks keep each INSERT under the engines' limits on parameters per statement.
	for out := n.out; len(out) > 0; {
		chunk := out[:min(len(out), 500)]
		out = out[len(chunk):]
		args := make([]any, 0, len(chunk)*cols)
		for _, x := range chunk {
			args = append(args, x.ID, strPtrArg(x.UserID), x.Email, x.Kind, x.CaseID, x.Subject, x.Body, ms(x.CreatedAt))
		}
		if _, err := n.tx.exec(ctx, `INSERT INTO notifications (id, user_id, email, kind, case_id, subject, body, created_at)
			VALUES `+rows(len(chunk), cols), args...); err != nil {
			return fmt.Errorf("insert notifications: %w", err)
		}
	}
	if _, err := n.tx.s.jobClient().InsertManyTx(ctx, n.tx.tx, params); err != nil {
		return fmt.Errorf("queue notification emails: %w", err)
	}
	return nil
}

// redactNotifications erases the comment text that a redacted case's mention
// notifications carry (their emails, if still pending, go out without it).
func redactNotifications(ctx context.Context, tx *Tx, caseID string) error {
	if _, err := tx.exec(ctx, `UPDATE notifications SET body = '' WHERE case_id = ? AND kind = ?`, caseID, docket.NotifyMention); err != nil {
		return fmt.Errorf("redact notifications of case %s: %w", caseID, err)
	}
	return nil
}

const notificationCols = `id, user_id, email, kind, case_id, subject, body, created_at, read_at, emailed_at`

func scanNotification(row scanner) (*docket.Notification, error) {
	var x docket.Notification
	var user sql.NullString
	var created int64
	var read, emailed sql.NullInt64
	if err := row.Scan(&x.ID, &user, &x.Email, &x.Kind, &x.CaseID, &x.Subject, &x.Body, &created, &read, &emailed); err != nil {
		return nil, err
	}
	x.UserID, x.CreatedAt, x.ReadAt, x.EmailedAt = nullString(user), fromMS(created), fromNullMS(read), fromNullMS(emailed)
	return &x, nil
}

// ListNotifications returns a page of a user's notifications, newest first.
func (s *Store) ListNotifications(ctx context.Context, userID string, unreadOnly bool, p docket.Page) ([]*docket.Notification, docket.PageResult, error) {
	if _, err := s.FindUser(ctx, userID); err != nil {
		return nil, docket.PageResult{}, err
	}
	where := []string{"user_id = ?"}
	if unreadOnly {
		where = append(where, "read_at IS NULL")
	}
	q, args := listSQL(`SELECT `+notificationCols+` FROM notifications`, where, []any{userID}, "id", p)
	items, r, err := queryPage(ctx, s.reader(), q, args, p, scanNotification)
	if err != nil {
		return nil, r, fmt.Errorf("list notifications of %s: %w", userID, err)
	}
	return items, r, nil
}

// MarkNotificationRead marks one of a user's notifications read (again is a no-op).
func (s *Store) MarkNotificationRead(ctx context.Context, userID, id string) (*docket.Notification, error) {
	var x *docket.Notification
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		x, err = scanNotification(tx.queryRow(ctx, `SELECT `+notificationCols+` FROM notifications WHERE id = ? AND user_id = ?`, id, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return docket.NotFound("notification", id)
		}
		if err != nil || x.ReadAt != nil {
			return err
		}
		x.ReadAt = &tx.now
		_, err = tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ?`, ms(tx.now), id)
		return err
	})
	return x, err
}

// FindNotification returns one notification (for the email worker).
func (s *Store) FindNotification(ctx context.Context, id string) (*docket.Notification, error) {
	x, err := scanNotification(s.reader().QueryRowContext(ctx, `SELECT `+notificationCols+` FROM notifications WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("notification", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find notification %s: %w", id, err)
	}
	return x, nil
}

// MarkNotificationEmailed records that a notification's email was accepted by the server.
func (s *Store) MarkNotificationEmailed(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE notifications SET emailed_at = ? WHERE id = ?`, ms(tx.now), id)
		return err
	})
}
