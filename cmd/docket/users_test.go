package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

// docketCmd runs one docket command with stdin and returns its standard output.
func docketCmd(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := runIO(ctx, args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut, nil)
	return out.String(), err
}

// dashboard is a browser on a running server: a cookie jar, redirects not followed.
type dashboard struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newDashboard(t *testing.T, base string) *dashboard {
	jar, _ := cookiejar.New(nil)
	return &dashboard{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (d *dashboard) do(method, path string, form url.Values) (int, string, string) {
	d.t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodGet {
		resp, err = d.c.Get(d.base + path)
	} else {
		resp, err = d.c.PostForm(d.base+path, form)
	}
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// submit loads formPath, then posts form to action with the page's CSRF token.
func (d *dashboard) submit(formPath, action string, form url.Values) (int, string, string) {
	d.t.Helper()
	_, _, body := d.do(http.MethodGet, formPath, nil)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		d.t.Fatalf("no form on %s:\n%s", formPath, body)
	}
	form.Set("csrf_token", m[1])
	return d.do(http.MethodPost, action, form)
}

func (d *dashboard) signIn(email, pw string) {
	d.t.Helper()
	if status, loc, body := d.submit("/login", "/login", url.Values{"email": {email}, "password": {pw}}); status != http.StatusSeeOther || loc != "/" {
		d.t.Fatalf("sign in as %s: %d %q\n%s", email, status, loc, body)
	}
	if status, _, body := d.do(http.MethodGet, "/", nil); status != http.StatusOK || !strings.Contains(body, email) {
		d.t.Fatalf("My work as %s: %d\n%s", email, status, body)
	}
}

func TestUsersCommands(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		env := map[string]string{"DOCKET_DATABASE_URL": dbURL, "DOCKET_LOG_LEVEL": "warn"}
		// The first admin, with a password piped in.
		out, err := docketCmd(t, env, "correct horse battery staple\n", "users", "create", "--email", "Ada@Example.com", "--name", "Ada", "--role", "admin")
		if err != nil || !strings.Contains(out, "Created ada@example.com (admin") {
			t.Fatalf("users create: %v\n%s", err, out)
		}
		// Without a password, a one-time sign-in link on DOCKET_BASE_URL's default.
		out, err = docketCmd(t, env, "", "users", "create", "--email", "bob@example.com", "--name", "Bob")
		link := regexp.MustCompile(`http://127\.0\.0\.1:8080(/set-password\?token=[A-Za-z0-9_-]+)`).FindStringSubmatch(out)
		if err != nil || link == nil || !strings.Contains(out, "(reviewer") {
			t.Fatalf("users create without password: %v\n%s", err, out)
		}
		// Refusals leave nothing behind.
		if _, err := docketCmd(t, env, "short\n", "users", "create", "--email", "carol@example.com"); err == nil || !strings.Contains(err.Error(), "at least 12") {
			t.Fatalf("short password: %v", err)
		}
		if _, err := docketCmd(t, env, "", "users", "create", "--email", "carol@example.com", "--role", "owner"); err == nil {
			t.Fatal("an unknown role must be refused")
		}
		if _, err := docketCmd(t, env, "", "users", "create", "--email", "ada@example.com"); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("duplicate email: %v", err)
		}

		s := startServer(t, dbURL)
		newDashboard(t, s.base).signIn("ada@example.com", "correct horse battery staple")

		bob := newDashboard(t, s.base)
		if status, _, body := bob.do(http.MethodGet, link[1], nil); status != http.StatusOK || !strings.Contains(body, "Choose your password") {
			t.Fatalf("sign-in link: %d\n%s", status, body)
		}
		token := strings.TrimPrefix(link[1], "/set-password?token=")
		if status, loc, body := bob.submit(link[1], "/set-password", url.Values{"token": {token}, "password": {"bob's own long password"}, "confirm": {"bob's own long password"}}); status != http.StatusSeeOther || loc != "/" {
			t.Fatalf("set password: %d %q\n%s", status, loc, body)
		}
		newDashboard(t, s.base).signIn("bob@example.com", "bob's own long password")

		// A reset link from the command line, on the configured base URL.
		env["DOCKET_BASE_URL"] = "https://docket.example.com"
		out, err = docketCmd(t, env, "", "users", "reset-password", "--email", "BOB@example.com")
		if err != nil || !regexp.MustCompile(`https://docket\.example\.com/set-password\?token=\S+`).MatchString(out) {
			t.Fatalf("reset-password: %v\n%s", err, out)
		}
		if _, err := docketCmd(t, env, "", "users", "reset-password", "--email", "nobody@example.com"); err == nil {
			t.Fatal("reset-password for an unknown user must fail")
		}
	})
}

func TestPasswordResetAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := startServer(t, dbURL)
		u := must(t, 201)(call(t, s.base, "POST", "/api/v1/users", `{"data":{"attributes":{"email-address":"ada@example.com","name":"Ada","role":"reviewer"}}}`))
		status, doc := call(t, s.base, "POST", "/api/v1/users/"+u["id"].(string)+"/password-reset", "")
		meta, _ := doc["meta"].(map[string]any)
		link, _ := meta["url"].(string)
		if status != 201 || !strings.HasPrefix(link, s.base+"/set-password?token=") || meta["purpose"] != "reset" || meta["expires-at"] == nil {
			t.Fatalf("password-reset: %d %v", status, doc)
		}
		d := newDashboard(t, s.base)
		path := strings.TrimPrefix(link, s.base)
		if status, loc, body := d.submit(path, "/set-password", url.Values{"token": {strings.TrimPrefix(path, "/set-password?token=")},
			"password": {"a fresh long password"}, "confirm": {"a fresh long password"}}); status != http.StatusSeeOther || loc != "/" {
			t.Fatalf("set password: %d %q\n%s", status, loc, body)
		}
		newDashboard(t, s.base).signIn("ada@example.com", "a fresh long password")
		if status, _ := call(t, s.base, "POST", "/api/v1/users/user_01jzzzzzzzzzzzzzzzzzzzzzzz/password-reset", ""); status != 404 {
			t.Fatalf("unknown user: %d", status)
		}
	})
}

func TestServeDemoPrintsSignIns(t *testing.T) {
	dbURL := storetest.SQLiteURL(t)
	env := map[string]string{"DOCKET_DATABASE_URL": dbURL, "DOCKET_LOG_LEVEL": "warn"}
	ctx, cancel := context.WithCancel(context.Background())
	var out syncWriter
	out.w = &bytes.Buffer{}
	addrc, errc := make(chan string, 1), make(chan error, 1)
	go func() {
		errc <- runWith(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] },
			&out, io.Discard, func(addr string) { addrc <- addr })
	}()
	t.Cleanup(func() { cancel(); <-errc })
	var base string
	select {
	case addr := <-addrc:
		base = "http://" + addr
	case err := <-errc:
		t.Fatalf("serve --demo: %v", err)
	}
	waitHealthy(t, base)
	out.mu.Lock()
	printed := out.w.(*bytes.Buffer).String()
	out.mu.Unlock()
	accounts := regexp.MustCompile(`(?m)^\s+(admin|reviewer)\s+(\S+@\S+)\s+password: (\S+)$`).FindAllStringSubmatch(printed, -1)
	if len(accounts) != 2 || !strings.Contains(printed, "API key (demo") || !strings.Contains(printed, base+"/login") {
		t.Fatalf("serve --demo printed:\n%s", printed)
	}
	for _, a := range accounts {
		newDashboard(t, base).signIn(a[2], a[3])
	}
}
