package ui_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// chromium is Debian's browser; the test is skipped where it is not installed.
const chromium = "/usr/bin/chromium"

// TestBrowserSignInAndLayout signs in and out with a real browser, checks that the strict
// Content-Security-Policy lets the stylesheet and script load, and that the pages fit a
// 390 px phone and a 1280 px screen without sideways scrolling. With DOCKET_TEST_SCREENSHOTS
// set to a folder, it saves what it saw there.
func TestBrowserSignInAndLayout(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skip(chromium + " is not installed")
	}
	s := newSite(t, storetest.SQLiteURL(t), nil)
	ada := s.user("ada@example.com", "reviewer")
	actor := docket.Actor{Type: docket.ActorSystem, ID: "test"}
	day := int64(24 * 3600)
	tm := &docket.CaseTemplate{Name: "KYC review", Key: "KYC", SLASeconds: &day}
	noErr(t, s.store.CreateTemplate(ctx, actor, tm))
	for range 3 {
		c, err := s.store.CreateCase(ctx, actor, docket.NewCase{TemplateID: tm.ID})
		noErr(t, err)
		_, err = s.store.AssignCase(ctx, actor, c.ID, ada.Email)
		noErr(t, err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-quic", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first Run starts the browser, which must outlive any per-step timeout.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	tab, stop := context.WithTimeout(bctx, time.Minute)
	defer stop()

	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) bool {
		t.Helper()
		ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return ok
	}
	location := func() string {
		t.Helper()
		loc, err := chromedp.Run(tab, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	fits := func(page string) {
		t.Helper()
		for _, width := range []int64{390, 1280} {
			run("resize", chromedp.EmulateViewport(width, 844))
			if !eval(`document.documentElement.scrollWidth <= window.innerWidth`) {
				t.Errorf("%s at %d px scrolls sideways", page, width)
			}
			if dir := os.Getenv("DOCKET_TEST_SCREENSHOTS"); dir != "" {
				png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
				if err == nil {
					err = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", page, width)), png, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	run("open", chromedp.Navigate(s.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#email")))
	if !strings.Contains(location(), "/login") {
		t.Fatalf("a visitor should land on the sign-in page, got %s", location())
	}
	if !eval(`document.documentElement.classList.contains("js") && document.styleSheets.length === 1 && document.styleSheets[0].cssRules.length > 20`) {
		t.Fatal("the script or the stylesheet did not load under the Content-Security-Policy")
	}
	fits("login")
	run("sign in",
		chromedp.SendKeys(chromedp.CSS("#email"), "ada@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("nav.main-nav")))
	if location() != s.srv.URL+"/" {
		t.Fatalf("after sign-in: %s", location())
	}
	fits("home")
	run("sign out",
		chromedp.Click(chromedp.CSS("details.user-menu summary")),
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#email")))
	text, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("main")))
	if err != nil || !strings.Contains(text, "You have signed out.") {
		t.Fatalf("after sign-out: %q %v", text, err)
	}
	run("back to the dashboard", chromedp.Navigate(s.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#email")))
}
