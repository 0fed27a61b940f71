package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestIdempotencyKeys(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		reserve := func(apiKey, key, hash string) *docket.StoredResponse {
			t.Helper()
			return must[*docket.StoredResponse](t)(s.ReserveIdempotencyKey(ctx, apiKey, key, hash))
		}
		wantPrior := func(what string, got *docket.StoredResponse, hash string, status int, body string) {
			t.Helper()
			if got == nil {
				t.Fatalf("%s: no stored response", what)
			}
			if got.RequestHash != hash || got.Status != status || string(got.Body) != body {
				t.Fatalf("%s: got %q %d %q, want %q %d %q", what, got.RequestHash, got.Status, got.Body, hash, status, body)
			}
		}

		// First use reserves; a second use while the first is in flight sees status 0.
		if got := reserve("api_1", "k1", "h1"); got != nil {
			t.Fatalf("first reservation returned %+v", got)
		}
		wantPrior("in flight", reserve("api_1", "k1", "h1"), "h1", 0, "")
		// Keys belong to their API key: another key may use the same name.
		if got := reserve("api_2", "k1", "other"); got != nil {
			t.Fatalf("another API key's reservation returned %+v", got)
		}
		// Completed: replayed with status and body; a different request sees the stored hash.
		noErr(t, s.CompleteIdempotencyKey(ctx, "api_1", "k1", 201, []byte(`{"data":{"id":"case_1"}}`)))
		wantPrior("replay", reserve("api_1", "k1", "h1"), "h1", 201, `{"data":{"id":"case_1"}}`)
		wantPrior("mismatch", reserve("api_1", "k1", "h2"), "h1", 201, `{"data":{"id":"case_1"}}`)
		wantPrior("other API key untouched", reserve("api_2", "k1", "other"), "other", 0, "")

		// Released: the key can be reserved afresh, by a different request too.
		noErr(t, s.ReleaseIdempotencyKey(ctx, "api_2", "k1"))
		if got := reserve("api_2", "k1", "retry"); got != nil {
			t.Fatalf("reservation after release returned %+v", got)
		}
		noErr(t, s.ReleaseIdempotencyKey(ctx, "api_9", "never")) // releasing nothing is fine

		// Kept for exactly 24 hours after the first use, then forgotten.
		clock.Add(docket.IdempotencyTTL)
		wantPrior("at 24 h", reserve("api_1", "k1", "h2"), "h1", 201, `{"data":{"id":"case_1"}}`)
		clock.Add(time.Millisecond)
		if got := reserve("api_1", "k1", "h2"); got != nil {
			t.Fatalf("reservation after expiry returned %+v", got)
		}
		wantPrior("new reservation after expiry", reserve("api_1", "k1", "h3"), "h2", 0, "")
	})
}

func TestDeleteExpiredIdempotencyKeys(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		for _, k := range []string{"a", "b", "c"} {
			must[*docket.StoredResponse](t)(s.ReserveIdempotencyKey(ctx, "api_1", k, "h"))
		}
		clock.Add(time.Hour)
		must[*docket.StoredResponse](t)(s.ReserveIdempotencyKey(ctx, "api_1", "d", "h"))
		noErr(t, s.CompleteIdempotencyKey(ctx, "api_1", "d", 201, []byte("{}")))
		clock.Set(epoch.Add(docket.IdempotencyTTL))
		if n := must[int64](t)(s.DeleteExpiredIdempotencyKeys(ctx)); n != 0 {
			t.Fatalf("deleted %d keys at exactly 24 h", n)
		}
		clock.Add(time.Millisecond)
		if n := must[int64](t)(s.DeleteExpiredIdempotencyKeys(ctx)); n != 3 {
			t.Fatalf("deleted %d keys, want 3", n)
		}
		if got := must[*docket.StoredResponse](t)(s.ReserveIdempotencyKey(ctx, "api_1", "d", "h2")); got == nil || got.RequestHash != "h" {
			t.Fatalf("younger key lost: %+v", got)
		}
		if got := must[*docket.StoredResponse](t)(s.ReserveIdempotencyKey(ctx, "api_1", "a", "h2")); got != nil {
			t.Fatalf("expired key replayed: %+v", got)
		}
	})
}

// TestIdempotencyKeyDeadProcess: a process that dies while serving a request leaves its
// reservation in flight. The client's retry is told "in progress" while the dead
// process's lease lasts, then takes the key over and runs; the dead process's late
// answer (had it only stalled) stores nothing over the retry's. A live process keeps its
// key by renewing the lease. (Issue 11, item 8.)
func TestIdempotencyKeyDeadProcess(t *testing.T) {
	twoStores(t, func(t *testing.T, dead, live *store.Store) {
		clock := &fakeClock{now: epoch}
		dead.Now, live.Now = clock.Now, clock.Now
		reserve := func(s *store.Store, key, hash string) *docket.StoredResponse {
			t.Helper()
			return must[*docket.StoredResponse](t)(s.ReserveIdempotencyKey(ctx, "api_1", key, hash))
		}
		if got := reserve(dead, "k", "h"); got != nil {
			t.Fatalf("first reservation returned %+v", got)
		}
		// The dead process never renews. Until its lease ends, the retry waits.
		clock.Add(docket.IdempotencyLease)
		if got := reserve(live, "k", "h"); got == nil || got.Status != 0 {
			t.Fatalf("retry within the lease: %+v, want in progress", got)
		}
		clock.Add(time.Millisecond)
		if got := reserve(live, "k", "h"); got != nil {
			t.Fatalf("retry after the lease: %+v, want the key taken over", got)
		}
		if got := reserve(live, "k", "h"); got == nil || got.Status != 0 {
			t.Fatalf("a third request during the retry: %+v, want in progress", got)
		}
		if err := dead.CompleteIdempotencyKey(ctx, "api_1", "k", 201, []byte("late")); err == nil {
			t.Fatal("the process that lost its lease stored its answer")
		}
		noErr(t, dead.ReleaseIdempotencyKey(ctx, "api_1", "k")) // releases nothing of the retry's
		if err := dead.RenewIdempotencyKey(ctx, "api_1", "k"); err == nil {
			t.Fatal("the process that lost its lease renewed it")
		}
		noErr(t, live.CompleteIdempotencyKey(ctx, "api_1", "k", 201, []byte("retry")))
		if got := reserve(live, "k", "h"); got == nil || got.Status != 201 || string(got.Body) != "retry" {
			t.Fatalf("after the retry: %+v, want its answer replayed", got)
		}
		// A completed key is not taken over when its lease is long past.
		clock.Add(time.Hour)
		if got := reserve(live, "k", "h"); got == nil || string(got.Body) != "retry" {
			t.Fatalf("an hour later: %+v, want the answer replayed", got)
		}

		// A live process renewing its lease keeps the key for as long as it serves.
		if got := reserve(live, "slow", "h"); got != nil {
			t.Fatalf("slow reservation returned %+v", got)
		}
		for range 5 {
			clock.Add(docket.IdempotencyLease / 2)
			noErr(t, live.RenewIdempotencyKey(ctx, "api_1", "slow"))
			if got := reserve(dead, "slow", "h"); got == nil || got.Status != 0 {
				t.Fatalf("renewed key taken over: %+v", got)
			}
		}
	})
}

// Two processes racing to reserve one key: exactly one wins, the others see it in flight.
func TestIdempotencyKeyRace(t *testing.T) {
	twoStores(t, func(t *testing.T, a, b *store.Store) {
		const n = 10
		results := make([]*docket.StoredResponse, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := []*store.Store{a, b}[i%2].ReserveIdempotencyKey(ctx, "api_1", "race", fmt.Sprint("h", i))
				if err != nil {
					t.Errorf("reserve %d: %v", i, err)
				}
				results[i] = r
			}()
		}
		wg.Wait()
		winner := -1
		for i, r := range results {
			if r == nil {
				if winner >= 0 {
					t.Fatalf("requests %d and %d both reserved the key", winner, i)
				}
				winner = i
			}
		}
		if winner < 0 {
			t.Fatal("nobody reserved the key")
		}
		for i, r := range results {
			if i != winner && (r.RequestHash != fmt.Sprint("h", winner) || r.Status != 0) {
				t.Fatalf("request %d saw %+v, want the winner's reservation in flight", i, r)
			}
		}
	})
}
