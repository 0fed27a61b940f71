package ui

import (
	"net/http"
	"net/url"
	"time"

	"github.com/docket-hq/docket"
)

// casePage is what templates/case_show.html shows.
type casePage struct {
	Case     *docket.Case
	Template *docket.CaseTemplate
	Assignee *docket.User
	Related  []*docket.Case
	Redacted bool
	// SLA is the deadline in words ("due in 3h 20m", "breached 2h ago"), for an open
	// case; nil when there is none to meet.
	SLA      *sla
	Created  when
	Resolved *when
	// What the user may do here (Principal.Can); the handlers check again. CanEdit is
	// CanWork on a case that is not redacted.
	CanWork, CanEdit, CanAssignOthers, CanRedact bool
	// CanAudit links to the access log entries that name the case: who opened it.
	CanAudit bool
	// CanClaim offers "assign to me"; CanUnassign offers giving the case up.
	CanClaim, CanUnassign bool
	// StatusChoice is the status the status select shows.
	StatusChoice string
	Me           *docket.User
	Users        []*docket.User
	Fields       []fieldView
	Comments     []commentView
	Timeline     timelineView
	Actions      []actionView
	Run          *runResult
	Objects      objectsView
	// Queue is the queue the page was opened from (?queue=), whose next case it offers.
	Queue *docket.CaseQueue
	// Proposal is the decision awaiting a second person's confirmation, if any.
	Proposal *proposalView
}

// timelinePage is the number of events a page of the timeline shows.
const timelinePage = 50

// casePage gathers the page: the case detail read model, the timeline, the case
// actions and the names of everyone in them, each part in one read.
func (h *Handler) casePage(r *http.Request, cc *caseCtx, v *View) (*casePage, error) {
	ctx := r.Context()
	details, err := h.store.CaseDetails(ctx, []*docket.Case{cc.c}, docket.CaseDetailOptions{Template: true, Assignee: true,
		Accounts: true, Inquiries: true, Reports: true, Transactions: true, Comments: true, RelatedCases: true, Visibility: &cc.vis})
	if err != nil {
		return nil, err
	}
	now, detail := h.now(), details[0]
	d := &casePage{Case: detail.Case, Template: detail.Template, Assignee: detail.Assignee, Related: detail.RelatedCases,
		Redacted: cc.c.RedactedAt != nil, Created: whenOf(now, cc.c.CreatedAt)}
	c := d.Case
	if c.ResolvedAt != nil {
		w := whenOf(now, *c.ResolvedAt)
		d.Resolved = &w
	}
	if c.SLAExpiresAt != nil && c.ResolvedAt == nil && !d.Redacted {
		s := slaOf(now, c.SLAExpiresAt)
		d.SLA = &s
	}
	h.permissions(d, cc)
	d.StatusChoice = c.Status
	if s, ok := v.Form["status"]; ok {
		d.StatusChoice = s
	}
	if d.CanAssignOthers {
		users, err := h.pickerUsers(ctx)
		if err != nil {
			return nil, err
		}
		d.Users = assignableUsers(users, d.Template)
	}
	d.Fields = fieldViews(d.Template, c, v, d.CanEdit, cc.p)
	d.Objects = objectViews(detail, v, cc.p)
	tl, err := h.caseTimeline(r, cc, d.Template)
	if err != nil {
		return nil, err
	}
	if err := h.nameAll(r, d, cc.p, detail.Comments, tl); err != nil {
		return nil, err
	}
	if d.CanEdit {
		if d.Actions, err = h.actionViews(r, c, v); err != nil {
			return nil, err
		}
	}
	d.Run = cc.run
	d.Queue = h.pageQueue(r)
	return d, nil
}

// permissions decides which controls the page offers.
func (h *Handler) permissions(d *casePage, cc *caseCtx) {
	d.Me = cc.p.User
	d.CanWork = cc.p.Can(docket.PermWorkCases)
	d.CanAssignOthers = cc.p.Can(docket.PermAssignOthers)
	d.CanRedact = cc.p.Can(docket.PermRedactCases)
	d.CanAudit = cc.p.Can(docket.PermAudit)
	d.CanEdit = d.CanWork && !d.Redacted
	if d.Redacted {
		return
	}
	holder := ""
	if d.Case.AssigneeID != nil {
		holder = *d.Case.AssigneeID
	}
	d.CanClaim = holder != d.Me.ID && cc.p.CanAssign(holder, d.Me.ID)
	d.CanUnassign = holder != "" && cc.p.CanAssign(holder, "")
}

// nameAll names, in one read, the authors of the comments and of the timeline's events,
// the assignees its case snapshots mention and the proposer of a decision awaiting
// confirmation, then builds the comment, timeline and proposal views.
func (h *Handler) nameAll(r *http.Request, d *casePage, p docket.Principal, comments []*docket.Comment, tl *timelineData) error {
	actors := tl.actors()
	for _, cm := range comments {
		actors = append(actors, cm.Commenter)
	}
	if d.Case.Proposal != nil {
		actors = append(actors, d.Case.Proposal.By)
	}
	names, err := h.store.NameActors(r.Context(), actors)
	if err != nil {
		return err
	}
	now := h.now()
	d.Comments = commentViews(now, comments, names)
	d.Timeline = tl.view(now, names)
	d.Proposal = proposalOf(now, d, p, comments, names)
	return nil
}

// now is the dashboard's clock (the sign-in clock, which tests set).
func (h *Handler) now() time.Time { return h.auth.Config().Now().UTC() }

// pageQueue is the queue the case page was opened from: ?queue= on the page, or, when a
// refused change shows the page again, the queue its form posted back.
func (h *Handler) pageQueue(r *http.Request) *docket.CaseQueue {
	q := r.PostFormValue("queue")
	if r.Method == http.MethodGet || q == "" {
		return h.queueFrom(r)
	}
	u := *r.URL
	u.RawQuery = url.Values{"queue": {q}}.Encode()
	r2 := *r
	r2.URL = &u
	return h.queueFrom(&r2)
}
