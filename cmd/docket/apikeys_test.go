package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestAPIKeysRevoke creates a key with the CLI, uses it against a running server, lists
// it, revokes it with the CLI (another process, as far as the server knows) and checks
// that the server refuses the key's very next request. (Issue 11, item 9.)
func TestAPIKeysRevoke(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := startServer(t, dbURL)
		cli := func(args ...string) string {
			t.Helper()
			var out bytes.Buffer
			getenv := func(k string) string {
				return map[string]string{"DOCKET_DATABASE_URL": dbURL, "DOCKET_LOG_LEVEL": "warn"}[k]
			}
			if err := run(context.Background(), args, getenv, &out, io.Discard); err != nil {
				t.Fatalf("docket %s: %v", strings.Join(args, " "), err)
			}
			return out.String()
		}
		secret := strings.TrimSpace(cli("api-keys", "create", "--name", "ci", "--scopes", "case.read", "--expires", "2099-12-31"))
		get := func() int {
			t.Helper()
			req, err := http.NewRequest("GET", s.base+"/api/v1/cases", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if got := get(); got != http.StatusOK {
			t.Fatalf("new key: %d", got)
		}
		// listed returns the fields of the key named ci in api-keys list.
		listed := func() []string {
			t.Helper()
			for _, line := range strings.Split(cli("api-keys", "list"), "\n") {
				if f := strings.Fields(line); len(f) == 8 && f[1] == "ci" {
					return f
				}
			}
			t.Fatal("api-keys list does not show the key named ci")
			return nil
		}
		f := listed()
		id := f[0]
		if !strings.HasPrefix(id, "api_") || f[2] != "case.read" || f[3] != "-" || f[5] != "-" || f[6] != "2100-01-01T00:00:00.000Z" {
			t.Errorf("listed as %q", f)
		}
		if _, err := time.Parse(docket.TimeFormat, f[7]); err != nil {
			t.Errorf("last use listed as %q after a request: %v", f[7], err)
		}
		if out := cli("api-keys", "revoke", id); !strings.Contains(out, "revoked "+id) {
			t.Errorf("revoke printed %q", out)
		}
		if got := get(); got != http.StatusUnauthorized {
			t.Fatalf("revoked key's next request: %d, want 401", got)
		}
		if f := listed(); f[0] != id {
			t.Errorf("listed as %q after revocation", f)
		} else if _, err := time.Parse(docket.TimeFormat, f[5]); err != nil {
			t.Errorf("revocation time listed as %q: %v", f[5], err)
		}
		err := run(context.Background(), []string{"api-keys", "revoke", "api_01h455vb4pex5vsknk084sn02q"},
			func(k string) string { return map[string]string{"DOCKET_DATABASE_URL": dbURL}[k] }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "no API key") {
			t.Errorf("revoking an unknown key: %v", err)
		}
	})
}
