package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// keyInputs maps the domain's key fields to the inputs of the key form.
var keyInputs = map[string]string{"name": "name", "scopes": "scopes", "expires-at": "expires", "user-id": "owner"}

// adminKeyForm is what the key form offers: every scope with what it grants, and the
// users a key may belong to (suggestions for the owner input).
type adminKeyForm struct {
	Scopes []scopeOption
	Users  []*docket.User
}

// scopeOption is one scope's checkbox.
type scopeOption struct {
	Scope, Grants string
	Checked       bool
}

// scopeOptions lists docket.Scopes, each with the permissions it grants (from
// docket.Permissions, so the list cannot drift from Principal.Can), checked as chosen.
func scopeOptions(chosen []string) []scopeOption {
	out := make([]scopeOption, 0, len(docket.Scopes))
	for _, sc := range docket.Scopes {
		grants := "everything: every scope below"
		if sc != docket.ScopeAll {
			var phrases []string
			for _, p := range docket.Permissions {
				if p.Scope() == sc {
					phrases = append(phrases, p.Phrase())
				}
			}
			grants = strings.Join(phrases, "; ")
		}
		out = append(out, scopeOption{Scope: sc, Grants: grants, Checked: slices.Contains(chosen, sc)})
	}
	return out
}

// adminKeyNew serves GET /admin/api-keys/new: the form for a new key.
func (h *Handler) adminKeyNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageAPIKeys); err != nil {
		return err
	}
	return h.renderKeyForm(w, r, http.StatusOK, &View{}, nil)
}

func (h *Handler) renderKeyForm(w http.ResponseWriter, r *http.Request, status int, v *View, chosen []string) error {
	users, err := h.pickerUsers(r.Context())
	if err != nil {
		return err
	}
	users = slices.DeleteFunc(users, func(u *docket.User) bool { return !u.Active() })
	v.Title, v.Nav, v.Data = "New API key", "admin", adminKeyForm{Scopes: scopeOptions(chosen), Users: users}
	return h.render(w, r, status, "admin_api_key_new", v)
}

// adminKeyCreate serves POST /admin/api-keys (POST /api/v1/api-keys): the owner is given
// by email address and looked up. The secret is shown on the answer to this POST, once:
// only its hash is stored, and a redirect would have to carry it in a cookie or address.
func (h *Handler) adminKeyCreate(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageAPIKeys); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "The form could not be read.")
	}
	form := map[string]string{"name": r.PostFormValue("name"), "expires": r.PostFormValue("expires"),
		"owner": strings.TrimSpace(r.PostFormValue("owner"))}
	n := docket.NewAPIKey{Name: form["name"], Scopes: r.PostForm["scopes"]}
	refused := func(err error) error {
		return h.keyFormRefused(w, r, err, form, n.Scopes)
	}
	var err error
	if n.ExpiresAt, err = docket.ParseAPIKeyExpiry(form["expires"]); err != nil {
		return refused(err)
	}
	if form["owner"] != "" {
		u, err := h.store.FindUserByEmail(r.Context(), form["owner"])
		if docket.ErrorCode(err) == docket.ENotFound {
			return refused(docket.Invalid("user-id", "no user has the email address %s", form["owner"]))
		} else if err != nil {
			return err
		}
		n.UserID = &u.ID
	}
	secret := docket.NewAPIKeySecret()
	k, err := h.store.IssueAPIKey(r.Context(), n, secret)
	if err != nil {
		return refused(err)
	}
	h.log.InfoContext(r.Context(), "api key created", "api_key_id", k.ID, "actor", h.actorID(r))
	row := adminKeyRow{APIKey: k, State: "active", Created: whenOf(h.now(), k.CreatedAt), Expires: whenPtr(h.now(), k.ExpiresAt)}
	if n.UserID != nil {
		row.Owner, _ = h.store.FindUser(r.Context(), *n.UserID)
	}
	return h.render(w, r, http.StatusOK, "admin_api_key_created", &View{Title: "API key created", Nav: "admin",
		Data: struct {
			Key    adminKeyRow
			Secret string
		}{row, secret}})
}

// keyFormRefused shows the key form again with the message beside its input.
func (h *Handler) keyFormRefused(w http.ResponseWriter, r *http.Request, err error, form map[string]string, chosen []string) error {
	if docket.ErrorCode(err) != docket.EInvalid {
		return err
	}
	field, msg := docket.ErrorField(err)
	v := &View{Form: form, Errors: map[string]string{inputFor(field, keyInputs): sentence(msg)}}
	return h.renderKeyForm(w, r, http.StatusUnprocessableEntity, v, chosen)
}
