package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// homeData is the "My work" page: the signed-in user's open cases, most urgent first;
// the active queues with their counts; the latest unread notifications.
type homeData struct {
	Cases []caseRow
	// CaseCount is how many open cases the user holds, capped ("1,000+").
	CaseCount string
	// More says that there are more open cases than the page shows.
	More       bool
	Queues     []queueRow
	MoreQueues bool
	CanWork    bool
	Notes      []noteRow
	// Unread counts the unread notifications, capped like the badge ("99+").
	Unread string
	// Proposals are the decisions awaiting the user's confirmation (home_proposals.go),
	// for those who may confirm them.
	Proposals     []proposalRow
	MoreProposals bool
}

// caseRow is a case as a line of a list.
type caseRow struct {
	ID, Name, Status, Template, Assignee string
	// Href opens the case; from a queue it names the queue, so that the case page can
	// offer the next case.
	Href    string
	SLA     sla
	Created when
}

const (
	// homeCases bounds the open cases My work shows: what needs attention now. The case
	// list pages through everything.
	homeCases = 25
	// homeQueues and homeNotes bound the other two lists of the page.
	homeQueues = 10
	homeNotes  = 5
	// countLimit caps the counts of cases: beyond it a page says "1,000+" rather than
	// read every row.
	countLimit = 1000
)

func (h *Handler) home(w http.ResponseWriter, r *http.Request) error {
	u := auth.UserFrom(r.Context())
	a, err := h.access(r)
	if err != nil {
		return err
	}
	d := homeData{CanWork: a.P.Can(docket.PermWorkCases)}
	if a.P.Can(docket.PermReadCases) {
		if err := h.homeCases(r, a, u, &d); err != nil {
			return err
		}
		if d.Queues, d.MoreQueues, err = h.queueRows(r, a, docket.Page{Size: homeQueues}); err != nil {
			return err
		}
		if err := h.homeProposalRows(r, a, &d); err != nil {
			return err
		}
	}
	if a.P.Can(docket.PermReadNotifications) {
		notes, _, err := h.store.ListNotifications(r.Context(), docket.NotificationFilter{UserID: u.ID, UnreadOnly: true,
			Visibility: a.Vis, Page: docket.Page{Size: homeNotes}})
		if err != nil {
			return err
		}
		d.Notes = h.noteRows(notes)
		n, err := h.store.CountUnreadNotifications(r.Context(), u.ID, a.Vis, badgeLimit)
		if err != nil {
			return err
		}
		d.Unread = badgeText(n)
	}
	return h.render(w, r, http.StatusOK, "home", &View{Title: "My work", Nav: "home", Data: d})
}

// homeCases fills in the user's open cases, most urgent first, and their capped count.
func (h *Handler) homeCases(r *http.Request, a *access, u *docket.User, d *homeData) error {
	cases, err := h.store.ListOpenAssignedCases(r.Context(), u.ID, a.Vis, homeCases+1)
	if err != nil {
		return err
	}
	if d.More = len(cases) > homeCases; d.More {
		cases = cases[:homeCases]
	}
	n := len(cases)
	if d.More {
		if n, err = h.store.CountOpenAssignedCases(r.Context(), u.ID, a.Vis, countLimit); err != nil {
			return err
		}
	}
	d.CaseCount = capped(n, countLimit)
	d.Cases = h.caseRows(a, cases, nil, "")
	return nil
}

// caseRows turns cases into list lines. details, when given, name the assignees;
// queueID, when given, goes into the links so the case page can offer the next case.
func (h *Handler) caseRows(a *access, cases []*docket.Case, details []*docket.CaseDetail, queueID string) []caseRow {
	now := h.auth.Config().Now()
	rows := make([]caseRow, len(cases))
	for i, c := range cases {
		rows[i] = caseRow{ID: c.ID, Name: c.Name, Status: c.Status, Template: a.templateName(c.TemplateID),
			Href: caseHref(c.ID, queueID), SLA: slaOf(now, c.SLAExpiresAt), Created: whenOf(now, c.CreatedAt)}
		if details != nil && details[i].Assignee != nil {
			rows[i].Assignee = or(details[i].Assignee.Name, details[i].Assignee.Email)
		}
	}
	return rows
}

// caseHref links to a case; reached from a queue, the link carries the queue's id.
func caseHref(caseID, queueID string) string {
	if queueID == "" {
		return "/cases/" + caseID
	}
	return "/cases/" + caseID + "?queue=" + queueID
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
