package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

var linkRe = regexp.MustCompile(`id="one-time-link" class="shown-once-value" readonly value="([^"]+)"`)

// oneTimeLink returns the path and query of the one-time link a page shows.
func oneTimeLink(t *testing.T, p *page) string {
	t.Helper()
	m := linkRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no one-time link on the page:\n%s", p.body)
	}
	u, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// TestAdminUsers: an admin invites a user (and the link works), changes a role and
// availability, issues a reset link, and deactivates a user, who is signed out and told
// plainly at sign-in; reactivation lets them back in. Bad input is shown beside its field.
func TestAdminUsers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		admin := s.user("admin@example.com", docket.RoleAdmin)
		rev := s.user("rev@example.com", docket.RoleReviewer)
		b := s.browser()
		b.signIn(admin.Email)
		revB := s.browser()
		revB.signIn(rev.Email)

		list := b.get("/admin/users")
		list.want(t, 200, "rev@example.com", "(you)", `href="/admin/users/new"`, "Mark away")

		// Invite: the link leads to the set-password form.
		p := b.post("/admin/users/new", "/admin/users", url.Values{"email": {"New@Example.com"}, "name": {"Newt"},
			"role": {docket.RoleManager}, "available": {"yes"}})
		p.want(t, 200, "new@example.com is invited", "only time the link is shown")
		s.browser().get(oneTimeLink(t, p)).want(t, 200, "Choose your password", "new@example.com")
		if u, err := s.store.FindUserByEmail(ctx, "new@example.com"); err != nil || u.Role != docket.RoleManager || !u.Available {
			t.Fatalf("invited user: %+v, %v", u, err)
		}
		refused := []struct {
			name    string
			form    url.Values
			status  int
			message string
		}{
			{"bad email", url.Values{"email": {"not an email"}, "role": {"viewer"}}, 422, `id="email-error">A valid email address is required`},
			{"taken email", url.Values{"email": {"rev@example.com"}, "role": {"viewer"}}, 409, `id="email-error">A user with email rev@example.com already exists`},
			{"unknown role", url.Values{"email": {"x@example.com"}, "role": {"owner"}}, 422, `id="role-error">Role must be one of`},
		}
		for _, tt := range refused {
			t.Run("invite: "+tt.name, func(t *testing.T) {
				b.post("/admin/users/new", "/admin/users", tt.form).want(t, tt.status, tt.message)
			})
		}

		// Role and availability, from the user's page and from the list.
		userPage := "/admin/users/" + rev.ID
		p = b.post(userPage, userPage, url.Values{"name": {"Rev"}, "role": {docket.RoleManager}, "available": {"no"}})
		b.follow(p).want(t, 200, "Saved rev@example.com: manager, away.")
		b.post(userPage, userPage, url.Values{"role": {"owner"}}).want(t, 422, `id="role-error">Role must be one of`)
		p = b.post("/admin/users", userPage, url.Values{"available": {"yes"}, "back": {"/admin/users"}})
		if p.status != http.StatusSeeOther || p.location() != "/admin/users" {
			t.Fatalf("mark available from the list: %d to %q", p.status, p.location())
		}
		if u, _ := s.store.FindUser(ctx, rev.ID); u.Role != docket.RoleManager || !u.Available || u.Name != "Rev" {
			t.Fatalf("updated user: %+v", u)
		}

		// A reset link, shown once.
		p = b.post(userPage, userPage+"/password-reset", url.Values{})
		p.want(t, 200, "Password reset link for rev@example.com")
		s.browser().get(oneTimeLink(t, p)).want(t, 200, "Reset your password")

		// Deactivation: confirmed, then the reviewer is signed out and refused plainly.
		b.get(userPage+"/deactivate").want(t, 200, "Deactivate Rev?", "signs them out everywhere", `action="`+userPage+`/deactivate"`)
		b.follow(b.post(userPage+"/deactivate", userPage+"/deactivate", url.Values{})).want(t, 200, "rev@example.com is deactivated", "Reactivate")
		if p := revB.get("/"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Fatalf("deactivated user's session: %d to %q", p.status, p.location())
		}
		signIn := func(pw string) *page {
			return s.browser().post("/login", "/login", url.Values{"email": {rev.Email}, "password": {pw}})
		}
		signIn(password).want(t, http.StatusForbidden, "This account is deactivated")
		wrong := signIn("not the password at all")
		wrong.want(t, http.StatusUnauthorized, "Email or password is incorrect")
		wrong.lacks(t, "deactivated")
		b.get("/admin/users").want(t, 200, "Deactivated")
		b.post(userPage, userPage+"/password-reset", url.Values{}).want(t, http.StatusConflict, "is deactivated")

		// Not oneself: the page says why and offers no button; a forged post is refused.
		self := "/admin/users/" + admin.ID + "/deactivate"
		b.get(self).want(t, 200, "You cannot deactivate yourself")
		b.get(self).lacks(t, `action="`+self+`"`)
		b.post(self, self, url.Values{}).want(t, http.StatusUnprocessableEntity, "you cannot deactivate yourself")

		b.follow(b.post(userPage, userPage+"/reactivate", url.Values{})).want(t, 200, "rev@example.com is active again")
		s.browser().signIn(rev.Email)
	})
}

// TestAdminPagesRefused: people who may not manage users or keys get the 403 page for
// every admin page of users and keys, and their forged forms are refused alike, changing
// nothing.
func TestAdminPagesRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		target := s.user("target@example.com", docket.RoleReviewer)
		k, err := s.store.CreateAPIKey(ctx, "ci", []string{docket.ScopeAll}, docket.NewAPIKeySecret())
		noErr(t, err)
		u, key := "/admin/users/"+target.ID, "/admin/api-keys/"+k.ID
		gets := []string{"/admin/users", "/admin/users/new", u, u + "/deactivate", "/admin/api-keys", "/admin/api-keys/new", key + "/revoke"}
		posts := map[string]url.Values{
			"/admin/users":        {"email": {"x@example.com"}, "role": {"admin"}},
			u:                     {"role": {"admin"}},
			u + "/password-reset": {},
			u + "/deactivate":     {},
			u + "/reactivate":     {},
			"/admin/api-keys":     {"name": {"mine"}, "scopes": {"*"}},
			key + "/revoke":       {},
		}
		for _, role := range []string{docket.RoleReviewer, docket.RoleManager} {
			t.Run(role, func(t *testing.T) {
				who := s.user(role+"@example.com", role)
				b := s.browser()
				b.signIn(who.Email)
				for _, path := range gets {
					b.get(path).want(t, http.StatusForbidden, "Not allowed")
				}
				for path, form := range posts {
					// The token of a page they may open: only the permission refuses.
					b.post("/", path, form).want(t, http.StatusForbidden, "Not allowed")
				}
			})
		}
		if got, _ := s.store.FindUser(ctx, target.ID); got.Role != docket.RoleReviewer || !got.Active() {
			t.Fatalf("a refused form changed the user: %+v", got)
		}
		if got, _ := s.store.FindAPIKey(ctx, k.ID); got.RevokedAt != nil {
			t.Fatal("a refused form revoked the key")
		}
		if _, err := s.store.FindUserByEmail(ctx, "x@example.com"); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("a refused form created a user: %v", err)
		}
	})
}
