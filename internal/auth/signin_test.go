package auth_test

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/storetest"
)

func TestSignInAndThrottle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		a, clk := newService(t, s, func(c *auth.Config) {
			c.Throttle = auth.ThrottleConfig{Window: 15 * time.Minute, MaxPerAccount: 3, MaxPerClient: 5}
		})
		ada := mkUser(t, s, "ada@example.com")
		mkUser(t, s, "nopassword@example.com")
		noErr(t, a.SetPassword(ctx, ada.ID, "ada's long password"))
		home, office := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("198.51.100.7")

		signIn := func(email, pw string, from netip.Addr) error {
			_, err := a.SignIn(ctx, email, pw, from)
			return err
		}
		// One answer for a wrong password, an unknown address and a user without one.
		for _, email := range []string{"ada@example.com", "nobody@example.com", "nopassword@example.com"} {
			if err := signIn(email, "guess guess guess", home); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("%s: want ErrBadCredentials, got %v", email, err)
			}
		}
		u, err := a.SignIn(ctx, " ADA@example.com ", "ada's long password", home)
		noErr(t, err)
		if u.ID != ada.ID {
			t.Fatalf("signed in as %s", u.ID)
		}

		// Success forgot the account's failure; three more lock the account, for anyone.
		for range 3 {
			if err := signIn("ada@example.com", "wrong wrong wrong", office); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatal(err)
			}
		}
		clk.Add(5 * time.Minute)
		var te *auth.ThrottledError
		if err := signIn("ada@example.com", "ada's long password", home); !errors.As(err, &te) {
			t.Fatalf("locked account: want ThrottledError even with the right password, got %v", err)
		}
		if te.RetryAfter != 10*time.Minute {
			t.Fatalf("retry after %v, want 10m (the first of the three failures leaves the window)", te.RetryAfter)
		}
		// The office has 3 failures of its 5; two more on other accounts lock the office.
		for _, email := range []string{"x@example.com", "y@example.com"} {
			if err := signIn(email, "wrong wrong wrong", office); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatal(err)
			}
		}
		if err := signIn("z@example.com", "wrong wrong wrong", office); !errors.As(err, &te) {
			t.Fatalf("locked client: want ThrottledError, got %v", err)
		}
		// Locks lift when the failures leave the window.
		clk.Add(10 * time.Minute)
		if _, err := a.SignIn(ctx, "ada@example.com", "ada's long password", office); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		// A second store (another process) shares the counts.
		other, _ := newService(t, openStore(t, dbURL), func(c *auth.Config) {
			c.Now = clk.Now
			c.Throttle = auth.ThrottleConfig{Window: 15 * time.Minute, MaxPerAccount: 3, MaxPerClient: 5}
		})
		for range 3 {
			signIn("ada@example.com", "wrong wrong wrong", home)
		}
		if _, err := other.SignIn(ctx, "ada@example.com", "ada's long password", home); !errors.As(err, &te) {
			t.Fatalf("other process: want ThrottledError, got %v", err)
		}
	})
}

func TestRehashOnSignIn(t *testing.T) {
	t.Parallel()
	s := openStore(t, storetest.SQLiteURL(t))
	u := mkUser(t, s, "ada@example.com")
	old, err := auth.HashPassword(ctx, "ada's long password", auth.Params{Memory: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	noErr(t, err)
	noErr(t, s.SetPassword(ctx, u.ID, old))
	a, _ := newService(t, s, nil)
	_, err = a.SignIn(ctx, u.Email, "ada's long password", netip.Addr{})
	noErr(t, err)
	c, err := s.FindCredential(ctx, u.ID)
	noErr(t, err)
	if c.PasswordHash == old || auth.NeedsRehash(c.PasswordHash, cheap) {
		t.Fatalf("hash not upgraded to the configured parameters: %s", c.PasswordHash)
	}
}

func TestPasswordLinks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		a, clk := newService(t, s, func(c *auth.Config) { c.BaseURL = "https://docket.example.com/" })
		ada := mkUser(t, s, "ada@example.com")
		token := func(l *auth.Link) string {
			const prefix = "https://docket.example.com/set-password?token="
			if len(l.URL) <= len(prefix) || l.URL[:len(prefix)] != prefix {
				t.Fatalf("link %q does not start with %q", l.URL, prefix)
			}
			return l.URL[len(prefix):]
		}
		first, err := a.IssueLink(ctx, ada.ID, docket.LinkSignIn)
		noErr(t, err)
		second, err := a.IssueLink(ctx, ada.ID, docket.LinkReset)
		noErr(t, err)
		if !second.ExpiresAt.Equal(clk.Now().Add(24 * time.Hour)) {
			t.Fatalf("expires at %v", second.ExpiresAt)
		}
		if _, _, err := a.CheckLink(ctx, token(first)); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("a newer link must replace older ones: %v", err)
		}
		l, u, err := a.CheckLink(ctx, token(second))
		noErr(t, err)
		if u.ID != ada.ID || l.Purpose != docket.LinkReset {
			t.Fatalf("link for %s, purpose %s", u.ID, l.Purpose)
		}
		session, _, err := a.StartSession(ctx, ada.ID)
		noErr(t, err)

		if _, err := a.RedeemLink(ctx, token(second), "short"); docket.ErrorCode(err) != docket.EInvalid {
			t.Fatalf("short password: %v", err)
		}
		id, err := a.RedeemLink(ctx, token(second), "a brand new password")
		noErr(t, err)
		if id != ada.ID {
			t.Fatalf("redeemed for %s", id)
		}
		if _, _, err := a.Session(ctx, session); !auth.IsNoSession(err) {
			t.Fatalf("setting a password from a link must end the user's sessions: %v", err)
		}
		if _, err := a.SignIn(ctx, ada.Email, "a brand new password", netip.Addr{}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.RedeemLink(ctx, token(second), "another new password"); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("a link works once: %v", err)
		}

		expiring, err := a.IssueLink(ctx, ada.ID, docket.LinkReset)
		noErr(t, err)
		clk.Add(24 * time.Hour)
		if _, err := a.RedeemLink(ctx, token(expiring), "another new password"); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("an expired link: %v", err)
		}
		if _, err := a.IssueLink(ctx, "user_nobody", docket.LinkReset); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("link for an unknown user: %v", err)
		}
	})
}
