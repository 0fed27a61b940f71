package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

var keySecretRe = regexp.MustCompile(`id="api-key-secret" class="shown-once-value" readonly value="([^"]+)"`)

// TestAdminAPIKeys: an admin creates a scoped key that belongs to a user and expires,
// sees its secret once, finds it in the list, and revokes it after a confirmation; bad
// input is shown beside its field and creates nothing.
func TestAdminAPIKeys(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		admin := s.user("admin@example.com", docket.RoleAdmin)
		rev := s.user("rev@example.com", docket.RoleReviewer)
		b := s.browser()
		b.signIn(admin.Email)

		form := b.get("/admin/api-keys/new")
		form.want(t, 200, `value="case.read"`, `value="*"`, "redact cases", `<option value="rev@example.com">`)
		day := s.clock.Now().AddDate(0, 0, 30).Format(time.DateOnly)
		p := b.post("/admin/api-keys/new", "/admin/api-keys", url.Values{"name": {"CRM sync"},
			"scopes": {docket.ScopeCaseRead, docket.ScopeUserRead}, "expires": {day}, "owner": {"REV@example.com"}})
		p.want(t, 200, "API key CRM sync is created", "only time it is shown", "case.read, user.read", "rev@example.com")
		m := keySecretRe.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no secret on the page:\n%s", p.body)
		}
		secret := html.UnescapeString(m[1])
		k, err := s.store.FindAPIKeyBySecret(ctx, secret)
		noErr(t, err)
		if k.Name != "CRM sync" || len(k.Scopes) != 2 || k.UserID == nil || *k.UserID != rev.ID || k.ExpiresAt == nil ||
			k.ExpiresAt.Format(time.DateOnly) <= day {
			t.Fatalf("created key: %+v", k)
		}
		list := b.get("/admin/api-keys")
		list.want(t, 200, "CRM sync", "case.read, user.read", `href="/admin/users/`+rev.ID+`"`, `href="/admin/api-keys/`+k.ID+`/revoke"`)
		list.lacks(t, secret)

		refused := []struct {
			name  string
			form  url.Values
			error string
		}{
			{"no name", url.Values{"scopes": {"*"}}, `id="name-error">A name is required`},
			{"no scopes", url.Values{"name": {"x"}}, `id="scopes-error">At least one scope is required`},
			{"unknown scope", url.Values{"name": {"x"}, "scopes": {"case.read", "case.delete"}}, `id="scopes-error">Unknown scope &#34;case.delete&#34;`},
			{"past expiry", url.Values{"name": {"x"}, "scopes": {"*"}, "expires": {"2001-01-01"}}, `id="expires-error">The expiry must be in the future`},
			{"unknown owner", url.Values{"name": {"x"}, "scopes": {"*"}, "owner": {"nobody@example.com"}}, `id="owner-error">No user has the email address nobody@example.com`},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				p := b.post("/admin/api-keys/new", "/admin/api-keys", tt.form)
				p.want(t, http.StatusUnprocessableEntity, tt.error)
				if tt.form.Has("scopes") {
					p.want(t, http.StatusUnprocessableEntity, `value="`+tt.form.Get("scopes")+`" checked`)
				}
			})
		}
		if keys, _ := s.store.ListAPIKeys(ctx); len(keys) != 1 {
			t.Fatalf("refused forms created keys: %d keys", len(keys))
		}

		confirm := "/admin/api-keys/" + k.ID + "/revoke"
		b.get(confirm).want(t, 200, "Revoke the key CRM sync?", `action="`+confirm+`"`)
		b.follow(b.post(confirm, confirm, url.Values{})).want(t, 200, "The key CRM sync is revoked", "Revoked")
		if _, err := s.store.FindAPIKeyBySecret(ctx, secret); docket.ErrorCode(err) != docket.EUnauthorized {
			t.Fatalf("revoked key still found: %v", err)
		}
	})
}
