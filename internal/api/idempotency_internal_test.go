package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestIdempotencyAfterPanic checks that a request whose handler panics does not hold its
// Idempotency-Key: the client gets a 500 and may retry with the same key.
func TestIdempotencyAfterPanic(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		ctx := context.Background()
		st, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		secret := docket.NewAPIKeySecret()
		if _, err := st.CreateAPIKey(ctx, "test", []string{docket.ScopeAll}, secret); err != nil {
			t.Fatal(err)
		}
		srv := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{MaxBodyBytes: 1 << 20}, nil)
		calls := 0
		srv.route("POST /api/v1/test-panic", docket.PermWorkCases, func(w http.ResponseWriter, r *http.Request) error {
			calls++
			panic("handler bug")
		})
		for i := range 2 {
			req := httptest.NewRequest("POST", "/api/v1/test-panic", strings.NewReader(`{}`))
			req.Header.Set("Authorization", "Bearer "+secret)
			req.Header.Set("Idempotency-Key", "retry-me")
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "handler bug") {
				t.Fatalf("attempt %d: %d %s, want a bare 500", i, rec.Code, rec.Body)
			}
		}
		if calls != 2 {
			t.Fatalf("handler ran %d times, want 2: the key stayed reserved after the panic", calls)
		}
	})
}
