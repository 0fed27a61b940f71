package auth_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/storetest"
)

func TestCheckCSRF(t *testing.T) {
	t.Parallel()
	a, _ := newService(t, openStore(t, storetest.SQLiteURL(t)), func(c *auth.Config) { c.BaseURL = "https://docket.example.com" })
	const secret = "the-session-token-of-this-browser-0123456789"
	good := auth.CSRFToken(secret)
	if good == "" || good == auth.CSRFToken("another-session-token-0123456789abcdef") || strings.Contains(good, secret) {
		t.Fatalf("token %q must depend on the secret without revealing it", good)
	}
	for _, tc := range []struct {
		name    string
		form    string
		headers map[string]string
		tls     bool
		ok      bool
	}{
		{"form field", "csrf_token=" + url.QueryEscape(good), nil, false, true},
		{"header", "", map[string]string{"X-CSRF-Token": good}, false, true},
		{"missing", "name=x", nil, false, false},
		{"wrong", "csrf_token=" + auth.CSRFToken("other"), nil, false, false},
		{"same origin", "csrf_token=" + good, map[string]string{"Origin": "http://docket.internal:8080", "Sec-Fetch-Site": "same-origin"}, false, true},
		{"base URL origin", "csrf_token=" + good, map[string]string{"Origin": "https://docket.example.com"}, false, true},
		{"typed by the user", "csrf_token=" + good, map[string]string{"Sec-Fetch-Site": "none"}, false, true},
		{"other origin", "csrf_token=" + good, map[string]string{"Origin": "https://evil.example"}, false, false},
		{"scheme differs", "csrf_token=" + good, map[string]string{"Origin": "https://docket.internal:8080"}, false, false},
		{"over TLS", "csrf_token=" + good, map[string]string{"Origin": "https://docket.internal:8080"}, true, true},
		{"null origin", "csrf_token=" + good, map[string]string{"Origin": "null"}, false, false},
		{"cross-site fetch", "csrf_token=" + good, map[string]string{"Sec-Fetch-Site": "cross-site"}, false, false},
		{"sibling subdomain", "csrf_token=" + good, map[string]string{"Sec-Fetch-Site": "same-site"}, false, false},
	} {
		r := httptest.NewRequest(http.MethodPost, "http://docket.internal:8080/logout", strings.NewReader(tc.form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range tc.headers {
			r.Header.Set(k, v)
		}
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if err := a.CheckCSRF(r, secret); (err == nil) != tc.ok {
			t.Errorf("%s: ok=%v, got %v", tc.name, tc.ok, err)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("csrf_token="))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if a.CheckCSRF(r, "") == nil {
		t.Error("an empty secret and an empty token must not match")
	}
}

func TestCookieFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base, name  string
		tls, secure bool
	}{
		{"http://127.0.0.1:8080", "docket_session", false, false},
		{"http://127.0.0.1:8080", "__Host-docket_session", true, true},
		{"https://docket.example.com", "__Host-docket_session", false, true},
	} {
		a, _ := newService(t, openStore(t, storetest.SQLiteURL(t)), func(c *auth.Config) { c.BaseURL = tc.base })
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if tc.tls {
			r.TLS = &tls.ConnectionState{}
		}
		w := httptest.NewRecorder()
		a.SetSessionCookie(w, r, "tok", a.Config().Now().Add(auth.DefaultConfig().SessionMaxAge))
		c := w.Result().Cookies()[0]
		if c.Name != tc.name || c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
			t.Errorf("%s tls=%v: cookie %+v", tc.base, tc.tls, c)
		}
	}
}
