package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// caseStatus serves POST /cases/{id}/status: a new status with an optional comment
// saying why, written together or not at all (SetCaseStatusWithComment, as the API's
// set-status with meta.comment).
func (h *Handler) caseStatus(w http.ResponseWriter, r *http.Request) error {
	cc, err := h.caseFor(r)
	if err != nil {
		return err
	}
	if err := cc.need(docket.PermWorkCases); err != nil {
		return err
	}
	status, comment := r.PostFormValue("status"), r.PostFormValue("comment")
	form := map[string]string{"status": status, "comment": comment}
	before := cc.c.Status
	c, cm, err := h.store.SetCaseStatusWithComment(r.Context(), cc.p.Actor(), cc.c.ID, status, comment)
	if err != nil {
		return h.caseRefused(w, r, cc, err, "status-form", form, map[string]string{"status": "status", "comment": "comment"})
	}
	msg := "Status changed from " + before + " to " + c.Status + "."
	switch {
	case c.Status == before && c.Proposal != nil && c.Proposal.Status == status:
		// A four-eyes status: recorded as a proposal, the status unchanged.
		msg = "Proposed " + status + "; a second reviewer must confirm."
		if cm != nil {
			msg = "Proposed " + status + " with your comment; a second reviewer must confirm."
		}
	case c.Status == before && cm != nil:
		msg = "The status stays " + c.Status + "; your comment is added."
	case c.Status == before:
		msg = "The status is already " + c.Status + "."
	case cm != nil:
		msg = "Status changed from " + before + " to " + c.Status + ", with your comment."
	}
	return h.caseDone(w, r, c.ID, msg, nil, "")
}
