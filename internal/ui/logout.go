package ui

import "net/http"

// logout ends the session in the database (so the cookie is worthless even if kept) and
// clears the cookie.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) error {
	if err := h.auth.EndSession(r.Context(), h.auth.SessionToken(r)); err != nil {
		return err
	}
	h.auth.ClearSessionCookie(w, r)
	http.Redirect(w, r, "/login?signed-out", http.StatusSeeOther)
	return nil
}
