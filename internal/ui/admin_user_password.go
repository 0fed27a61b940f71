package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminUserReset serves POST /admin/users/{id}/password-reset: a one-time link with which
// the user chooses a new password (POST /api/v1/users/{id}/password-reset), shown once on
// the answer to this POST. A deactivated user gets none (a conflict).
func (h *Handler) adminUserReset(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageUsers); err != nil {
		return err
	}
	u, err := h.adminUser(r)
	if err != nil {
		return err
	}
	link, err := h.auth.IssueLink(r.Context(), u.ID, docket.LinkReset)
	if err != nil {
		return err
	}
	h.log.InfoContext(r.Context(), "password reset link issued", "user_id", u.ID, "actor", h.actorID(r))
	return h.showLink(w, r, u, link, "reset")
}

// actorID names the signed-in user for logs (an id, never an email address).
func (h *Handler) actorID(r *http.Request) string {
	a, err := h.access(r)
	if err != nil || a.P.User == nil {
		return ""
	}
	return a.P.User.ID
}
