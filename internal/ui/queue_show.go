package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// queueData is a queue's page: its cases in queue order, a page at a time.
type queueData struct {
	Queue   queueRow
	Cases   []caseRow
	CanWork bool
	// After and Before are the cursors of the next and previous pages ("" for none).
	After, Before string
}

// queueCasesPage is how many cases a queue page lists.
const queueCasesPage = 50

// findVisibleQueue returns a queue and its counts, or not found if the queue is not for
// this user (see queueHidden).
func (h *Handler) findVisibleQueue(r *http.Request, a *access, id string) (*docket.CaseQueue, docket.QueueCount, error) {
	q, err := h.store.FindQueue(r.Context(), id)
	if err != nil {
		return nil, docket.QueueCount{}, err
	}
	n, err := h.store.CountQueueCases(r.Context(), q.ID, a.Vis, countLimit)
	if err != nil {
		return nil, n, err
	}
	if queueHidden(a, q, n) {
		return nil, n, docket.NotFound("case queue", id)
	}
	return q, n, nil
}

// queueShow lists what a queue holds, most urgent first (keyset paged in queue order).
func (h *Handler) queueShow(w http.ResponseWriter, r *http.Request) error {
	a, err := h.access(r)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermReadCases) {
		return docket.Errorf(docket.EForbidden, "%s", a.P.Refusal(docket.PermReadCases))
	}
	q, n, err := h.findVisibleQueue(r, a, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := pageParams(r, docket.PrefixCase, queueCasesPage)
	if err != nil {
		return err
	}
	cases, pr, err := h.store.ListCases(r.Context(), docket.CaseFilter{QueueID: q.ID, Visibility: a.Vis, Page: p})
	if err != nil {
		return err
	}
	details, err := h.store.CaseDetails(r.Context(), cases, docket.CaseDetailOptions{Assignee: true})
	if err != nil {
		return err
	}
	d := queueData{Queue: queueRowOf(q, n), Cases: h.caseRows(a, cases, details, q.ID),
		CanWork: a.P.Can(docket.PermWorkCases) && q.Status == docket.QueueActive}
	if len(cases) > 0 {
		if pr.HasNext {
			d.After = cases[len(cases)-1].ID
		}
		if pr.HasPrev {
			d.Before = cases[0].ID
		}
	}
	return h.render(w, r, http.StatusOK, "queue", &View{Title: q.Name, Nav: "queues", Data: d})
}
