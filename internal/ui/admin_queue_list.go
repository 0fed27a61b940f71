package ui

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// adminQueueRow is a queue as a line of /admin/queues.
type adminQueueRow struct {
	queueRow
	// Filter says in words which cases the filter selects.
	Filter string
}

// adminQueues serves GET /admin/queues: every queue, active ones first, with what its
// filter selects and how many cases it holds and how many wait (what the user may see).
func (h *Handler) adminQueues(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageQueues)
	if err != nil {
		return err
	}
	queues, err := h.allQueues(r)
	if err != nil {
		return err
	}
	users, err := h.tmplUsers(r.Context())
	if err != nil {
		return err
	}
	rows := make([]adminQueueRow, 0, len(queues))
	for _, q := range queues {
		row := adminQueueRow{Filter: queueFilterText(q.Filter, a, users)}
		if q.Status == docket.QueueActive {
			n, err := h.store.CountQueueCases(r.Context(), q.ID, a.Vis, countLimit)
			if err != nil {
				return err
			}
			row.queueRow = queueRowOf(q, n)
		} else {
			row.queueRow = queueRow{ID: q.ID, Name: q.Name, Archived: true}
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(x, y adminQueueRow) int { return activeFirst(x.Archived, y.Archived, x.Name, y.Name, x.ID, y.ID) })
	return h.render(w, r, http.StatusOK, "admin_queues", &View{Title: "Queues", Nav: "admin", Data: rows})
}

// allQueues reads every queue, active and archived.
func (h *Handler) allQueues(r *http.Request) ([]*docket.CaseQueue, error) {
	return everyPage(func(p docket.Page) ([]*docket.CaseQueue, docket.PageResult, error) {
		return h.store.ListQueues(r.Context(), docket.CaseQueueListFilter{Page: p})
	}, func(q *docket.CaseQueue) string { return q.ID }, 0)
}

// everyPage reads the pages of a list in the list's order, up to limit items (0: every
// page); id gives an item's cursor.
func everyPage[T any](list func(docket.Page) ([]T, docket.PageResult, error), id func(T) string, limit int) ([]T, error) {
	var all []T
	p := docket.Page{Size: docket.MaxPageSize}
	for limit == 0 || len(all) < limit {
		items, pr, err := list(p)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if !pr.HasNext || len(items) == 0 {
			break
		}
		p.After = id(items[len(items)-1])
	}
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, nil
}

// activeFirst orders admin list rows: active before archived, then by name in any
// letter case, then by id.
func activeFirst(xArchived, yArchived bool, xName, yName, xID, yID string) int {
	if xArchived != yArchived {
		if xArchived {
			return 1
		}
		return -1
	}
	return cmp.Or(strings.Compare(strings.ToLower(xName), strings.ToLower(yName)), strings.Compare(xID, yID))
}

// queueFilterText says which cases a filter selects: "Templates: KYC · Statuses: Open".
func queueFilterText(f docket.CaseQueueFilter, a *access, users []*docket.User) string {
	if f.Empty() {
		return "Only the cases put in it"
	}
	var parts []string
	if len(f.TemplateIDs) > 0 {
		names := make([]string, len(f.TemplateIDs))
		for i, id := range f.TemplateIDs {
			names[i] = cmp.Or(a.templateName(id), id)
		}
		parts = append(parts, "Templates: "+strings.Join(names, ", "))
	}
	if len(f.Statuses) > 0 {
		parts = append(parts, "Statuses: "+strings.Join(f.Statuses, ", "))
	}
	if len(f.Tags) > 0 {
		parts = append(parts, "Tags: "+strings.Join(f.Tags, ", "))
	}
	if f.SLA != "" {
		parts = append(parts, "SLA: "+f.SLA)
	}
	switch f.Assignee {
	case "":
	case docket.QueueUnassigned:
		parts = append(parts, "Unassigned")
	default:
		name := f.Assignee
		for _, u := range users {
			if u.ID == f.Assignee {
				name = caseListUserName(u)
			}
		}
		parts = append(parts, "Assignee: "+name)
	}
	return strings.Join(parts, " · ")
}
