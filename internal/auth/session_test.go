package auth_test

import (
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/storetest"
)

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		a, clk := newService(t, s, func(c *auth.Config) {
			c.SessionIdle, c.SessionMaxAge, c.TouchEvery = time.Hour, 3*time.Hour, time.Minute
		})
		u := mkUser(t, s, "ada@example.com")
		active, _, err := a.StartSession(ctx, u.ID)
		noErr(t, err)
		idle, _, err := a.StartSession(ctx, u.ID)
		noErr(t, err)
		if active == idle || len(active) < 40 {
			t.Fatalf("session tokens must be long and distinct: %q %q", active, idle)
		}

		// Use within a minute of the last write does not write again.
		clk.Add(30 * time.Second)
		sess, got, err := a.Session(ctx, active)
		noErr(t, err)
		if got.ID != u.ID || !sess.SeenAt.Equal(sess.CreatedAt) {
			t.Fatalf("after 30s: user %s, seen %v (created %v): want no touch yet", got.ID, sess.SeenAt, sess.CreatedAt)
		}
		// Active use slides the idle deadline...
		for range 3 {
			clk.Add(50 * time.Minute)
			if _, _, err := a.Session(ctx, active); err != nil {
				t.Fatalf("at %v an active session ended: %v", clk.Now(), err)
			}
		}
		stored, _, err := s.FindSession(ctx, auth.HashToken(active))
		noErr(t, err)
		if !stored.SeenAt.Equal(clk.Now()) {
			t.Fatalf("seen_at %v, want %v", stored.SeenAt, clk.Now())
		}
		// ...but an unused one expires after an hour, and is deleted.
		if _, _, err := a.Session(ctx, idle); !auth.IsNoSession(err) {
			t.Fatalf("idle session: want not signed in, got %v", err)
		}
		if _, _, err := s.FindSession(ctx, auth.HashToken(idle)); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("expired session still stored: %v", err)
		}
		// The absolute lifetime ends even an active session.
		clk.Add(3*time.Hour - 150*time.Minute - 30*time.Second - time.Millisecond)
		if _, _, err := a.Session(ctx, active); err != nil {
			t.Fatalf("just before the absolute end: %v", err)
		}
		clk.Add(time.Millisecond)
		if _, _, err := a.Session(ctx, active); !auth.IsNoSession(err) {
			t.Fatalf("at the absolute end: want not signed in, got %v", err)
		}
	})
}

func TestSessionEnds(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		a, _ := newService(t, s, nil)
		ada, bob := mkUser(t, s, "ada@example.com"), mkUser(t, s, "bob@example.com")
		start := func(id string) string {
			tok, _, err := a.StartSession(ctx, id)
			noErr(t, err)
			return tok
		}
		live := func(tok string) bool {
			_, _, err := a.Session(ctx, tok)
			if err != nil && !auth.IsNoSession(err) {
				t.Fatal(err)
			}
			return err == nil
		}
		a1, a2, b1 := start(ada.ID), start(ada.ID), start(bob.ID)

		// A second store on the same database (a restart, another process) sees it.
		other, _ := newService(t, openStore(t, dbURL), nil)
		if _, u, err := other.Session(ctx, a1); err != nil || u.ID != ada.ID {
			t.Fatalf("second store: %v %v", u, err)
		}

		noErr(t, a.EndSession(ctx, a1))
		if live(a1) || !live(a2) {
			t.Fatal("EndSession must end that session only")
		}
		noErr(t, s.SetPassword(ctx, ada.ID, "$argon2id$unused"))
		noErr(t, s.DeleteCredential(ctx, ada.ID))
		if live(a2) || !live(b1) {
			t.Fatal("DeleteCredential must end the user's sessions only")
		}
		if _, err := s.FindCredential(ctx, ada.ID); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("credential still there: %v", err)
		}
		noErr(t, s.EndUserSessions(ctx, bob.ID))
		if live(b1) {
			t.Fatal("EndUserSessions left a session")
		}
		if live("") || live("not-a-token") {
			t.Fatal("an empty or unknown token must not be signed in")
		}
	})
}
