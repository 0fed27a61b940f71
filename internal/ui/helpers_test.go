package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/ui"
)

var ctx = context.Background()

const password = "a long test password"

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// site is a dashboard over one database, served on a test server.
type site struct {
	t     *testing.T
	dbURL string
	store *store.Store
	auth  *auth.Service
	clock *clock
	srv   *httptest.Server
}

// newSite serves the dashboard over dbURL. adjust may change the sign-in policy.
func newSite(t *testing.T, dbURL string, adjust func(*auth.Config)) *site {
	t.Helper()
	return newSiteOn(t, dbURL, store.Open, adjust)
}

// newSiteOn is newSite over a store opened by open: worker.OpenStore gives the store its
// reactions (notifications, workflows), as docket serve does. opts are the dashboard's
// operator settings.
func newSiteOn(t *testing.T, dbURL string, open func(context.Context, string) (*store.Store, error), adjust func(*auth.Config), opts ...ui.Option) *site {
	t.Helper()
	s, err := open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := &clock{now: time.Now().UTC().Truncate(time.Millisecond)}
	cfg := auth.DefaultConfig()
	cfg.Password = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	cfg.Now = c.Now
	if adjust != nil {
		adjust(&cfg)
	}
	a, err := auth.New(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ui.New(s, a, slog.New(slog.NewTextHandler(io.Discard, nil)), opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{t: t, dbURL: dbURL, store: s, auth: a, clock: c, srv: srv}
}

// user creates a user with the test password.
func (s *site) user(email, role string) *docket.User {
	s.t.Helper()
	u := &docket.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, Available: true}
	if err := s.store.CreateUser(ctx, docket.Actor{Type: docket.ActorSystem, ID: "test"}, u); err != nil {
		s.t.Fatal(err)
	}
	if err := s.auth.SetPassword(ctx, u.ID, password); err != nil {
		s.t.Fatal(err)
	}
	return u
}

// browser is a client with a cookie jar that does not follow redirects, so tests see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: s.t, base: s.srv.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a response with its body read.
type page struct {
	status int
	header http.Header
	body   string
	resp   *http.Response
}

func (b *browser) do(method, path string, form url.Values, headers ...string) *page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return &page{status: resp.StatusCode, header: resp.Header, body: string(raw), resp: resp}
}

func (b *browser) get(path string) *page { return b.do(http.MethodGet, path, nil) }

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf returns the CSRF token of the form on a page.
func (p *page) csrf(t *testing.T) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no csrf_token on the page:\n%s", p.body)
	}
	return m[1]
}

// post submits a form the way a browser would after loading formPage: with the page's
// CSRF token.
func (b *browser) post(formPage, path string, form url.Values) *page {
	b.t.Helper()
	form.Set("csrf_token", b.get(formPage).csrf(b.t))
	return b.do(http.MethodPost, path, form)
}

// signIn signs in through the form and fails the test unless it succeeds.
func (b *browser) signIn(email string) *page {
	b.t.Helper()
	p := b.post("/login", "/login", url.Values{"email": {email}, "password": {password}})
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d\n%s", email, p.status, p.body)
	}
	return p
}

// cookie returns the value of the named cookie the browser holds for the site.
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func (p *page) want(t *testing.T, status int, fragments ...string) {
	t.Helper()
	if p.status != status {
		t.Fatalf("status %d, want %d\n%s", p.status, status, p.body)
	}
	for _, f := range fragments {
		if !strings.Contains(p.body, f) {
			t.Fatalf("page lacks %q:\n%s", f, p.body)
		}
	}
}

func (p *page) location() string { return p.header.Get("Location") }

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustUser(t *testing.T, s *site, email string) string {
	t.Helper()
	u, err := s.store.FindUserByEmail(ctx, email)
	noErr(t, err)
	return u.ID
}
