package ui

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
)

// caseAssign serves POST /cases/{id}/assign. op says what the user asked for: "claim"
// (assign to me), "unassign", or "assign" to the user-email-address given. Who may do
// which is Principal.CanAssign's decision, the one the API's assign endpoint asks.
func (h *Handler) caseAssign(w http.ResponseWriter, r *http.Request) error {
	cc, err := h.caseFor(r)
	if err != nil {
		return err
	}
	if err := cc.need(docket.PermWorkCases); err != nil {
		return err
	}
	me := cc.p.User
	email := strings.TrimSpace(r.PostFormValue("user-email-address"))
	form := map[string]string{"user-email-address": email}
	switch r.PostFormValue("op") {
	case "claim":
		email = me.Email
	case "unassign":
		email = ""
	case "assign":
		if email == "" {
			return h.renderCase(w, r, cc, http.StatusUnprocessableEntity, &View{Form: form,
				Errors: map[string]string{"user-email-address": "Enter the email address of the person to assign."}})
		}
	default:
		return docket.Errorf(docket.EBadRequest, "unknown assignment %q", r.PostFormValue("op"))
	}
	holder, next := "", email
	if cc.c.AssigneeID != nil {
		holder = *cc.c.AssigneeID
	}
	// An address other than the user's own stands for someone else (it is never an id).
	if email != "" && docket.NormalizeEmail(email) == me.Email {
		next = me.ID
	}
	if !cc.p.CanAssign(holder, next) {
		if r.PostFormValue("op") == "claim" && holder != "" {
			// Someone took the case between the page and the click.
			return h.renderCase(w, r, cc, http.StatusConflict, &View{
				Errors: map[string]string{"assign-form": "Someone else holds this case now; only a manager can take it over."}})
		}
		return refusal(cc.p, docket.PermAssignOthers)
	}
	c, err := h.store.AssignCase(r.Context(), cc.p.Actor(), cc.c.ID, email)
	if err != nil {
		return h.caseRefused(w, r, cc, err, "assign-form", form, map[string]string{"user-email-address": "user-email-address"})
	}
	msg := "The case is unassigned."
	switch {
	case c.AssigneeID != nil && *c.AssigneeID == me.ID:
		msg = "The case is assigned to you."
	case c.AssigneeID != nil:
		msg = "The case is assigned to " + email + "."
	}
	return h.caseDone(w, r, c.ID, msg, nil, "")
}
