package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/docket-hq/docket"
)

// This file turns the case list's data into what its page shows: the choices of the
// filter form, the status tabs and the rows.

// loadCaseListChoices reads the people, queues and saved views the page offers.
func (h *Handler) loadCaseListChoices(ctx context.Context, u *docket.User, d *caseListData) error {
	users, _, err := h.store.ListUsers(ctx, docket.Page{Size: docket.MaxPageSize})
	if err != nil {
		return err
	}
	sort.SliceStable(users, func(i, j int) bool { return caseListUserName(users[i]) < caseListUserName(users[j]) })
	d.Users = users
	queues, _, err := h.store.ListQueues(ctx, docket.CaseQueueListFilter{Status: docket.QueueActive, Page: docket.Page{Size: docket.MaxPageSize}})
	if err != nil {
		return err
	}
	sort.SliceStable(queues, func(i, j int) bool { return queues[i].Name < queues[j].Name })
	d.Queues = queues
	views, _, err := h.store.ListSavedViews(ctx, docket.SavedViewFilter{UserID: u.ID, Page: docket.Page{Size: docket.MaxSavedViews}})
	if err != nil {
		return err
	}
	sort.SliceStable(views, func(i, j int) bool { return strings.ToLower(views[i].Name) < strings.ToLower(views[j].Name) })
	for _, v := range views {
		d.Views = append(d.Views, savedViewLink{SavedView: v, URL: caseListURL(v.Query), Current: v.Query == d.Query})
	}
	return nil
}

func caseListUserName(u *docket.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// caseListCountBudget is how long the status tabs' counts may take together. Counting
// many cases stops at caseListCountCap, but proving that few cases match a narrow
// filter can mean a long scan; a tab not counted in time shows no number rather than
// hold the page up.
var caseListCountBudget = 20 * time.Millisecond

// caseListCountWorkers bounds how many tab counts run at once.
const caseListCountWorkers = 4

// caseListTabs returns "All" and a tab per status of the templates in view (the chosen
// template's, or every visible one's), each with its count for the other filters. The
// counts run side by side within h.countBudget; each stops at caseListCountCap.
func (h *Handler) caseListTabs(ctx context.Context, f docket.CaseFilter, q url.Values, templates []*docket.CaseTemplate) ([]caseListTab, error) {
	inView := templates
	if f.TemplateID != "" {
		inView = nil
		for _, t := range templates {
			if t.ID == f.TemplateID {
				inView = append(inView, t)
			}
		}
	}
	names := append([]string{""}, caseListStatuses(inView, f.Status)...)
	tabs := make([]caseListTab, len(names))
	for i, name := range names {
		tq := caseListValues(q)
		tq.Set("filter[status]", name)
		tabs[i] = caseListTab{Label: name, URL: caseListURL(docket.CanonicalCaseListQuery(tq)), Current: name == f.Status}
		if name == "" {
			tabs[i].Label = "All"
		}
	}
	counts := make([]int, len(names))
	errs := make([]error, len(names))
	cctx, cancel := context.WithTimeout(ctx, h.countBudget)
	defer cancel()
	slots := make(chan struct{}, caseListCountWorkers)
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			tf := f
			tf.Status, tf.Page = name, docket.Page{}
			counts[i], errs[i] = h.store.CountCases(cctx, tf, caseListCountCap+1)
		}()
	}
	wg.Wait()
	for i, n := range counts {
		switch err := errs[i]; {
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
			tabs[i].Uncounted = true
		case err != nil:
			return nil, err
		default:
			tabs[i].Count, tabs[i].Capped = caseListThousands(min(n, caseListCountCap)), n > caseListCountCap
		}
	}
	return tabs, nil
}

func caseListValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// caseListThousands writes a count with thousands separators: "1,000".
func caseListThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// caseListRow is one case as the list shows it.
type caseListRow struct {
	ID, Name, Template, Status, Assignee string
	Tags                                 []string
	// SLA is the deadline in words ("due in 3h 20m", "breached 2h ago"), SLAState
	// "breached", "due", "resolved" or "none", SLATitle the deadline itself.
	SLA, SLAState, SLATitle string
	// Created is how long ago the case was created; CreatedTitle when exactly.
	Created, CreatedTitle, CreatedISO string
}

// caseListRows describes a page of cases. Assignees missing from users (a site with many
// people) are read once each.
func (h *Handler) caseListRows(ctx context.Context, cases []*docket.Case, a *access, users []*docket.User) ([]caseListRow, error) {
	uname := make(map[string]string, len(users))
	for _, u := range users {
		uname[u.ID] = caseListUserName(u)
	}
	now := h.auth.Config().Now()
	rows := make([]caseListRow, len(cases))
	for i, c := range cases {
		row := caseListRow{ID: c.ID, Name: c.Name, Template: a.templateName(c.TemplateID), Status: c.Status, Tags: c.Tags,
			Created: caseListAgo(now, c.CreatedAt), CreatedTitle: caseListTime(c.CreatedAt), CreatedISO: c.CreatedAt.UTC().Format(time.RFC3339)}
		if c.AssigneeID != nil {
			name, ok := uname[*c.AssigneeID]
			if !ok {
				u, err := h.store.FindUser(ctx, *c.AssigneeID)
				if err != nil {
					return nil, err
				}
				name = caseListUserName(u)
				uname[u.ID] = name
			}
			row.Assignee = name
		}
		row.SLA, row.SLAState, row.SLATitle = caseListSLA(now, c)
		rows[i] = row
	}
	return rows, nil
}

// caseListSLA describes a case's SLA plainly: "due in 3h 20m", "breached 2h ago".
func caseListSLA(now time.Time, c *docket.Case) (words, state, title string) {
	switch {
	case c.SLAExpiresAt == nil:
		return "No SLA", "none", ""
	case c.ResolvedAt != nil || c.RedactedAt != nil:
		return "Resolved", "resolved", "SLA was due " + caseListTime(*c.SLAExpiresAt)
	case !now.Before(*c.SLAExpiresAt):
		return "Breached " + caseListSpan(now.Sub(*c.SLAExpiresAt)) + " ago", "breached", "SLA was due " + caseListTime(*c.SLAExpiresAt)
	}
	return "Due in " + caseListSpan(c.SLAExpiresAt.Sub(now)), "due", "SLA due " + caseListTime(*c.SLAExpiresAt)
}

// caseListAgo says how long ago t was: "just now", "5m ago", "3h ago", "2d ago"; past a month,
// the date.
func caseListAgo(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < 30*24*time.Hour:
		return strings.SplitN(caseListSpan(d), " ", 2)[0] + " ago"
	}
	return t.UTC().Format("2 Jan 2006")
}

// caseListSpan writes a duration in at most two units: "45s", "12m", "3h 20m", "2d 4h".
func caseListSpan(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		h, m := int(d.Hours()), int(d.Minutes())%60
		if m == 0 {
			return fmt.Sprintf("%dh", h)
		}
		return fmt.Sprintf("%dh %dm", h, m)
	}
	days, h := int(d.Hours())/24, int(d.Hours())%24
	if h == 0 {
		return fmt.Sprintf("%dd", days)
	}
	return fmt.Sprintf("%dd %dh", days, h)
}

func caseListTime(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") }
