package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// stepTimeout bounds one browser step; a page that does not appear by then is a failure,
// not a reason to wait for the test's deadline.
const stepTimeout = 20 * time.Second

// tab is one person's browser tab on a server: a private browser context with its own
// cookies. Its methods fail the test, showing where the tab was and what it showed.
type tab struct {
	t   *testing.T
	srv *server
	ctx context.Context
}

func (s *server) tab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel, err := browser(t).Tab()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return &tab{t: t, srv: s, ctx: ctx}
}

// fail reports err with the tab's address and the start of its text.
func (b *tab) fail(what string, err error) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 2000 {
		text = text[:2000] + "…"
	}
	b.t.Fatalf("%s: %v\nat %s, showing:\n%s", what, err, loc, text)
}

// do runs steps within stepTimeout.
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail(what, err)
	}
}

// navigate runs steps that load a page (following redirects) and returns the page's
// HTTP status.
func (b *tab) navigate(what string, steps ...chromedp.Action[chromedp.Void]) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		b.fail(what, err)
	}
	return int(resp.Status)
}

// open loads a path of the server and returns the status of the page.
func (b *tab) open(path string) int {
	b.t.Helper()
	return b.navigate("open "+path, chromedp.Navigate(b.srv.base+path))
}

// openOK loads a path and fails unless the page is a 200.
func (b *tab) openOK(path string) {
	b.t.Helper()
	if st := b.open(path); st != 200 {
		b.fail("open "+path, fmt.Errorf("status %d", st))
	}
}

// click clicks the element and waits for the page it leads to; it returns its status.
func (b *tab) click(sel string) int {
	b.t.Helper()
	return b.navigate("click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// clickOK clicks and fails unless the next page is a 200.
func (b *tab) clickOK(sel string) {
	b.t.Helper()
	if st := b.click(sel); st != 200 {
		b.fail("click "+sel, fmt.Errorf("status %d", st))
	}
}

// fill replaces the value of an input, select or textarea.
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	b.do("fill "+sel, chromedp.SetValue(chromedp.CSS(sel), value))
}

// typeInto types into an element as a person would, key by key.
func (b *tab) typeInto(sel, keys string) {
	b.t.Helper()
	b.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), keys))
}

// key presses keys on whatever has the focus.
func (b *tab) key(keys string) {
	b.t.Helper()
	b.do("press "+keys, chromedp.KeyEvent(keys))
}

// eval evaluates a JavaScript expression in the page and decodes its value into T.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.fail("evaluate "+js, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it holds.
func (b *tab) waitFor(what, js string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond),
		chromedp.WithPollingTimeout(stepTimeout))); err != nil {
		b.fail("wait for "+what, err)
	}
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// has reports whether an element matches the selector.
func (b *tab) has(sel string) bool {
	b.t.Helper()
	return eval[bool](b, "document.querySelector("+jsString(sel)+") !== null")
}

// count returns how many elements match the selector.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return eval[int](b, "document.querySelectorAll("+jsString(sel)+").length")
}

// text returns the visible text of the first element matching the selector, or "" when
// there is none.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, "(document.querySelector("+jsString(sel)+") || {innerText: ''}).innerText")
}

// wantText fails unless the element's text holds every fragment.
func (b *tab) wantText(sel string, fragments ...string) {
	b.t.Helper()
	text := b.text(sel)
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			b.fail("text of "+sel, fmt.Errorf("lacks %q", f))
		}
	}
}

// path returns the path and query the tab shows.
func (b *tab) path() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fail("location", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.fail("location", err)
	}
	return u.RequestURI()
}

// cookie returns the value of a cookie the tab holds for the server, HttpOnly ones
// included, or "".
func (b *tab) cookie(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.srv.base}})
	if err != nil {
		b.fail("cookies", err)
	}
	for _, c := range cookies.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// signIn signs in through the form, as a person would, and waits for the dashboard.
func (b *tab) signIn(email string) {
	b.t.Helper()
	if b.open("/login") != 200 {
		b.fail("sign-in page", fmt.Errorf("not shown"))
	}
	b.fill("#email", email)
	b.fill("#password", password)
	if st := b.click(`form[action="/login"] button[type=submit]`); st != 200 || b.has("#password") {
		b.fail("sign in as "+email, fmt.Errorf("status %d", st))
	}
}

// viewport resizes the tab's window.
func (b *tab) viewport(width int64) {
	b.t.Helper()
	b.do("resize", chromedp.EmulateViewport(width, 844))
}

// clickOn clicks an element without waiting for a page (a menu, a toggle).
func clickOn(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)
}

// keyAction presses keys on whatever has the focus, as a step of a navigation.
func keyAction(keys string) chromedp.Action[chromedp.Void] {
	return chromedp.KeyEvent(keys)
}

// submitAction submits the form matching the selector, as a step of a navigation.
func submitAction(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Submit(chromedp.CSS(sel))
}

// wantNoText fails if the element's text holds the fragment.
func (b *tab) wantNoText(sel, fragment string) {
	b.t.Helper()
	if strings.Contains(b.text(sel), fragment) {
		b.fail("text of "+sel, fmt.Errorf("shows %q", fragment))
	}
}
