package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/docket-hq/docket/internal/storetest"
)

// TestAPIKeyForUser creates a key that belongs to a reviewer with
// `docket api-keys create --user` and checks, through a real server, that it acts with
// the reviewer's role: it reads cases but may not manage templates, although it holds
// every scope.
func TestAPIKeyForUser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := startServer(t, dbURL)
		must(t, 201)(call(t, s.base, "POST", "/api/v1/users",
			`{"data":{"attributes":{"email-address":"rita@example.com","name":"Rita","role":"reviewer"}}}`))
		getenv := func(k string) string { return map[string]string{"DOCKET_DATABASE_URL": dbURL}[k] }
		var out bytes.Buffer
		err := run(context.Background(), []string{"api-keys", "create", "--name", "rita", "--user", "RITA@example.com"}, getenv, &out, io.Discard)
		if err != nil {
			t.Fatalf("api-keys create --user: %v", err)
		}
		secret := strings.TrimSpace(out.String())
		for _, tt := range []struct {
			method, path, body string
			want               int
		}{
			{"GET", "/api/v1/cases", "", 200},
			{"POST", "/api/v1/case-templates", `{"data":{"attributes":{"name":"KYC","key":"KYC"}}}`, 403},
		} {
			if got := statusWithKey(t, s.base, secret, tt.method, tt.path, tt.body); got != tt.want {
				t.Errorf("%s %s with rita's key: %d, want %d", tt.method, tt.path, got, tt.want)
			}
		}
		err = run(context.Background(), []string{"api-keys", "create", "--name", "ghost", "--user", "ghost@example.com"}, getenv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "--user") {
			t.Fatalf("a key for an unknown user: %v", err)
		}
	})
}

func statusWithKey(t *testing.T, base, key, method, path, body string) int {
	t.Helper()
	status, _, raw := keyRequest(t, base, key, method, path, body)
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("decode %s %s: %v", method, path, err)
	}
	return status
}
