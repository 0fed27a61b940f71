package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// queueNext claims the queue's most urgent unassigned case for the signed-in user and
// opens it: the same store claim as POST /api/v1/case-queues/{id}/claim, which never
// hands out a case the user may not see. An empty queue is said plainly on the queue's
// page.
func (h *Handler) queueNext(w http.ResponseWriter, r *http.Request) error {
	u := auth.UserFrom(r.Context())
	a, err := h.access(r)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermWorkCases) {
		return docket.Errorf(docket.EForbidden, "%s", a.P.Refusal(docket.PermWorkCases))
	}
	q, _, err := h.findVisibleQueue(r, a, r.PathValue("id"))
	if err != nil {
		return err
	}
	back := "/queues/" + url.PathEscape(q.ID)
	if q.Status != docket.QueueActive {
		h.setFlash(w, r, secretFrom(r.Context()), fmt.Sprintf("%s is archived: no case can be taken from it.", q.Name))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	c, err := h.store.ClaimNextCase(r.Context(), a.P.Actor(), q.ID, u.Email, a.Vis)
	var derr *docket.Error
	switch {
	case errors.Is(err, docket.ErrQueueEmpty):
		h.setFlash(w, r, secretFrom(r.Context()), fmt.Sprintf("Nothing left in %s.", q.Name))
	case errors.As(err, &derr) && derr.Code == docket.EConflict:
		h.setFlash(w, r, secretFrom(r.Context()), derr.Message)
	case err != nil:
		return err
	default:
		h.setFlash(w, r, secretFrom(r.Context()), fmt.Sprintf("%s from %s is yours now.", c.Name, q.Name))
		back = caseHref(c.ID, q.ID)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// queueNextButton is what the "queue-next" partial shows: a form that takes the next
// case of a queue.
type queueNextButton struct{ QueueID, CSRF, Label string }

// A template function of this file's own, added here rather than in render.go's list so
// that the pages built in parallel do not all edit one map.
func init() {
	funcs["queueNext"] = func(v *View, queueID, label string) queueNextButton {
		return queueNextButton{QueueID: queueID, CSRF: v.CSRF, Label: label}
	}
}

// queueFrom returns the queue a case page was reached from (its ?queue= names it), if
// that is an active queue, so that the page can offer the queue's next case with
// {{template "queue-next" (queueNext $ .ID (print "Next in " .Name))}}; nil otherwise.
func (h *Handler) queueFrom(r *http.Request) *docket.CaseQueue {
	id := r.URL.Query().Get("queue")
	if !docket.ValidID(docket.PrefixQueue, id) {
		return nil
	}
	q, err := h.store.FindQueue(r.Context(), id)
	if err != nil {
		if docket.ErrorCode(err) != docket.ENotFound {
			h.log.ErrorContext(r.Context(), "find the queue a case was opened from", "error", err)
		}
		return nil
	}
	if q.Status != docket.QueueActive {
		return nil
	}
	return q
}
