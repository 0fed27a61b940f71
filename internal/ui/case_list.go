package ui

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// The case list (/cases): filters in the URL (the API's GET /cases parameters, so that
// a view can be shared and saved), status tabs with capped counts, a page of cases in
// keyset order, saved views beside the filters, and bulk actions for those allowed.

// caseListPageSize is how many cases one page shows: enough to work through, few enough
// for the page to stay well under 100 KB.
const caseListPageSize = 50

// caseListCountCap bounds a status tab's count: a count reads at most this many index
// entries (and one more, to know there are more) and shows "1,000+" beyond.
const caseListCountCap = 1000

// caseListData is what templates/case_list.html shows.
type caseListData struct {
	// Form holds the filters as the URL gave them, to fill the filter form.
	Form caseListForm
	// Query is the canonical query of the filters (no paging): what "Save view" keeps.
	Query string
	// Self is this page's address, for forms that come back to it.
	Self string
	// Failed says the filters were refused (the message is beside its field): no cases
	// are listed.
	Failed    bool
	Templates []*docket.CaseTemplate
	Users     []*docket.User
	Queues    []*docket.CaseQueue
	Tabs      []caseListTab
	Rows      []caseListRow
	Prev      string
	Next      string
	Views     []savedViewLink
	CanSave   bool
	// CanBulk shows the selection checkboxes and the bulk form (docket.PermBulkActions).
	CanBulk bool
	// NewCase lists the templates the user may open a case of (docket.PermWorkCases).
	NewCase  []*docket.CaseTemplate
	Statuses []string
	// FiltersOpen unfolds the filters on a phone: one of them was refused and its
	// message must be seen.
	FiltersOpen bool
}

// caseListForm is the filter form's values, as given in the URL.
type caseListForm struct {
	Q, Status, TemplateID, Assignee, QueueID, Tag, SLA, CreatedStart, CreatedEnd, Sort string
}

// Active counts the filters set beside the search box and the status tab, for the
// folded "Filters" summary on a phone.
func (f caseListForm) Active() int {
	n := 0
	for _, v := range []string{f.TemplateID, f.Assignee, f.QueueID, f.Tag, f.SLA, f.CreatedStart, f.CreatedEnd} {
		if v != "" {
			n++
		}
	}
	return n
}

// caseListTab is a status tab: a link to the same filters with that status.
type caseListTab struct {
	Label string
	URL   string
	// Count is the number of cases, up to caseListCountCap; Capped says there are more;
	// Uncounted that counting took too long (see caseListCountBudget).
	Count     string
	Capped    bool
	Uncounted bool
	Current   bool
}

// savedViewLink is a saved view in the list beside the filters.
type savedViewLink struct {
	*docket.SavedView
	URL     string
	Current bool
}

func (h *Handler) caseList(w http.ResponseWriter, r *http.Request) error {
	v := &View{Title: "Cases", Nav: "cases", Errors: map[string]string{}}
	d, err := h.loadCaseList(r, r.URL.Query(), v)
	if err != nil {
		return err
	}
	v.Data = d
	status := http.StatusOK
	if d.Failed {
		status = http.StatusBadRequest
	}
	return h.render(w, r, status, "case_list", v)
}

// loadCaseList gathers the case list for the query q (the request's own, or the one a
// refused form came from). A refused filter is not an error: its message goes into
// v.Errors beside the field and the page lists nothing.
func (h *Handler) loadCaseList(r *http.Request, q url.Values, v *View) (*caseListData, error) {
	ctx := r.Context()
	u := auth.UserFrom(ctx)
	a, err := h.access(r)
	if err != nil {
		return nil, err
	}
	p, vis := a.P, a.Vis
	d := &caseListData{
		Form: caseListForm{Q: q.Get("filter[q]"), Status: q.Get("filter[status]"), TemplateID: q.Get("filter[case-template-id]"),
			Assignee: q.Get("filter[assignee-id]"), QueueID: q.Get("filter[case-queue-id]"), Tag: q.Get("filter[tag]"),
			SLA: q.Get("filter[sla]"), CreatedStart: q.Get("filter[created-at-start]"), CreatedEnd: q.Get("filter[created-at-end]"),
			Sort: q.Get("sort")},
		Query:   docket.CanonicalCaseListQuery(q),
		CanSave: p.Can(docket.PermSaveViews),
		CanBulk: p.Can(docket.PermBulkActions),
	}
	d.Self = caseListURL(d.Query)
	if raw := q.Encode(); raw != "" {
		d.Self = "/cases?" + raw
	}
	for _, t := range a.Templates {
		if !vis.Hides(t.ID) {
			d.Templates = append(d.Templates, t)
		}
	}
	slices.SortFunc(d.Templates, func(x, y *docket.CaseTemplate) int {
		return cmp.Or(strings.Compare(x.Name, y.Name), strings.Compare(x.ID, y.ID))
	})
	d.Statuses = caseListStatuses(d.Templates, "")
	if p.Can(docket.PermWorkCases) {
		d.NewCase = caseNewTemplates(a)
	}
	if err := h.loadCaseListChoices(ctx, u, d); err != nil {
		return nil, err
	}
	f, err := docket.ParseCaseFilter(q.Get, u.ID)
	if err == nil {
		f.Page, err = caseListPage(q)
	}
	if err != nil {
		return d, caseListRefused(err, v, d)
	}
	f.Visibility = vis
	// The tabs count while the page is read: the page then costs the slower of the two
	// (the counts stop at h.countBudget), not their sum.
	tabsDone := make(chan error, 1)
	go func() {
		var err error
		d.Tabs, err = h.caseListTabs(ctx, f, q, d.Templates)
		tabsDone <- err
	}()
	cases, pr, err := h.store.ListCases(ctx, f)
	tabsErr := <-tabsDone
	if err != nil {
		return d, caseListRefused(err, v, d)
	}
	if tabsErr != nil {
		return nil, tabsErr
	}
	if d.Rows, err = h.caseListRows(ctx, cases, a, d.Users); err != nil {
		return nil, err
	}
	d.Prev, d.Next = caseListPaging(q, d.Query, cases, pr)
	return d, nil
}

// caseListRefused records a refused filter or cursor beside its field; other errors
// pass through.
func caseListRefused(err error, v *View, d *caseListData) error {
	var e *docket.Error
	if !errors.As(err, &e) || (e.Code != docket.EBadRequest && e.Code != docket.EInvalid) {
		return err
	}
	key := e.Parameter
	if !slices.Contains(docket.CaseListParams, key) {
		key = ""
	}
	v.Errors[key] = e.Message
	d.Failed = true
	d.FiltersOpen = key != "" && key != "filter[q]"
	return nil
}

// caseListPage reads the page parameters, as the API does: a page size up to
// docket.MaxPageSize and a case id as cursor.
func caseListPage(q url.Values) (docket.Page, error) {
	p := docket.Page{Size: caseListPageSize, After: q.Get("page[after]"), Before: q.Get("page[before]")}
	if v := q.Get("page[size]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > docket.MaxPageSize {
			return p, &docket.Error{Code: docket.EBadRequest, Message: "The page size must be a whole number from 1 to 100.", Parameter: "page[size]"}
		}
		p.Size = n
	}
	for _, c := range []string{p.After, p.Before} {
		if c != "" && !docket.ValidID(docket.PrefixCase, c) {
			return p, &docket.Error{Code: docket.EBadRequest, Message: "This page link is broken: start again from the first page.", Parameter: "page"}
		}
	}
	if p.After != "" && p.Before != "" {
		p.Before = ""
	}
	return p, nil
}

// caseListURL returns the case list's address for a canonical query.
func caseListURL(query string) string {
	if query == "" {
		return "/cases"
	}
	return "/cases?" + query
}

// caseListPaging returns the links to the previous and next pages ("" where there is
// none). They keep the filters and the page size.
func caseListPaging(q url.Values, query string, cases []*docket.Case, pr docket.PageResult) (prev, next string) {
	link := func(param, id string) string {
		s := query
		if s != "" {
			s += "&"
		}
		s += param + "=" + url.QueryEscape(id)
		if size := q.Get("page[size]"); size != "" {
			s += "&page[size]=" + url.QueryEscape(size)
		}
		return "/cases?" + s
	}
	if len(cases) == 0 {
		return "", ""
	}
	if pr.HasPrev {
		prev = link("page[before]", cases[0].ID)
	}
	if pr.HasNext {
		next = link("page[after]", cases[len(cases)-1].ID)
	}
	return prev, next
}

// caseListStatuses returns the status names of the templates, each once, in the
// templates' order; extra, if not among them, comes last (a status typed in the URL).
func caseListStatuses(templates []*docket.CaseTemplate, extra string) []string {
	var out []string
	for _, t := range templates {
		for _, s := range t.Statuses {
			if !slices.Contains(out, s.Name) {
				out = append(out, s.Name)
			}
		}
	}
	if extra != "" && !slices.Contains(out, extra) {
		out = append(out, extra)
	}
	return out
}
