package ui

import (
	"net/http"
	"slices"

	"github.com/docket-hq/docket"
)

// queueRow is a queue as a line of a list, with its capped counts.
type queueRow struct {
	ID, Name string
	// Open counts the cases the queue lists; Waiting those nobody holds yet.
	Open, Waiting string
	Archived      bool
}

// queuePage is a page of queues with the cursors of the pages beside it ("" for none).
type queuePage struct {
	Queues        []queueRow
	After, Before string
	CanWork       bool
}

// queueRows reads a page of active queues and counts what each holds that the user may
// see. A queue made for templates the user may not see (its filter names only those)
// and holding nothing else is left out: it is not theirs to work.
func (h *Handler) queueRows(r *http.Request, a *access, p docket.Page) ([]queueRow, bool, error) {
	qp, err := h.queuePage(r, a, p)
	return qp.Queues, qp.After != "", err
}

func (h *Handler) queuePage(r *http.Request, a *access, p docket.Page) (queuePage, error) {
	var out queuePage
	list, pr, err := h.store.ListQueues(r.Context(), docket.CaseQueueListFilter{Status: docket.QueueActive, Page: p})
	if err != nil {
		return out, err
	}
	for _, q := range list {
		n, err := h.store.CountQueueCases(r.Context(), q.ID, a.Vis, countLimit)
		if err != nil {
			return out, err
		}
		if queueHidden(a, q, n) {
			continue
		}
		out.Queues = append(out.Queues, queueRowOf(q, n))
	}
	if len(list) > 0 {
		if pr.HasNext {
			out.After = list[len(list)-1].ID
		}
		if pr.HasPrev {
			out.Before = list[0].ID
		}
	}
	return out, nil
}

func queueRowOf(q *docket.CaseQueue, n docket.QueueCount) queueRow {
	return queueRow{ID: q.ID, Name: q.Name, Open: capped(n.Open, countLimit), Waiting: capped(n.Unassigned, countLimit),
		Archived: q.Status != docket.QueueActive}
}

// queueHidden reports whether a queue is not for this user: its filter names templates,
// the user may see none of them, and it holds no case the user may see.
func queueHidden(a *access, q *docket.CaseQueue, n docket.QueueCount) bool {
	ids := q.Filter.TemplateIDs
	return len(ids) > 0 && n.Open == 0 && !slices.ContainsFunc(ids, func(id string) bool { return !a.Vis.Hides(id) })
}

// queueList is the Queues page: every active queue the user may see, with its counts
// and a "Next case" button for those who may work cases.
func (h *Handler) queueList(w http.ResponseWriter, r *http.Request) error {
	a, err := h.access(r)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermReadCases) {
		return docket.Errorf(docket.EForbidden, "%s", a.P.Refusal(docket.PermReadCases))
	}
	p, err := pageParams(r, docket.PrefixQueue, docket.DefaultPageSize)
	if err != nil {
		return err
	}
	qp, err := h.queuePage(r, a, p)
	if err != nil {
		return err
	}
	qp.CanWork = a.P.Can(docket.PermWorkCases)
	return h.render(w, r, http.StatusOK, "queues", &View{Title: "Queues", Nav: "queues", Data: qp})
}

// pageParams reads the keyset cursors ?after= and ?before= (ids with the given prefix).
func pageParams(r *http.Request, prefix string, size int) (docket.Page, error) {
	p := docket.Page{Size: size, After: r.URL.Query().Get("after"), Before: r.URL.Query().Get("before")}
	for _, c := range []string{p.After, p.Before} {
		if c != "" && !docket.ValidID(prefix, c) {
			return p, docket.Errorf(docket.EBadRequest, "This page address holds a broken page cursor.")
		}
	}
	if p.After != "" && p.Before != "" {
		return p, docket.Errorf(docket.EBadRequest, "This page address asks for pages both after and before a place.")
	}
	return p, nil
}
