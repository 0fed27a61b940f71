package browsertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop the test schema

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/maintain"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/ui"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/worker"
)

// server is Docket served on a loopback port, wired as `docket serve` wires it
// (cmd/docket/serve.go): the store opened with every feature's reactions, the API under
// /api/ and /healthz, the dashboard everywhere else, the job workers and housekeeping
// running. Tests set up their data through the same store.
type server struct {
	name  string
	base  string
	store *store.Store
	auth  *auth.Service
	// key is an API key with every scope, for setting up what the README does with curl.
	key   string
	log   *lockedBuffer
	close func()
}

// startServer opens a fresh database of the named store and serves it. On error,
// whatever was started is stopped again.
func startServer(name string) (_ *server, err error) {
	ctx := context.Background()
	var undo []func()
	stop := func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	dbURL, dropDB, err := freshDatabase(name)
	if err != nil {
		return nil, err
	}
	undo = append(undo, dropDB)
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	s, err := worker.OpenStore(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	undo = append(undo, func() { s.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	// The access log, as serve records it; written often, so that a scenario finds its
	// own requests soon. Stopped after the HTTP server (undo runs backwards).
	access := accesslog.New(s, log, accesslog.Config{FlushInterval: 20 * time.Millisecond})
	access.Start(ctx)
	undo = append(undo, func() {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		access.Stop(ctx)
	})
	handler, err := handler(s, base, log, access)
	if err != nil {
		ln.Close()
		return nil, err
	}
	srv := &http.Server{Handler: handler.mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	undo = append(undo, func() {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	// Workers poll often so that a workflow's reaction shows within a test's patience, and
	// deliver webhooks to the tests' receivers on loopback (docket serve's
	// --webhook-allow-private).
	runner, err := worker.New(ctx, s, worker.Config{PollInterval: 50 * time.Millisecond,
		Webhook: webhook.Config{AllowPrivate: true, Timeout: 5 * time.Second, RetryBase: 100 * time.Millisecond}}, log)
	if err != nil {
		return nil, err
	}
	if err := runner.Start(ctx); err != nil {
		return nil, err
	}
	undo = append(undo, func() {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		runner.Stop(ctx)
	})
	m := maintain.New(s, log, maintain.Config{InquiryTTL: 24 * time.Hour, SLAInterval: time.Minute, ScheduleInterval: time.Minute})
	m.Start(ctx)
	undo = append(undo, func() {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		m.Stop(ctx)
	})
	key := docket.NewAPIKeySecret()
	if _, err := s.CreateAPIKey(ctx, "browsertest", []string{docket.ScopeAll}, key); err != nil {
		return nil, err
	}
	handler.ready.Store(true)
	return &server{name: name, base: base, store: s, auth: handler.auth, key: key, log: logs, close: stop}, nil
}

// served is the HTTP side of the server: the sign-in service, and the API and dashboard
// behind one mux, as cmd/docket's serveCmd.handler builds them.
type served struct {
	auth  *auth.Service
	mux   *http.ServeMux
	ready atomic.Bool
}

func handler(s *store.Store, base string, log *slog.Logger, access *accesslog.Recorder) (*served, error) {
	cfg := auth.DefaultConfig()
	cfg.BaseURL, cfg.Log = base, log
	// Cheap hashes: the tests sign in often, and a hash's cost is not what they test
	// (verification reads the parameters from the stored hash either way).
	cfg.Password = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	a, err := auth.New(s, cfg)
	if err != nil {
		return nil, err
	}
	h := &served{auth: a, mux: http.NewServeMux()}
	apiHandler := api.New(s, log, api.Config{RateLimit: 0, MaxBodyBytes: 1 << 20, SecretGrace: 24 * time.Hour, Links: a,
		AllowHTTP: loopbackHTTP}, h.ready.Load)
	dashboard, err := ui.New(s, a, log, ui.WithWebhookHTTP(loopbackHTTP))
	if err != nil {
		return nil, err
	}
	// The scenarios compare tab counts; on a busy machine (CI runs packages side by
	// side) the 20 ms budget would cut them short and show "–".
	dashboard.SetCountBudget(time.Minute)
	h.mux.Handle("/api/", access.Handler(docket.AccessSourceAPI, apiHandler, nil))
	h.mux.Handle("/healthz", apiHandler)
	h.mux.Handle("/", access.Handler(docket.AccessSourceDashboard, dashboard, func(r *http.Request) bool {
		return strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/favicon.ico"
	}))
	return h, nil
}

// loopbackHTTP lets webhooks use plain http to the tests' receivers on 127.0.0.1 (docket
// serve's --webhook-allow-http 127.0.0.1).
func loopbackHTTP(host string) bool { return host == "127.0.0.1" }

// freshDatabase creates an empty database of the named store and returns its URL and a
// function that removes it: a new SQLite file, or a new PostgreSQL schema.
func freshDatabase(name string) (string, func(), error) {
	if name == "sqlite" {
		dir, err := os.MkdirTemp("", "docket-browsertest-")
		if err != nil {
			return "", nil, err
		}
		return "sqlite:" + filepath.Join(dir, "docket.db"), func() { os.RemoveAll(dir) }, nil
	}
	base := os.Getenv(storetest.PostgresEnv)
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	schema := "browser_" + randomHex(6)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		db.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
		db.Close()
	}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// lockedBuffer collects the server's log lines from many goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
