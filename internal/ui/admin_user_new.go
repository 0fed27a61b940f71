package ui

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// userInputs maps the domain's user fields to the inputs of the user forms.
var userInputs = map[string]string{"email-address": "email", "name": "name", "role": "role", "available": "available"}

// adminUserForm is what the invite form and the user page offer.
type adminUserForm struct {
	Roles []string
	User  *docket.User
}

// adminUserNew serves GET /admin/users/new: the invitation form.
func (h *Handler) adminUserNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageUsers); err != nil {
		return err
	}
	form := map[string]string{"role": docket.RoleReviewer, "available": "yes"}
	return h.render(w, r, http.StatusOK, "admin_user_new", &View{Title: "Invite a user", Nav: "admin", Form: form,
		Data: adminUserForm{Roles: docket.Roles}})
}

// adminUserCreate serves POST /admin/users: it creates the user (POST /api/v1/users) and
// issues a one-time link with which they choose their password (as POST
// /api/v1/users/{id}/password-reset does). The link is shown on the answer to this POST,
// not after a redirect: it is a credential, and a flash would keep it in a cookie.
func (h *Handler) adminUserCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageUsers)
	if err != nil {
		return err
	}
	form := map[string]string{"email": strings.TrimSpace(r.PostFormValue("email")), "name": strings.TrimSpace(r.PostFormValue("name")),
		"role": r.PostFormValue("role"), "available": r.PostFormValue("available")}
	u := &docket.User{Email: form["email"], Name: form["name"], Role: form["role"], Available: form["available"] == "yes"}
	if err := h.store.CreateUser(r.Context(), a.P.Actor(), u); err != nil {
		v := &View{Title: "Invite a user", Nav: "admin", Form: form, Data: adminUserForm{Roles: docket.Roles}}
		return h.formRefused(w, r, err, "admin_user_new", v, userInputs)
	}
	link, err := h.auth.IssueLink(r.Context(), u.ID, docket.LinkSignIn)
	if err != nil {
		return err
	}
	return h.showLink(w, r, u, link, "invited")
}

// adminLinkPage is the page that shows a one-time link once.
type adminLinkPage struct {
	User *docket.User
	Link *auth.Link
	// Why is "invited" or "reset".
	Why string
}

func (h *Handler) showLink(w http.ResponseWriter, r *http.Request, u *docket.User, l *auth.Link, why string) error {
	title := "Password reset link for " + u.Email
	if why == "invited" {
		title = u.Email + " is invited"
	}
	return h.render(w, r, http.StatusOK, "admin_user_link", &View{Title: title, Nav: "admin",
		Data: adminLinkPage{User: u, Link: l, Why: why}})
}
