package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminDeactivatePage is the confirmation page of a deactivation: what it will do.
type adminDeactivatePage struct {
	User *docket.User
	// OpenCases counts the open cases the user holds that the admin may see (capped; they
	// stay theirs); Keys the
	// live API keys that belong to them (refused while they are deactivated).
	OpenCases string
	Keys      int
}

// adminUserDeactivateConfirm serves GET /admin/users/{id}/deactivate: the page that asks
// for confirmation, saying what deactivation does.
func (h *Handler) adminUserDeactivateConfirm(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageUsers)
	if err != nil {
		return err
	}
	u, err := h.adminUser(r)
	if err != nil {
		return err
	}
	if !u.Active() {
		return h.adminDone(w, r, "/admin/users/"+u.ID, u.Email+" is already deactivated.")
	}
	d := adminDeactivatePage{User: u}
	n, err := h.store.CountOpenAssignedCases(r.Context(), u.ID, a.Vis, countLimit)
	if err != nil {
		return err
	}
	d.OpenCases = capped(n, countLimit)
	keys, err := h.store.ListAPIKeys(r.Context())
	if err != nil {
		return err
	}
	now := h.now()
	for _, k := range keys {
		if k.UserID != nil && *k.UserID == u.ID && k.RevokedAt == nil && !k.Expired(now) {
			d.Keys++
		}
	}
	v := &View{Title: "Deactivate " + u.Email, Nav: "admin", Data: d}
	if err := docket.CheckDeactivation(a.P, u.ID); err != nil {
		_, msg := docket.ErrorField(err)
		v.Errors = map[string]string{"": sentence(msg) + "."}
	}
	return h.render(w, r, http.StatusOK, "admin_user_deactivate", v)
}

// adminUserDeactivate serves POST /admin/users/{id}/deactivate, the confirmed
// deactivation (POST /api/v1/users/{id}/deactivate).
func (h *Handler) adminUserDeactivate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageUsers)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := docket.CheckDeactivation(a.P, id); err != nil {
		return err
	}
	u, err := h.store.DeactivateUser(r.Context(), a.P.Actor(), id)
	if err != nil {
		return err
	}
	return h.adminDone(w, r, "/admin/users/"+u.ID,
		u.Email+" is deactivated: signed out everywhere, unable to sign in, their API keys refused, and given no new cases.")
}

// adminUserReactivate serves POST /admin/users/{id}/reactivate (POST
// /api/v1/users/{id}/reactivate).
func (h *Handler) adminUserReactivate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageUsers)
	if err != nil {
		return err
	}
	u, err := h.store.ReactivateUser(r.Context(), a.P.Actor(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return h.adminDone(w, r, "/admin/users/"+u.ID,
		u.Email+" is active again: they can sign in with their password, and their API keys work.")
}
