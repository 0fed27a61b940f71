package ui

import (
	"net/http"
	"net/url"

	"github.com/docket-hq/docket"
)

// adminListSize is how many rows an administration list shows a page.
const adminListSize = 50

// statusTab is one tab of a list filtered by status ("" is All).
type statusTab struct {
	Label, URL string
	Current    bool
}

// pager holds a list page's links to the pages before and after it ("" for none).
type pager struct{ Prev, Next string }

// statusList reads a list page's ?status= (one of statuses, or "" for all) and
// ?after= / ?before= cursors (ids with prefix), and builds its status tabs.
type statusList struct {
	base, status string
	page         docket.Page
	Tabs         []statusTab
}

func readStatusList(r *http.Request, base, prefix string, statuses []string) statusList {
	q := r.URL.Query()
	l := statusList{base: base, page: docket.Page{Size: adminListSize}}
	for _, s := range statuses {
		if q.Get("status") == s {
			l.status = s
		}
	}
	if v := q.Get("after"); docket.ValidID(prefix, v) {
		l.page.After = v
	} else if v := q.Get("before"); docket.ValidID(prefix, v) {
		l.page.Before = v
	}
	for _, s := range append([]string{""}, statuses...) {
		label := s
		if s == "" {
			label = "All"
		}
		l.Tabs = append(l.Tabs, statusTab{Label: label, URL: l.url(s, "", ""), Current: s == l.status})
	}
	return l
}

// url is the list's address with a status and a cursor.
func (l statusList) url(status, param, id string) string {
	q := url.Values{}
	if status != "" {
		q.Set("status", status)
	}
	if id != "" {
		q.Set(param, id)
	}
	if len(q) == 0 {
		return l.base
	}
	return l.base + "?" + q.Encode()
}

// pager builds the links around a page whose first and last rows have the ids given.
func (l statusList) pager(first, last string, pr docket.PageResult) pager {
	var p pager
	if pr.HasPrev && first != "" {
		p.Prev = l.url(l.status, "before", first)
	}
	if pr.HasNext && last != "" {
		p.Next = l.url(l.status, "after", last)
	}
	return p
}

// workflowListPage is what templates/admin_workflows.html shows.
type workflowListPage struct {
	statusList
	Status    string
	Workflows []workflowRow
	Pager     pager
}

type workflowRow struct {
	*docket.Workflow
	Updated when
}

var workflowStatuses = []string{docket.WorkflowDraft, docket.WorkflowActive, docket.WorkflowPaused, docket.WorkflowArchived}

// adminWorkflowList serves GET /admin/workflows: every workflow with its status and
// the version that runs, newest first (ListWorkflows, as GET /api/v1/workflows).
func (h *Handler) adminWorkflowList(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageWorkflows); err != nil {
		return err
	}
	l := readStatusList(r, "/admin/workflows", docket.PrefixWorkflow, workflowStatuses)
	list, pr, err := h.store.ListWorkflows(r.Context(), docket.WorkflowFilter{Status: l.status, Page: l.page})
	if err != nil {
		return err
	}
	d := &workflowListPage{statusList: l, Status: l.status}
	now := h.now()
	for _, wf := range list {
		d.Workflows = append(d.Workflows, workflowRow{Workflow: wf, Updated: whenOf(now, wf.UpdatedAt)})
	}
	if len(list) > 0 {
		d.Pager = l.pager(list[0].ID, list[len(list)-1].ID, pr)
	}
	return h.render(w, r, http.StatusOK, "admin_workflows", &View{Title: "Workflows", Nav: "admin", Data: d})
}
