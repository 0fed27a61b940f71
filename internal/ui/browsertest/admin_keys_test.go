package browsertest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAdminAPIKey: an admin creates a scoped API key in the dashboard and copies its
// secret from the page, the key works against the API within its scope, the admin revokes
// it in the dashboard after confirming, and the key's next request is refused (401).
func TestAdminAPIKey(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		admin := s.user(t, "admin")
		name := unique("Reporting ")
		b := s.tab(t)
		b.signIn(admin.Email)
		b.openOK("/admin")
		b.clickOK(`a[href="/admin/api-keys"]`)
		b.clickOK(`a[href="/admin/api-keys/new"]`)
		b.fits("new API key form")
		b.viewport(1280)
		b.fill("#name", name)
		b.do("choose case.read", clickOn(`input[name="scopes"][value="case.read"]`))
		b.clickOK(`form[action="/admin/api-keys"] button[type=submit]`)
		b.wantText("h1", "is created")
		secret := eval[string](b, `document.querySelector("#api-key-secret").value`)
		if !strings.HasPrefix(secret, "docket_") {
			b.fail("read the secret", fmt.Errorf("got %q", secret))
		}

		use := func(method, path string) int {
			t.Helper()
			req, err := http.NewRequest(method, s.base+"/api/v1"+path, strings.NewReader(`{"data":{"attributes":{"name":"x","key":"X"}}}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if st := use("GET", "/cases"); st != http.StatusOK {
			t.Fatalf("the new key reads cases: %d, want 200", st)
		}
		if st := use("POST", "/case-templates"); st != http.StatusForbidden {
			t.Fatalf("the case.read key creates a template: %d, want 403", st)
		}

		b.clickOK(`a[href="/admin/api-keys"]`)
		b.fits("API key list")
		b.viewport(1280)
		revoke := eval[string](b, `[...document.querySelectorAll("tr[data-key]")].find(r => r.querySelector("th").innerText === `+
			jsString(name)+`).querySelector("a[href$='/revoke']").getAttribute("href")`)
		b.clickOK(`a[href="` + revoke + `"]`)
		b.wantText("h1", "Revoke the key "+name)
		b.clickOK(`form[action="` + revoke + `"] button[type=submit]`)
		b.wantText(".flash", "is revoked")
		if st := use("GET", "/cases"); st != http.StatusUnauthorized {
			t.Fatalf("the revoked key's next request: %d, want 401", st)
		}
	})
}
