package store_test

import (
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// TestIssueAPIKey: what the API, the dashboard and the command line create keys with,
// and the rules each new key must meet, with the field each refusal names.
func TestIssueAPIKey(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		useFakeClock(s)
		ada := mkUser(t, s, "ada@example.com")
		tomorrow, yesterday := epoch.Add(24*time.Hour), epoch.Add(-time.Second)
		refused := []struct {
			name  string
			n     docket.NewAPIKey
			field string
		}{
			{"no name", docket.NewAPIKey{Name: "  ", Scopes: []string{docket.ScopeAll}}, "name"},
			{"long name", docket.NewAPIKey{Name: string(make([]byte, 201)), Scopes: []string{docket.ScopeAll}}, "name"},
			{"no scopes", docket.NewAPIKey{Name: "ci"}, "scopes"},
			{"unknown scope", docket.NewAPIKey{Name: "ci", Scopes: []string{docket.ScopeCaseRead, "case.delete"}}, "scopes[1]"},
			{"expired already", docket.NewAPIKey{Name: "ci", Scopes: []string{docket.ScopeAll}, ExpiresAt: &yesterday}, "expires-at"},
			{"unknown user", docket.NewAPIKey{Name: "ci", Scopes: []string{docket.ScopeAll}, UserID: ptr("user_missing")}, "user-id"},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.IssueAPIKey(ctx, tt.n, docket.NewAPIKeySecret())
				wantErr(t, err, docket.EInvalid, tt.field)
			})
		}
		secret := docket.NewAPIKeySecret()
		k := must[*docket.APIKey](t)(s.IssueAPIKey(ctx, docket.NewAPIKey{Name: " ci ", Scopes: []string{docket.ScopeCaseRead},
			UserID: &ada.ID, ExpiresAt: &tomorrow}, secret))
		got := must[*docket.APIKey](t)(s.FindAPIKey(ctx, k.ID))
		wantJSON(t, "stored key", got, jsonText(t, k))
		if got.Name != "ci" || *got.UserID != ada.ID || !got.ExpiresAt.Equal(tomorrow) || got.LastUsedAt != nil {
			t.Fatalf("stored key: %+v", got)
		}
		list, _ := must2[*docket.APIKey](t)(s.ListAPIKeysPage(ctx, docket.Page{}))
		if len(list) != 1 || list[0].ID != k.ID {
			t.Fatalf("listed %v", list)
		}
		_, err := s.FindAPIKey(ctx, "api_missing")
		wantErr(t, err, docket.ENotFound, "")
	})
}

// TestAPIKeyExpiry: a key works until its expiry by the store's clock, then is refused
// like a revoked one.
func TestAPIKeyExpiry(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		end := epoch.Add(time.Hour)
		secret := docket.NewAPIKeySecret()
		must[*docket.APIKey](t)(s.IssueAPIKey(ctx, docket.NewAPIKey{Name: "ci", Scopes: []string{docket.ScopeAll}, ExpiresAt: &end}, secret))
		must[*docket.APIKey](t)(s.FindAPIKeyBySecret(ctx, secret))
		clock.Set(end.Add(-time.Millisecond))
		must[*docket.APIKey](t)(s.FindAPIKeyBySecret(ctx, secret))
		clock.Set(end)
		_, err := s.FindAPIKeyBySecret(ctx, secret)
		wantErr(t, err, docket.EUnauthorized, "")
	})
}

// TestTouchAPIKey: a key's last use is written at most once per APIKeyTouchEvery and
// never moves back, whichever process touches it.
func TestTouchAPIKey(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		k := must[*docket.APIKey](t)(s.CreateAPIKey(ctx, "ci", []string{docket.ScopeAll}, docket.NewAPIKeySecret()))
		steps := []struct {
			at   time.Duration
			want time.Duration
		}{
			{0, 0},
			{30 * time.Second, 0}, // within the minute: not written
			{docket.APIKeyTouchEvery, docket.APIKeyTouchEvery},
			{docket.APIKeyTouchEvery - time.Second, docket.APIKeyTouchEvery}, // an older time never wins
			{3 * time.Minute, 3 * time.Minute},
		}
		for _, st := range steps {
			noErr(t, s.TouchAPIKey(ctx, k.ID, epoch.Add(st.at)))
			got := must[*docket.APIKey](t)(s.FindAPIKey(ctx, k.ID))
			if got.LastUsedAt == nil || !got.LastUsedAt.Equal(epoch.Add(st.want)) {
				t.Fatalf("touch at +%s: last used %v, want +%s", st.at, got.LastUsedAt, st.want)
			}
		}
	})
}
