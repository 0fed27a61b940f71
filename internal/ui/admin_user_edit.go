package ui

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
)

// adminUserPage is one user's administration page.
type adminUserPage struct {
	adminUserForm
	LastSignIn *when
	Self       bool
}

// adminUser reads the user the path names, or not found.
func (h *Handler) adminUser(r *http.Request) (*docket.User, error) {
	return h.store.FindUser(r.Context(), r.PathValue("id"))
}

// adminUserShow serves GET /admin/users/{id}: the user's facts and what an admin may do
// to them (change name, role and availability, issue a reset link, deactivate).
func (h *Handler) adminUserShow(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageUsers)
	if err != nil {
		return err
	}
	u, err := h.adminUser(r)
	if err != nil {
		return err
	}
	form := map[string]string{"name": u.Name, "role": u.Role, "available": yesNo(u.Available)}
	return h.renderUser(w, r, a, u, http.StatusOK, &View{Form: form})
}

func (h *Handler) renderUser(w http.ResponseWriter, r *http.Request, a *access, u *docket.User, status int, v *View) error {
	d := adminUserPage{adminUserForm: adminUserForm{Roles: docket.Roles, User: u}, Self: u.ID == a.P.User.ID}
	signIns, err := h.store.LastSignIns(r.Context(), []string{u.ID})
	if err != nil {
		return err
	}
	if at, ok := signIns[u.ID]; ok {
		w := whenOf(h.now(), at)
		d.LastSignIn = &w
	}
	v.Title, v.Nav, v.Data = u.Email, "admin", d
	return h.render(w, r, status, "admin_user", v)
}

// adminUserUpdate serves POST /admin/users/{id}: it changes what the form sends of name,
// role and availability (PATCH /api/v1/users/{id}); the list's "Mark away" sends only
// availability. back names the page to return to.
func (h *Handler) adminUserUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageUsers)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "The form could not be read.")
	}
	var up docket.UserUpdate
	form := map[string]string{}
	if r.PostForm.Has("name") {
		name := strings.TrimSpace(r.PostFormValue("name"))
		up.Name, form["name"] = &name, name
	}
	if r.PostForm.Has("role") {
		role := r.PostFormValue("role")
		up.Role, form["role"] = &role, role
	}
	if r.PostForm.Has("available") {
		avail := r.PostFormValue("available") == "yes"
		up.Available, form["available"] = &avail, yesNo(avail)
	}
	u, err := h.store.UpdateUser(r.Context(), a.P.Actor(), r.PathValue("id"), up)
	if err != nil {
		if docket.ErrorCode(err) != docket.EInvalid {
			return err
		}
		cur, ferr := h.adminUser(r)
		if ferr != nil {
			return ferr
		}
		field, msg := docket.ErrorField(err)
		v := &View{Form: form, Errors: map[string]string{inputFor(field, userInputs): sentence(msg)}}
		return h.renderUser(w, r, a, cur, http.StatusUnprocessableEntity, v)
	}
	msg := "Saved " + u.Email + ": " + u.Role + ", " + availability(u.Available) + "."
	return h.adminDone(w, r, adminBack(r, "/admin/users/"+u.ID), msg)
}

// adminBack returns the form's back field if it is an admin page of users, else def.
func adminBack(r *http.Request, def string) string {
	if b := safeNext(r.PostFormValue("back")); strings.HasPrefix(b, "/admin/users") {
		return b
	}
	return def
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func availability(available bool) string {
	if available {
		return "available"
	}
	return "away"
}
