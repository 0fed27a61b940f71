package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/docket-hq/docket"
)

// When PostgreSQL goes away (stopped, restarting, unreachable), nothing should hang:
// a request waits at most the database wait (DOCKET_DB_WAIT) for a connection, then
// fails with docket.EUnavailable, which the API shows as 503. Once the database is known
// to be down, new requests fail at the first refused connection instead of each waiting
// again; the first connection that succeeds ends the outage.

// DefaultDBWait is how long a request waits for the database when none is given.
const DefaultDBWait = 5 * time.Second

// ErrUnavailable is what users are told while the database cannot be reached.
var ErrUnavailable = &docket.Error{Code: docket.EUnavailable, Message: "the database is unavailable; try again shortly"}

// outage remembers whether the database was last found down, and why.
type outage struct {
	down  atomic.Bool
	since atomic.Int64 // unix nanoseconds
	why   atomic.Value // string
}

func (o *outage) fail(err error) {
	if !o.down.Swap(true) {
		o.since.Store(time.Now().UnixNano())
	}
	o.why.Store(Unreachable(err))
}

func (o *outage) ok() { o.down.Store(false) }

// waitConnector opens PostgreSQL connections within the database wait.
type waitConnector struct {
	driver.Connector
	wait time.Duration
	o    *outage
}

func newWaitConnector(rawURL string, wait time.Duration, o *outage) (driver.Connector, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// Only reaching the server is bounded by the wait: a server that is down refuses at
	// once, one that cannot be reached times out here. A server that answers but is slow
	// to set a session up (a loaded machine forking backends) is alive: bounding the whole
	// connect by the wait would turn load into 503s.
	cfg.DialFunc = (&net.Dialer{Timeout: wait, KeepAlive: 5 * time.Minute}).DialContext
	return &waitConnector{Connector: stdlib.GetConnector(*cfg), wait: wait, o: o}, nil
}

// Connect retries a refused connection until the wait is over (a restart takes a few
// seconds), unless the database is already known to be down.
func (c *waitConnector) Connect(ctx context.Context) (driver.Conn, error) {
	deadline := time.Now().Add(c.wait)
	pause := 50 * time.Millisecond
	for {
		conn, err := c.Connector.Connect(ctx)
		if err == nil {
			c.o.ok()
			return conn, nil
		}
		if !isUnavailable(err) {
			return nil, err
		}
		if c.o.down.Load() || time.Now().Add(pause).After(deadline) || ctx.Err() != nil {
			c.o.fail(err)
			return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		select {
		case <-time.After(pause):
		case <-ctx.Done():
		}
		pause = min(pause*2, time.Second)
	}
}

// isUnavailable reports whether err means the database could not be reached, rather than
// that it refused a statement.
func isUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, driver.ErrBadConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return true
	case errors.As(err, &pe):
		// Class 08: connection exceptions; 57P01-57P03: shutting down, crashed, starting up.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed")
}

// Unreachable says in a few words why the database could not be reached, for /healthz
// (never the URL or a password).
func Unreachable(err error) string {
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &pe) && pe.Code == "57P03":
		return "the database is starting up"
	case errors.As(err, &pe) && (pe.Code == "57P01" || pe.Code == "57P02"):
		return "the database is shutting down"
	case errors.As(err, &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		return "connecting to the database timed out"
	case strings.Contains(err.Error(), "connection refused"):
		return "the database refused the connection (is it running?)"
	case strings.Contains(err.Error(), "full"):
		return "the database's disk is full"
	}
	return "the database cannot be reached"
}

// Health checks the database within the wait and says why it is unavailable, if it is.
func (s *Store) Health(ctx context.Context) (ok bool, why string, since time.Time) {
	ctx, cancel := context.WithTimeout(ctx, s.wait)
	defer cancel()
	err := s.r.PingContext(ctx)
	if err == nil {
		return true, "", time.Time{}
	}
	if s.o.down.Load() {
		why, _ := s.o.why.Load().(string)
		return false, why, time.Unix(0, s.o.since.Load()).UTC()
	}
	return false, Unreachable(err), time.Now().UTC()
}

// ErrDiskFull is what users are told when SQLite cannot grow the database: the change
// is rolled back whole (SQLite's journal sees to that) and nothing is corrupted.
var ErrDiskFull = &docket.Error{Code: docket.EUnavailable, Message: "the database's disk is full: nothing was saved; free some space, then try again"}

// unavailable turns a failure to reach the database into ErrUnavailable, and a full disk
// into ErrDiskFull (kept in the chain with the cause), leaving other errors as they are.
func unavailable(err error) error {
	switch {
	case err == nil || docket.ErrorCode(err) != "":
		return err
	case isDiskFull(err):
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	case isUnavailable(err):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// isDiskFull reports SQLite's SQLITE_FULL (13), which it returns when the disk, a file
// size limit or max_page_count stops the database from growing, and PostgreSQL's
// disk_full (53100).
func isDiskFull(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "53100"
	}
	return strings.Contains(err.Error(), "database or disk is full")
}

// openPostgres opens the pool through the waiting connector.
func (s *Store) openPostgres(rawURL string) error {
	c, err := newWaitConnector(rawURL, s.wait, &s.o)
	if err != nil {
		return err
	}
	s.w = sql.OpenDB(c)
	return nil
}
