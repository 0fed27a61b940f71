package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		u := &docket.User{Email: "  Alice@Example.COM ", Name: "Alice", Available: true}
		noErr(t, s.CreateUser(ctx, apiActor, u))
		if !docket.ValidID(docket.PrefixUser, u.ID) || u.Email != "alice@example.com" || u.Role != "reviewer" || !u.CreatedAt.Equal(epoch) {
			t.Fatalf("created user: %+v", u)
		}
		for _, lookup := range []func() (*docket.User, error){
			func() (*docket.User, error) { return s.FindUser(ctx, u.ID) },
			func() (*docket.User, error) { return s.FindUserByEmail(ctx, "ALICE@example.com ") },
		} {
			got := must[*docket.User](t)(lookup())
			if jsonText(t, got) != jsonText(t, u) {
				t.Fatalf("found %s, want %s", jsonText(t, got), jsonText(t, u))
			}
		}

		refused := []struct {
			name  string
			user  docket.User
			code  string
			field string
		}{
			{"same email, other case", docket.User{Email: "alice@EXAMPLE.com"}, docket.EConflict, "email-address"},
			{"no email", docket.User{}, docket.EInvalid, "email-address"},
			{"bad email", docket.User{Email: "alice at example"}, docket.EInvalid, "email-address"},
			{"unknown role", docket.User{Email: "bob@example.com", Role: "owner"}, docket.EInvalid, "role"},
			{"long name", docket.User{Email: "bob@example.com", Name: strings.Repeat("n", 201)}, docket.EInvalid, "name"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				u := tc.user
				wantErr(t, s.CreateUser(ctx, apiActor, &u), tc.code, tc.field)
			})
		}
		if users, _ := must2[*docket.User](t)(s.ListUsers(ctx, docket.Page{})); len(users) != 1 {
			t.Fatalf("%d users after refusals", len(users))
		}

		at := clock.Add(time.Hour)
		role, name, avail := "manager", "Alice A.", false
		got := must[*docket.User](t)(s.UpdateUser(ctx, userActor, u.ID, docket.UserUpdate{Role: &role, Name: &name, Available: &avail}))
		for _, x := range []*docket.User{got, must[*docket.User](t)(s.FindUser(ctx, u.ID))} {
			if x.Role != role || x.Name != name || x.Available || x.Email != u.Email || !x.UpdatedAt.Equal(at) || !x.CreatedAt.Equal(epoch) {
				t.Fatalf("updated user: %+v", x)
			}
		}
		bad := "owner"
		_, err := s.UpdateUser(ctx, apiActor, u.ID, docket.UserUpdate{Role: &bad})
		wantErr(t, err, docket.EInvalid, "role")
		if x := must[*docket.User](t)(s.FindUser(ctx, u.ID)); x.Role != role {
			t.Fatalf("refused update stored role %q", x.Role)
		}
		wantStrings(t, "events", eventNames(t, s, u.ID), []string{docket.EventUserCreated, docket.EventUserUpdated})

		_, err = s.UpdateUser(ctx, apiActor, docket.NewID(docket.PrefixUser), docket.UserUpdate{Role: &role})
		wantErr(t, err, docket.ENotFound, "")
		_, err = s.FindUser(ctx, docket.NewID(docket.PrefixUser))
		wantErr(t, err, docket.ENotFound, "")
		_, err = s.FindUserByEmail(ctx, "nobody@example.com")
		wantErr(t, err, docket.ENotFound, "")

		// Paging and batch lookup.
		ids := []string{u.ID}
		for _, e := range []string{"b@example.com", "c@example.com", "d@example.com"} {
			ids = append(ids, mkUser(t, s, e).ID)
		}
		newest := idOrder(ids...)
		page, r := must2[*docket.User](t)(s.ListUsers(ctx, docket.Page{Size: 3}))
		if len(page) != 3 || page[0].ID != newest[3] || !r.HasNext {
			t.Fatalf("first page: %d %+v", len(page), r)
		}
		page, r = must2[*docket.User](t)(s.ListUsers(ctx, docket.Page{Size: 3, After: page[2].ID}))
		if len(page) != 1 || page[0].ID != newest[0] || r.HasNext || !r.HasPrev {
			t.Fatalf("second page: %d %+v", len(page), r)
		}
		if found := must[[]*docket.User](t)(s.FindUsers(ctx, []string{ids[1], docket.NewID(docket.PrefixUser), ids[2]})); len(found) != 2 {
			t.Fatalf("FindUsers found %d", len(found))
		}
	})
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		secret := docket.NewAPIKeySecret()
		k := must[*docket.APIKey](t)(s.CreateAPIKey(ctx, "ci", []string{docket.ScopeCaseRead, docket.ScopeCaseWrite}, secret))
		if !docket.ValidID(docket.PrefixAPIKey, k.ID) || k.SecretHash == secret || k.SecretHash != docket.HashAPIKeySecret(secret) {
			t.Fatalf("created key: %+v", k)
		}
		got := must[*docket.APIKey](t)(s.FindAPIKeyBySecret(ctx, secret))
		if got.ID != k.ID || !got.Allows(docket.ScopeCaseWrite) || got.Allows(docket.ScopeUserWrite) {
			t.Fatalf("found key: %+v", got)
		}
		_, err := s.FindAPIKeyBySecret(ctx, secret+"x")
		wantErr(t, err, docket.EUnauthorized, "")
		_, err = s.CreateAPIKey(ctx, "dup", []string{docket.ScopeAll}, secret)
		wantErr(t, err, docket.EConflict, "")
		_, err = s.CreateAPIKey(ctx, "bad", []string{docket.ScopeCaseRead, "case.delete"}, docket.NewAPIKeySecret())
		wantErr(t, err, docket.EInvalid, "scopes[1]")
		_, err = s.CreateAPIKey(ctx, "none", nil, docket.NewAPIKeySecret())
		wantErr(t, err, docket.EInvalid, "scopes")

		other := docket.NewAPIKeySecret()
		must[*docket.APIKey](t)(s.CreateAPIKey(ctx, "other", []string{docket.ScopeAll}, other))
		noErr(t, s.RevokeAPIKeys(ctx, "ci"))
		_, err = s.FindAPIKeyBySecret(ctx, secret)
		wantErr(t, err, docket.EUnauthorized, "")
		if got := must[*docket.APIKey](t)(s.FindAPIKeyBySecret(ctx, other)); !got.Allows(docket.ScopeSARFile) {
			t.Fatalf("revoking one name revoked another: %+v", got)
		}
	})
}
