package browsertest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/docket-hq/docket/internal/auth"
)

// TestSignInAndLayout signs in and out with a real browser, checks that the strict
// Content-Security-Policy lets the stylesheet and script load, and that the pages fit a
// 390 px phone and a 1280 px screen without sideways scrolling.
func TestSignInAndLayout(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		ada := s.user(t, "reviewer")
		tm := s.template(t, nil)
		for range 3 {
			s.assign(t, s.newCase(t, tm, nil), ada)
		}
		b := s.tab(t)
		b.openOK("/")
		if !strings.HasPrefix(b.path(), "/login") {
			t.Fatalf("a visitor should land on the sign-in page, got %s", b.path())
		}
		if !eval[bool](b, `document.documentElement.classList.contains("js") && document.styleSheets.length >= 1 && document.styleSheets[0].cssRules.length > 20`) {
			t.Fatal("the script or the stylesheet did not load under the Content-Security-Policy")
		}
		b.fits("sign-in page")
		// Typed key by key, as a person signs in (other tests fill the fields at once).
		b.typeInto("#email", ada.Email)
		b.typeInto("#password", password)
		if st := b.click(`form[action="/login"] button[type=submit]`); st != 200 || b.path() != "/" {
			t.Fatalf("after sign-in: status %d at %s", st, b.path())
		}
		if n := b.count(`section[aria-labelledby="my-cases"] tbody tr`); n != 3 {
			t.Fatalf("My work lists %d cases, want the 3 assigned", n)
		}
		b.fits("home")
	})
}

// fits fails if the page scrolls sideways on a 390 px phone or a 1280 px screen.
func (b *tab) fits(page string) {
	b.t.Helper()
	for _, width := range []int64{390, 1280} {
		b.viewport(width)
		if !eval[bool](b, `document.documentElement.scrollWidth <= window.innerWidth`) {
			b.t.Errorf("%s at %d px scrolls sideways", page, width)
		}
	}
}

// TestSignOutEndsTheSession signs out through the menu and checks that the session is
// over on the server, not only forgotten by the browser.
func TestSignOutEndsTheSession(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		u := s.user(t, "viewer")
		b := s.tab(t)
		b.signIn(u.Email)
		token := b.cookie("docket_session")
		if _, _, err := s.auth.Session(ctx, token); err != nil {
			t.Fatalf("the session cookie should name a live session: %v", err)
		}
		b.do("open the user menu", clickOn("details.user-menu summary"))
		if st := b.click(`form[action="/logout"] button`); st != 200 {
			t.Fatalf("sign out: status %d", st)
		}
		b.wantText("main", "You have signed out.")
		if _, _, err := s.auth.Session(ctx, token); !auth.IsNoSession(err) {
			t.Fatalf("after sign-out the session must be over on the server: %v", err)
		}
		b.openOK("/")
		if !strings.HasPrefix(b.path(), "/login") || !b.has("#password") {
			t.Fatalf("after sign-out the dashboard should ask to sign in, at %s", b.path())
		}
	})
}

// TestPostWithoutCSRFTokenIsRefused removes the token from real forms, on the sign-in page
// and signed in, and submits them: both are refused and change nothing.
func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		u := s.user(t, "reviewer")
		b := s.tab(t)

		b.openOK("/login")
		b.fill("#email", u.Email)
		b.fill("#password", password)
		b.removeCSRF(`form[action="/login"]`)
		if st := b.click(`form[action="/login"] button[type=submit]`); st != 403 {
			t.Fatalf("sign-in without a CSRF token: status %d, want 403", st)
		}
		b.wantText("main", "This form was refused")
		if b.cookie("docket_session") != "" {
			t.Fatal("a refused sign-in must not start a session")
		}

		b.signIn(u.Email)
		b.removeCSRF(`form[action="/logout"]`)
		b.do("open the user menu", clickOn("details.user-menu summary"))
		if st := b.click(`form[action="/logout"] button`); st != 403 {
			t.Fatalf("sign-out without a CSRF token: status %d, want 403", st)
		}
		if _, _, err := s.auth.Session(ctx, b.cookie("docket_session")); err != nil {
			t.Fatalf("a refused sign-out must leave the session alone: %v", err)
		}
	})
}

// removeCSRF takes the CSRF token out of a form, as a forged form would lack it.
func (b *tab) removeCSRF(form string) {
	b.t.Helper()
	if !eval[bool](b, fmt.Sprintf(`(() => { const i = document.querySelector(%s + " input[name=%s]"); if (!i) return false; i.remove(); return true })()`,
		jsString(form), auth.CSRFField)) {
		b.fail("remove the CSRF token", fmt.Errorf("%s has no %s input", form, auth.CSRFField))
	}
}

// TestThrottlingAfterBadPasswords types wrong passwords until sign-in is locked: then even
// the right password is refused, with the time to wait.
func TestThrottlingAfterBadPasswords(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		u := s.user(t, "reviewer")
		b := s.tab(t)
		limit := auth.DefaultConfig().Throttle.MaxPerAccount
		for i := range limit {
			if st := b.tryPassword(u.Email, "not the password"); st != 401 {
				t.Fatalf("wrong password %d: status %d, want 401", i+1, st)
			}
			b.wantText("main", "Email or password is incorrect.")
		}
		if st := b.tryPassword(u.Email, password); st != 429 {
			t.Fatalf("right password after %d wrong ones: status %d, want 429", limit, st)
		}
		b.wantText("main", "Too many failed sign-in attempts. Try again in")
		if b.cookie("docket_session") != "" {
			t.Fatal("a throttled sign-in must not start a session")
		}
	})
}

// tryPassword submits the sign-in form and returns the status of the answer.
func (b *tab) tryPassword(email, pw string) int {
	b.t.Helper()
	b.openOK("/login")
	b.fill("#email", email)
	b.fill("#password", pw)
	return b.click(`form[action="/login"] button[type=submit]`)
}
