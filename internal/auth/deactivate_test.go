package auth_test

import (
	"errors"
	"net/netip"
	"net/url"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestDeactivatedUser: a deactivated user is signed out at once, may not sign in (told
// so only with the right password; a wrong one gets the usual answer), and their reset
// link stops working; after reactivation their password works again.
func TestDeactivatedUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		a, _ := newService(t, s, nil)
		ada := mkUser(t, s, "ada@example.com")
		noErr(t, a.SetPassword(ctx, ada.ID, "ada's long password"))
		client := netip.MustParseAddr("192.0.2.1")
		token, _, err := a.StartSession(ctx, ada.ID)
		noErr(t, err)
		link, err := a.IssueLink(ctx, ada.ID, docket.LinkReset)
		noErr(t, err)
		u, err := url.Parse(link.URL)
		noErr(t, err)
		linkToken := u.Query().Get("token")
		if _, _, err := a.CheckLink(ctx, linkToken); err != nil {
			t.Fatalf("reset link before deactivation: %v", err)
		}

		_, err = s.DeactivateUser(ctx, docket.Actor{Type: docket.ActorSystem, ID: "test"}, ada.ID)
		noErr(t, err)
		if _, _, err := a.Session(ctx, token); !auth.IsNoSession(err) {
			t.Fatalf("session of a deactivated user: %v", err)
		}
		tests := []struct {
			password string
			want     error
		}{
			{"ada's long password", auth.ErrDeactivated},
			{"a wrong password here", auth.ErrBadCredentials},
		}
		for _, tt := range tests {
			if _, err := a.SignIn(ctx, "ada@example.com", tt.password, client); !errors.Is(err, tt.want) {
				t.Fatalf("sign in with %q: %v, want %v", tt.password, err, tt.want)
			}
		}
		if _, _, err := a.CheckLink(ctx, linkToken); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("reset link of a deactivated user: %v", err)
		}
		if _, err := a.IssueLink(ctx, ada.ID, docket.LinkReset); docket.ErrorCode(err) != docket.EConflict {
			t.Fatalf("new link for a deactivated user: %v", err)
		}

		_, err = s.ReactivateUser(ctx, docket.Actor{Type: docket.ActorSystem, ID: "test"}, ada.ID)
		noErr(t, err)
		if _, err := a.SignIn(ctx, "ada@example.com", "ada's long password", client); err != nil {
			t.Fatalf("sign in after reactivation: %v", err)
		}
	})
}
