package browsertest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/docket-hq/docket/internal/headless"
	"github.com/docket-hq/docket/internal/storetest"
)

// requireEnv, set to 1 (as .ci/run does), turns a missing Chromium into a failure rather
// than a skip, so that CI cannot pass without having run the browser.
const requireEnv = "DOCKET_TEST_REQUIRE_BROWSER"

// shared is what the package's tests share: one browser, and one server per store, each
// started by the first test that needs it and stopped when all have run.
var shared struct {
	mu       sync.Mutex
	browser  *headless.Browser
	startErr error
	started  bool
	servers  map[string]*server
	failed   map[string]error
}

func TestMain(m *testing.M) {
	code := m.Run()
	shared.mu.Lock()
	for _, s := range shared.servers {
		if code != 0 {
			// The servers' warnings and errors explain most failures.
			if log := s.log.String(); log != "" {
				fmt.Fprintf(os.Stderr, "--- %s server log:\n%s", s.name, log)
			}
		}
		s.close()
	}
	if shared.browser != nil {
		shared.browser.Close()
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// browser returns the shared Chromium, starting it on first use. Without Chromium the test
// is skipped, or fails when requireEnv is set.
func browser(t *testing.T) *headless.Browser {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.started {
		shared.started = true
		if !headless.Available() {
			shared.startErr = headless.ErrMissing
		} else {
			shared.browser, shared.startErr = headless.Start(context.Background())
		}
	}
	switch {
	case shared.startErr == headless.ErrMissing && os.Getenv(requireEnv) != "1":
		t.Skip(shared.startErr.Error() + ": browser tests skipped")
	case shared.startErr != nil:
		t.Fatal(shared.startErr)
	}
	return shared.browser
}

// eachStore runs fn as a parallel subtest on the shared server of each store: "sqlite"
// always, "postgres" when storetest.PostgresEnv is set (and failing when it is required
// but unset).
func eachStore(t *testing.T, fn func(t *testing.T, s *server)) {
	t.Helper()
	browser(t)
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, sharedServer(t, name))
		})
	}
}

// sharedServer returns the named store's server, starting it on first use.
func sharedServer(t *testing.T, name string) *server {
	t.Helper()
	if name == "postgres" && os.Getenv(storetest.PostgresEnv) == "" {
		if os.Getenv(storetest.RequireEnv) == "1" {
			t.Fatal(storetest.PostgresEnv + " is not set but " + storetest.RequireEnv + "=1: PostgreSQL tests must run")
		}
		t.Skip(storetest.PostgresEnv + " is not set: PostgreSQL tests skipped")
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if s := shared.servers[name]; s != nil {
		return s
	}
	if err := shared.failed[name]; err != nil {
		t.Fatalf("the %s server did not start: %v", name, err)
	}
	s, err := startServer(name)
	if err != nil {
		if shared.failed == nil {
			shared.failed = map[string]error{}
		}
		shared.failed[name] = err
		t.Fatalf("start the %s server: %v", name, err)
	}
	if shared.servers == nil {
		shared.servers = map[string]*server{}
	}
	shared.servers[name] = s
	return s
}
