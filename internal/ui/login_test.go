package ui_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/ui"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		s.user("ada@example.com", "reviewer")
		b := s.browser()

		// A visitor is sent to sign in, and comes back where they were going.
		p := b.get("/cases?filter=open")
		if p.status != http.StatusSeeOther || p.location() != "/login?next=%2Fcases%3Ffilter%3Dopen" {
			t.Fatalf("unauthenticated: %d %q", p.status, p.location())
		}
		p = b.post(p.location(), "/login", url.Values{"email": {"ADA@example.com"}, "password": {password}, "next": {"/cases?filter=open"}})
		if p.status != http.StatusSeeOther || p.location() != "/cases?filter=open" {
			t.Fatalf("sign in: %d %q\n%s", p.status, p.location(), p.body)
		}
		var session *http.Cookie
		for _, c := range p.resp.Cookies() {
			if c.Name == "docket_session" {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Secure {
			t.Fatalf("session cookie over plain http: %+v", session)
		}
		if !strings.Contains(p.header.Get("Set-Cookie"), "Expires=") {
			t.Fatalf("the session cookie should last until the session's absolute end: %s", p.header.Get("Set-Cookie"))
		}
		b.get("/").want(t, http.StatusOK, "My work", "ada@example.com", `action="/logout"`)

		// Signing in again gives a new session id and ends the old one.
		first := b.cookie("docket_session")
		// (The sign-in page sends a signed-in visitor on, so post with the pre-session token.)
		b.do(http.MethodPost, "/login", url.Values{"email": {"ada@example.com"}, "password": {password},
			"csrf_token": {auth.CSRFToken(b.cookie("docket_csrf"))}}).want(t, http.StatusSeeOther)
		if second := b.cookie("docket_session"); second == first || second == "" {
			t.Fatal("sign-in must issue a new session id")
		}
		if _, _, err := s.auth.Session(ctx, first); !auth.IsNoSession(err) {
			t.Fatalf("the previous session of this browser must end: %v", err)
		}
	})
}

func TestSignInRefusals(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	s.user("ada@example.com", "reviewer")
	s.user("nopass@example.com", "reviewer")
	noErr(t, s.store.DeleteCredential(ctx, mustUser(t, s, "nopass@example.com")))
	b := s.browser()
	var bodies []string
	for _, tc := range []struct{ email, pw string }{
		{"ada@example.com", "not the password"},
		{"nobody@example.com", password},
		{"nopass@example.com", password},
	} {
		p := b.post("/login", "/login", url.Values{"email": {tc.email}, "password": {tc.pw}})
		p.want(t, http.StatusUnauthorized, `<p class="field-error" id="password-error">Email or password is incorrect.</p>`, `aria-invalid="true"`)
		bodies = append(bodies, csrfRe.ReplaceAllString(strings.ReplaceAll(p.body, tc.email, "EMAIL"), ""))
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Fatal("a wrong password, an unknown email and a user without a password must get the same page")
	}
	b.post("/login", "/login", url.Values{"email": {""}, "password": {""}}).
		want(t, http.StatusUnprocessableEntity, "Enter your email address.", "Enter your password.")
	// next may only be a path on this site.
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		p := s.browser().post("/login", "/login", url.Values{"email": {"ada@example.com"}, "password": {password}, "next": {next}})
		if p.status != http.StatusSeeOther || p.location() != "/" {
			t.Errorf("next=%q: %d %q", next, p.status, p.location())
		}
	}
}

func TestCSRFRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		s.user("ada@example.com", "reviewer")
		b := s.browser()
		b.signIn("ada@example.com")
		token := b.get("/").csrf(t)

		b.do(http.MethodPost, "/logout", url.Values{}).want(t, http.StatusForbidden, "This form was refused")
		b.do(http.MethodPost, "/logout", url.Values{"csrf_token": {"forged"}}).want(t, http.StatusForbidden)
		b.do(http.MethodPost, "/logout", url.Values{"csrf_token": {token}}, "Origin", "https://evil.example").want(t, http.StatusForbidden)
		b.do(http.MethodPost, "/logout", url.Values{"csrf_token": {token}}, "Sec-Fetch-Site", "cross-site").want(t, http.StatusForbidden)
		b.get("/").want(t, http.StatusOK, "My work") // still signed in

		// Sign-in itself needs the token too (login CSRF), from the pre-session cookie.
		other := s.browser()
		other.do(http.MethodPost, "/login", url.Values{"email": {"ada@example.com"}, "password": {password}}).
			want(t, http.StatusForbidden, "This form was refused")
		// A token from another browser does not work.
		other.get("/login")
		other.do(http.MethodPost, "/login", url.Values{"email": {"ada@example.com"}, "password": {password}, "csrf_token": {token}}).
			want(t, http.StatusForbidden)

		// The header works as well as the field, and with it, sign-out.
		p := b.do(http.MethodPost, "/logout", url.Values{}, "X-CSRF-Token", token, "Origin", s.srv.URL, "Sec-Fetch-Site", "same-origin")
		if p.status != http.StatusSeeOther || p.location() != "/login?signed-out" {
			t.Fatalf("sign out: %d %q", p.status, p.location())
		}
	})
}

func TestSignOutEndsSession(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		s.user("ada@example.com", "reviewer")
		b := s.browser()
		b.signIn("ada@example.com")
		stolen := b.cookie("docket_session")
		p := b.post("/", "/logout", url.Values{})
		if p.status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", p.status)
		}
		b.get(p.location()).want(t, http.StatusOK, "You have signed out.")
		if b.cookie("docket_session") != "" {
			t.Fatal("the session cookie must be cleared")
		}
		// A copy of the cookie is worthless: the session is gone from the database.
		replay := s.browser()
		u, _ := url.Parse(s.srv.URL)
		replay.c.Jar.SetCookies(u, []*http.Cookie{{Name: "docket_session", Value: stolen, Path: "/"}})
		if p := replay.get("/"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/login") {
			t.Fatalf("replayed cookie after sign-out: %d %q", p.status, p.location())
		}
	})
}

func TestSessionSurvivesRestart(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		first := newSite(t, dbURL, nil)
		first.user("ada@example.com", "reviewer")
		b := first.browser()
		b.signIn("ada@example.com")
		first.srv.Close()
		first.store.Close()

		second := newSite(t, dbURL, nil) // a restart, or another process on the database
		b.base = second.srv.URL
		u, _ := url.Parse(second.srv.URL)
		b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "docket_session", Value: cookieFor(t, first.srv.URL, b), Path: "/"}})
		b.get("/").want(t, http.StatusOK, "My work", "ada@example.com")
	})
}

// cookieFor returns the session cookie the browser holds for base.
func cookieFor(t *testing.T, base string, b *browser) string {
	t.Helper()
	u, _ := url.Parse(base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "docket_session" {
			return c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func TestSessionExpiresWhenIdle(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), func(c *auth.Config) { c.SessionIdle = time.Hour })
	s.user("ada@example.com", "reviewer")
	b := s.browser()
	b.signIn("ada@example.com")
	s.clock.Add(59 * time.Minute)
	b.get("/").want(t, http.StatusOK, "My work")
	s.clock.Add(59 * time.Minute)
	b.get("/").want(t, http.StatusOK, "My work")
	s.clock.Add(time.Hour)
	if p := b.get("/"); p.status != http.StatusSeeOther || p.location() != "/login" {
		t.Fatalf("idle session: %d %q", p.status, p.location())
	}
}

func TestThrottledSignIn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, func(c *auth.Config) {
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
			c.Throttle = auth.ThrottleConfig{Window: 15 * time.Minute, MaxPerAccount: 5, MaxPerClient: 8}
		})
		s.user("ada@example.com", "reviewer")
		from := func(b *browser, ip string, email, pw string) *page {
			b.t.Helper()
			form := url.Values{"email": {email}, "password": {pw}, "csrf_token": {b.get("/login").csrf(t)}}
			return b.do(http.MethodPost, "/login", form, "X-Forwarded-For", ip)
		}
		b := s.browser()
		for range 5 {
			from(b, "203.0.113.5", "ada@example.com", "wrong password!").want(t, http.StatusUnauthorized)
		}
		p := from(b, "198.51.100.9", "ada@example.com", password)
		p.want(t, http.StatusTooManyRequests, "Too many failed sign-in attempts. Try again in 15 minutes.", `role="alert"`)
		if p.header.Get("Retry-After") != "900" {
			t.Fatalf("Retry-After %q", p.header.Get("Retry-After"))
		}
		// The client that failed is throttled on other accounts too after 8 failures.
		for _, e := range []string{"x@example.com", "y@example.com", "z@example.com"} {
			from(b, "203.0.113.5", e, "wrong password!").want(t, http.StatusUnauthorized)
		}
		from(b, "203.0.113.5", "w@example.com", "wrong password!").want(t, http.StatusTooManyRequests)
		// ...while another client address is not.
		from(b, "198.51.100.9", "w@example.com", "wrong password!").want(t, http.StatusUnauthorized)
		s.clock.Add(15 * time.Minute)
		if p := from(b, "203.0.113.5", "ada@example.com", password); p.status != http.StatusSeeOther {
			t.Fatalf("after the window: %d\n%s", p.status, p.body)
		}
	})
}

func TestSecureCookiesOverTLS(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	s.user("ada@example.com", "reviewer")
	h, err := ui.New(s.store, s.auth, slog.New(slog.NewTextHandler(io.Discard, nil)))
	noErr(t, err)
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	c := srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	b := &browser{t: t, base: srv.URL, c: c}
	p := b.signIn("ada@example.com")
	var names []string
	for _, ck := range p.resp.Cookies() {
		names = append(names, ck.Name)
		if ck.Name == "__Host-docket_session" && (!ck.Secure || !ck.HttpOnly || ck.Path != "/") {
			t.Fatalf("cookie over TLS: %+v", ck)
		}
	}
	if !strings.Contains(strings.Join(names, ","), "__Host-docket_session") {
		t.Fatalf("cookies over TLS: %v", names)
	}
	b.get("/").want(t, http.StatusOK, "My work")
}
