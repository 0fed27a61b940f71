package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// caseRedactConfirm serves GET /cases/{id}/redact: the page that asks an admin to
// confirm, saying what redaction erases and what it keeps.
func (h *Handler) caseRedactConfirm(w http.ResponseWriter, r *http.Request) error {
	cc, err := h.caseFor(r)
	if err != nil {
		return err
	}
	if err := cc.need(docket.PermRedactCases); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "case_redact", &View{Title: "Redact " + cc.c.Name, Nav: "cases", Data: cc.c})
}

// caseRedact serves POST /cases/{id}/redact, the confirmed redaction (the API's DELETE
// /cases/{id}).
func (h *Handler) caseRedact(w http.ResponseWriter, r *http.Request) error {
	cc, err := h.caseFor(r)
	if err != nil {
		return err
	}
	if err := cc.need(docket.PermRedactCases); err != nil {
		return err
	}
	if _, err := h.store.RedactCase(r.Context(), cc.p.Actor(), cc.c.ID); err != nil {
		return err
	}
	return h.caseDone(w, r, cc.c.ID, "The case is redacted: its fields, tags and comments are erased.", nil, "")
}
