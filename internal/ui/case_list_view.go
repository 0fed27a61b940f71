package ui

import (
	"context"
	"errors"
	"net/url"
	"slices"
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
	users, err := h.pickerUsers(ctx)
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

// caseListTabStatuses returns the statuses that get a tab: those every template in view
// has (all of the chosen template's), and the status chosen. Listing the union of every
// template's statuses gave a row of a dozen tabs, most for other templates, and a count
// query for each; choosing a template brings its own statuses.
func caseListTabStatuses(inView []*docket.CaseTemplate, current string) []string {
	var out []string
	if len(inView) > 0 {
		for _, s := range inView[0].Statuses {
			if allHaveStatus(inView[1:], s.Name) {
				out = append(out, s.Name)
			}
		}
	}
	if current != "" && !slices.Contains(out, current) {
		out = append(out, current)
	}
	return out
}

func allHaveStatus(templates []*docket.CaseTemplate, name string) bool {
	for _, t := range templates {
		if !slices.ContainsFunc(t.Statuses, func(s docket.Status) bool { return s.Name == name }) {
			return false
		}
	}
	return true
}

// caseListTabs returns "All" and a tab per status shared by the templates in view (the
// chosen template's, or every visible one's; see caseListTabStatuses), each with its count for the other filters. The
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
	names := append([]string{""}, caseListTabStatuses(inView, f.Status)...)
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
			tabs[i].Count, tabs[i].Capped = grouped(min(n, caseListCountCap)), n > caseListCountCap
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

// caseListRow is one case as the list shows it.
type caseListRow struct {
	ID, Name, Template, Status, Assignee string
	Tags                                 []string
	// Proposed is the status awaiting a second person's confirmation, if any.
	Proposed string
	// SLA is the deadline as a countdown (the "sla" partial); a resolved case's says so.
	SLA     sla
	Created when
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
			SLA: slaOf(now, c.SLAExpiresAt), Created: whenOf(now, c.CreatedAt)}
		if c.SLAExpiresAt != nil && (c.ResolvedAt != nil || c.RedactedAt != nil) {
			row.SLA = sla{Text: "resolved"} // its clock no longer runs
		}
		if c.Proposal != nil {
			row.Proposed = c.Proposal.Status
		}
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
		rows[i] = row
	}
	return rows, nil
}
