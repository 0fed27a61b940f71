package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	s.user("ada@example.com", "reviewer")
	anon, b := s.browser(), s.browser()
	b.signIn("ada@example.com")
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(anon.get("/login").body)
	if css == nil {
		t.Fatal("no hashed stylesheet link on the sign-in page")
	}
	for _, tc := range []struct {
		b      *browser
		method string
		path   string
		status int
	}{
		{anon, "GET", "/login", 200},
		{anon, "GET", "/", 303},
		{anon, "GET", "/set-password?token=nope", 404},
		{anon, "POST", "/login", 403},
		{anon, "GET", css[1], 200},
		{b, "GET", "/", 200},
		{b, "GET", "/no-such-page", 404},
		{b, "POST", "/logout", 403},
	} {
		var form url.Values
		if tc.method == "POST" {
			form = url.Values{}
		}
		p := tc.b.do(tc.method, tc.path, form)
		if p.status != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, p.status, tc.status)
		}
		for k, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
			"X-Frame-Options":         "DENY",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
		} {
			if got := p.header.Get(k); got != want {
				t.Errorf("%s %s: %s = %q, want %q", tc.method, tc.path, k, got, want)
			}
		}
		if strings.Contains(p.body, "<script>") || strings.Contains(p.body, " style=") || strings.Contains(p.body, "<style") {
			t.Errorf("%s %s: inline script or style would be blocked by the policy", tc.method, tc.path)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	b := s.browser()
	login := b.get("/login").body
	for _, re := range []string{`href="(/static/app\.[0-9a-f]{10}\.css)"`, `src="(/static/app\.[0-9a-f]{10}\.js)"`, `href="(/static/icon\.[0-9a-f]{10}\.svg)"`} {
		m := regexp.MustCompile(re).FindStringSubmatch(login)
		if m == nil {
			t.Fatalf("no %s on the page", re)
		}
		p := b.get(m[1])
		p.want(t, http.StatusOK)
		if p.header.Get("Cache-Control") != "public, max-age=31536000, immutable" || len(p.body) < 100 {
			t.Errorf("%s: Cache-Control %q, %d bytes", m[1], p.header.Get("Cache-Control"), len(p.body))
		}
	}
	b.get("/static/app.0000000000.css").want(t, http.StatusNotFound)
	if p := b.get("/favicon.ico"); p.status != http.StatusMovedPermanently || !strings.HasPrefix(p.location(), "/static/icon.") {
		t.Errorf("favicon: %d %q", p.status, p.location())
	}
}

func TestSetPasswordFromLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		u := &docket.User{Email: "new@example.com", Name: "New", Role: "viewer"}
		noErr(t, s.store.CreateUser(ctx, docket.Actor{Type: docket.ActorSystem, ID: "test"}, u))
		link, err := s.auth.IssueLink(ctx, u.ID, docket.LinkSignIn)
		noErr(t, err)
		path := strings.TrimPrefix(link.URL, s.auth.BaseURL())
		token := strings.TrimPrefix(path, "/set-password?token=")

		b := s.browser()
		b.get(path).want(t, http.StatusOK, "Choose your password", `value="new@example.com"`, `autocomplete="new-password"`)
		submit := func(pw, confirm string) *page {
			return b.post(path, "/set-password", url.Values{"token": {token}, "password": {pw}, "confirm": {confirm}})
		}
		submit("a long new password", "a long new passwore").want(t, http.StatusUnprocessableEntity, "The two passwords differ.")
		submit("short", "short").want(t, http.StatusUnprocessableEntity, "Use at least 12 characters.")
		p := submit("a long new password", "a long new password")
		if p.status != http.StatusSeeOther || p.location() != "/" {
			t.Fatalf("set password: %d %q\n%s", p.status, p.location(), p.body)
		}
		b.get("/").want(t, http.StatusOK, "Your password is set. You are signed in.", "new@example.com")
		if strings.Contains(b.get("/").body, "Your password is set") {
			t.Fatal("the flash message must show once")
		}
		// The link worked once; the new password signs in.
		s.browser().get(path).want(t, http.StatusNotFound, "This link does not work")
		other := s.browser()
		other.post("/login", "/login", url.Values{"email": {"new@example.com"}, "password": {"a long new password"}}).want(t, http.StatusSeeOther)
	})
}

func TestForgedFlashIgnored(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	s.user("ada@example.com", "reviewer")
	b := s.browser()
	b.signIn("ada@example.com")
	u, _ := url.Parse(s.srv.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "docket_flash", Value: "Q2FsbCArMSA1NTUgMDEwMA.forged", Path: "/"}})
	if p := b.get("/"); strings.Contains(p.body, "Call +1") || p.status != http.StatusOK {
		t.Fatalf("a flash without a valid signature must not show (status %d)", p.status)
	}
}

func TestHomeListsMyOpenCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		ada := s.user("ada@example.com", "reviewer")
		s.user("bob@example.com", "reviewer")
		actor := docket.Actor{Type: docket.ActorSystem, ID: "test"}
		day := int64(24 * 3600)
		tm := &docket.CaseTemplate{Name: "KYC review", Key: "KYC", SLASeconds: &day}
		noErr(t, s.store.CreateTemplate(ctx, actor, tm))
		mk := func(assignee string, sla int64) *docket.Case {
			c, err := s.store.CreateCase(ctx, actor, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: &sla})
			noErr(t, err)
			if assignee != "" {
				_, err = s.store.AssignCase(ctx, actor, c.ID, assignee)
				noErr(t, err)
			}
			return c
		}
		later, sooner := mk(ada.Email, 7200), mk(ada.Email, 3600)
		mk("bob@example.com", 60)
		mk("", 60)
		done := mk(ada.Email, 60)
		_, err := s.store.SetCaseStatus(ctx, actor, done.ID, "Approved")
		noErr(t, err)
		// A case of a template hidden from reviewers after ada was given it stays hidden.
		secret := &docket.CaseTemplate{Name: "SAR", Key: "SAR"}
		noErr(t, s.store.CreateTemplate(ctx, actor, secret))
		sla := int64(60)
		hidden, err := s.store.CreateCase(ctx, actor, docket.NewCase{TemplateID: secret.ID, SLAExpiresInSecond: &sla})
		noErr(t, err)
		_, err = s.store.AssignCase(ctx, actor, hidden.ID, ada.Email)
		noErr(t, err)
		s.hideFrom(secret, docket.RoleAdmin)

		b := s.browser()
		b.signIn(ada.Email)
		body := b.get("/").body
		names := regexp.MustCompile(`<a href="/cases/[^"]+">([^<]+)</a>`).FindAllStringSubmatch(body, -1)
		var got []string
		for _, m := range names {
			got = append(got, m[1])
		}
		if strings.Join(got, ",") != sooner.Name+","+later.Name {
			t.Fatalf("My work lists %v, want [%s %s] (open, mine, most urgent first)", got, sooner.Name, later.Name)
		}
	})
}
