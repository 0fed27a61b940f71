// Package store persists Docket's domain in SQLite (embedded, the default) or PostgreSQL
// (production, shared by many processes). It is the only package that speaks SQL. Queries are
// written once with ? placeholders in SQL that both engines accept; the few places where the
// dialects really differ are switched on Store.pg.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store/migrations"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/riverqueue/river"
	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// Store implements Docket's services over one database.
type Store struct {
	pg bool
	// w takes writes. On SQLite it has a single connection: SQLite allows one writer at a
	// time, and queueing writers in Go is cheaper than having them spin on busy_timeout.
	w *sql.DB
	// r serves reads; on PostgreSQL it is the same pool as w.
	r *sql.DB
	// Now is the store's clock; tests may replace it.
	Now func() time.Time
	// owner names this process in the idempotency keys it holds (idempotency.go).
	owner string

	rebindCache sync.Map

	// Case creation is group-committed by one goroutine (see case_create.go).
	creatorOnce sync.Once
	creates     chan *createRequest
	closed      chan struct{}
	closeOnce   sync.Once

	// Delivery attempts are group-committed too (see delivery.go).
	recorderOnce sync.Once
	records      chan *deliveryRecord

	// jobs enqueues background jobs (see job.go).
	jobsMu      sync.RWMutex
	jobs        *river.Client[*sql.Tx]
	url         string
	listenPools []*pgxpool.Pool

	// versions caches published workflow definitions, which never change (workflow.go).
	versions sync.Map

	// handlers react to events in their transaction (event.go); workflowRules check
	// workflow definitions (workflow_rules.go). Both are registered at start.
	handlers      []EventHandler
	workflowRules WorkflowRules
	sarRules      docket.SARRules
	// committed are told what each change recorded once it has committed (commit.go).
	committed []CommitHandler

	// wait bounds how long a request waits for PostgreSQL; o tracks an outage (outage.go).
	wait time.Duration
	o    outage

	// searchOff stops the search index's upkeep (DisableSearchIndex), for benchmarks only.
	searchOff atomic.Bool
}

// Open connects to the database named by rawURL ("sqlite:path/to/file.db" or
// "postgres://..."), applies pending migrations and returns the store. The store only
// persists: what features do in reaction to its events is registered with OnEvents, and
// workflow checks with UseWorkflowRules, before it is used.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	return OpenWith(ctx, rawURL, Options{})
}

// Options are the operator's settings for the database connection.
type Options struct {
	// Wait is the longest a request waits for PostgreSQL to accept a connection before
	// it fails with docket.EUnavailable (DOCKET_DB_WAIT; 0 means DefaultDBWait).
	Wait time.Duration
}

// OpenWith is Open with the operator's settings.
func OpenWith(ctx context.Context, rawURL string, o Options) (*Store, error) {
	s := &Store{Now: func() time.Time { return time.Now() }, owner: newOwner(), closed: make(chan struct{}), wait: o.Wait}
	if s.wait <= 0 {
		s.wait = DefaultDBWait
	}
	var err error
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		s.pg, s.url = true, rawURL
		if err := s.openPostgres(rawURL); err != nil {
			return nil, err
		}
		s.w.SetMaxOpenConns(40)
		s.w.SetMaxIdleConns(40)
		s.w.SetConnMaxIdleTime(5 * time.Minute)
		s.r = s.w
	case strings.HasPrefix(rawURL, "sqlite:"):
		if err := s.openSQLite(strings.TrimPrefix(rawURL, "sqlite:")); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("open store: database URL must start with sqlite: or postgres://, got %q", redactURL(rawURL))
	}
	if err := s.w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.backfillChain(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.migrateRiver(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if s.jobs, err = river.NewClient(s.riverDriver(), &river.Config{}); err != nil {
		s.Close()
		return nil, fmt.Errorf("job client: %w", err)
	}
	return s, nil
}

func (s *Store) openSQLite(path string) error {
	path, query, _ := strings.Cut(path, "?")
	if path == "" {
		return errors.New("open sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create database folder: %w", err)
		}
	}
	// busy_timeout comes first so that every later pragma already waits for locks.
	params := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	if query != "" {
		params += "&" + query
	}
	// The path goes into a file: URI, where # and ? would end it and % starts an escape.
	uriPath := strings.NewReplacer("%", "%25", "#", "%23", "?", "%3F").Replace(path)
	var err error
	s.w, err = sql.Open(cachedDriverName, "file:"+uriPath+"?"+params+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	s.w.SetMaxOpenConns(1)
	s.w.SetMaxIdleConns(1)
	s.w.SetConnMaxLifetime(0)
	s.r, err = sql.Open(cachedDriverName, "file:"+uriPath+"?"+params+"&_pragma=query_only(1)")
	if err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	s.r.SetMaxOpenConns(8)
	s.r.SetMaxIdleConns(8)
	s.r.SetConnMaxLifetime(0)
	return nil
}

func (s *Store) migrate(ctx context.Context) error { return migrations.Apply(ctx, s.w, s.pg) }

// Close releases the database connections.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { close(s.closed) })
	for _, p := range s.listenPools {
		p.Close()
	}
	var errs []error
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	if s.r != nil && s.r != s.w {
		errs = append(errs, s.r.Close())
	}
	return errors.Join(errs...)
}

// Postgres reports whether the store runs on PostgreSQL.
func (s *Store) Postgres() bool { return s.pg }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

// rebind turns ? placeholders into PostgreSQL's $1, $2, ... Queries never contain a
// literal question mark, so a plain scan is enough.
func (s *Store) rebind(q string) string {
	if !s.pg {
		return q
	}
	if v, ok := s.rebindCache.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	s.rebindCache.Store(q, out)
	return out
}

// forUpdate locks the selected rows until the transaction ends. SQLite needs no row locks:
// its write transactions are already serialized (BEGIN IMMEDIATE).
func (s *Store) forUpdate() string {
	if s.pg {
		return " FOR UPDATE"
	}
	return ""
}

// forShare and forNoKeyUpdate lock a case template row while a case write relies on what
// it read: a case change takes FOR SHARE, case creation FOR NO KEY UPDATE (the lock its
// counter UPDATE needs anyway). Both conflict with the FOR UPDATE of UpdateTemplate and
// ArchiveTemplate, so a template cannot lose a status or be archived under a write that
// uses it. SQLite needs neither: its writers are serialized.
func (s *Store) forShare() string {
	if s.pg {
		return " FOR SHARE"
	}
	return ""
}

// skipLocked locks the rows a claim selects and passes over those another process holds,
// so that several processes claiming at once each take different rows.
func (s *Store) skipLocked() string {
	if s.pg {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

func (s *Store) forNoKeyUpdate() string {
	if s.pg {
		return " FOR NO KEY UPDATE"
	}
	return ""
}

// Tx is a write transaction with the store's clock read once, so that every row written
// by one change carries the same time.
type Tx struct {
	tx  *sql.Tx
	s   *Store
	now time.Time
	// pending holds the events recorded in the transaction, written at its end
	// (appendChain in chain.go).
	pending []*docket.ChainLink
	digests digests
	// search holds what the search index must take in before commit (search_index.go).
	search searchWork
}

// Now is the transaction's time: every row written by the change carries it.
func (t *Tx) Now() time.Time { return t.now }

func (t *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.s.rebind(q), args...)
}

func (t *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.s.rebind(q), args...)
}

// write runs fn in a write transaction and commits if it returns nil. Inside Atomically
// it joins the transaction already open, so that a workflow step's several changes commit
// together with the step's record, or not at all.
func (s *Store) write(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok && tx.s == s {
		return fn(tx)
	}
	defer func() { err = unavailable(err) }()
	sqlTx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, s: s, now: s.clock()}
	if err := fn(tx); err != nil {
		return err
	}
	recorded := tx.pending // appendChain empties it
	if err := tx.flushSearch(ctx); err != nil {
		return err
	}
	// Last, so that the chain's lock is held only from here to the commit.
	if err := tx.appendChain(ctx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.afterCommit(recorded)
	return nil
}

type txKey struct{}

// Atomically runs fn in one write transaction: every store write made with the context fn
// is given joins it, and all of them commit when fn returns nil.
func (s *Store) Atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	return s.write(ctx, func(tx *Tx) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
}

// inTx returns the transaction that ctx carries, if any.
func (s *Store) inTx(ctx context.Context) (*Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(*Tx)
	return tx, ok && tx.s == s
}

func (s *Store) clock() time.Time { return s.Now().UTC().Truncate(time.Millisecond) }

// querier is what read helpers need: the read pool or a write transaction.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// reader returns the read pool wrapped so that queries are rebound.
func (s *Store) reader() querier { return rebinder{s: s, q: s.r} }

// txReader lets read helpers run inside a write transaction.
func (t *Tx) reader() querier { return rebinder{s: t.s, q: t.tx} }

type rebinder struct {
	s *Store
	q querier
}

func (r rebinder) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := r.q.QueryContext(ctx, r.s.rebind(q), args...)
	return rows, unavailable(err)
}

func (r rebinder) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return r.q.QueryRowContext(ctx, r.s.rebind(q), args...)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// rows returns "(?, ?), (?, ?)" for n rows of cols values, for multi-row INSERTs.
func rows(n, cols int) string {
	row := "(" + placeholders(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

func anys(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable)"
	}
	return u.Redacted()
}
