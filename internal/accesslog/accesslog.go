// Package accesslog records who made each HTTP request to the API and the dashboard
// (issue 16's access log): Handler wraps a handler, the API's and dashboard's
// authentication tell it who is acting (SetPrincipal) and which route matched (Matched),
// and a background goroutine writes the entries in batches.
//
// Recording must not slow requests down: a request only puts its entry on a bounded
// channel. When the channel is full (the database cannot keep up), the request waits at
// most Config.Wait for room, then the entry is dropped, counted and a warning logged.
// That trades completeness under overload for latency: an access log that blocks
// requests would turn a slow database into an outage of every request, and the count
// of dropped entries says how much is missing.
package accesslog

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docket-hq/docket"
)

// Store persists entries.
type Store interface {
	InsertAccessLog(ctx context.Context, entries []*docket.AccessLogEntry) error
}

// Config tunes the recorder. Zero fields take the defaults noted.
type Config struct {
	// TrustedProxies are the proxies whose X-Forwarded-For names the client address
	// (DOCKET_TRUSTED_PROXIES), the same rule sign-in throttling follows.
	TrustedProxies []netip.Prefix
	// Buffer is how many entries may wait to be written (default 8,192).
	Buffer int
	// Batch is the most entries written by one statement (default 500).
	Batch int
	// FlushInterval is the longest an entry waits for its batch to fill (default
	// 500 ms): at a low request rate, a write every interval rather than one per request.
	FlushInterval time.Duration
	// Wait is how long a request waits for room when the buffer is full before its
	// entry is dropped (default 50 ms).
	Wait time.Duration
	// Observe, when set, is given every entry as its response ends, before it is queued
	// (metrics count requests from it); it must be quick and must not keep the entry.
	Observe func(*docket.AccessLogEntry)
}

func (c *Config) defaults() {
	if c.Buffer <= 0 {
		c.Buffer = 8192
	}
	if c.Batch <= 0 {
		c.Batch = 500
	}
	if c.FlushInterval <= 0 {
		c.FlushInterval = 500 * time.Millisecond
	}
	if c.Wait <= 0 {
		c.Wait = 50 * time.Millisecond
	}
}

// Recorder gathers access log entries and writes them in the background. A nil
// *Recorder records nothing (the access log is off).
type Recorder struct {
	store Store
	log   *slog.Logger
	cfg   Config

	// mu guards closing entries: senders hold it shared, Stop exclusively.
	mu      sync.RWMutex
	closed  bool
	entries chan *docket.AccessLogEntry
	done    chan struct{}

	dropped     atomic.Int64
	lastWarning atomic.Int64 // unix nanoseconds of the last warning about drops
}

// New returns a recorder; Start starts writing.
func New(s Store, log *slog.Logger, cfg Config) *Recorder {
	cfg.defaults()
	return &Recorder{store: s, log: log, cfg: cfg, entries: make(chan *docket.AccessLogEntry, cfg.Buffer), done: make(chan struct{})}
}

// Start starts the writer. It runs until Stop, not until ctx ends: requests still
// draining after a shutdown signal are recorded too.
func (r *Recorder) Start(ctx context.Context) {
	if r == nil {
		return
	}
	go r.writeLoop(context.WithoutCancel(ctx))
}

// Stop refuses further entries, writes those waiting and returns once they are written,
// or when ctx ends. Call it after the HTTP server has drained.
func (r *Recorder) Stop(ctx context.Context) error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		close(r.entries)
	}
	r.mu.Unlock()
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return errors.New("stop access log: entries still waiting to be written")
	}
}

// Dropped returns how many entries were dropped because the buffer was full or the
// database refused them.
func (r *Recorder) Dropped() int64 {
	if r == nil {
		return 0
	}
	return r.dropped.Load()
}

// record queues an entry, waiting at most cfg.Wait for room.
func (r *Recorder) record(e *docket.AccessLogEntry) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		r.drop(1, "access log is stopped")
		return
	}
	select {
	case r.entries <- e:
		return
	default:
	}
	t := time.NewTimer(r.cfg.Wait)
	defer t.Stop()
	select {
	case r.entries <- e:
	case <-t.C:
		r.drop(1, "access log buffer is full")
	}
}

// drop counts lost entries and warns, at most every ten seconds.
func (r *Recorder) drop(n int, why string) {
	total := r.dropped.Add(int64(n))
	now := time.Now().UnixNano()
	last := r.lastWarning.Load()
	if now-last < int64(10*time.Second) || !r.lastWarning.CompareAndSwap(last, now) {
		return
	}
	r.log.Warn("access log entries dropped", "reason", why, "dropped_total", total)
}

// writeLoop writes entries when a batch is full or FlushInterval has passed, until
// entries is closed and drained.
func (r *Recorder) writeLoop(ctx context.Context) {
	defer close(r.done)
	tick := time.NewTicker(r.cfg.FlushInterval)
	defer tick.Stop()
	batch := make([]*docket.AccessLogEntry, 0, r.cfg.Batch)
	flush := func() {
		if len(batch) > 0 {
			r.write(ctx, batch)
			batch = batch[:0]
		}
	}
	for {
		select {
		case e, ok := <-r.entries:
			if !ok {
				flush()
				return
			}
			if batch = append(batch, e); len(batch) >= r.cfg.Batch {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

// write stores a batch, trying once more after a pause: a database that is briefly
// unavailable (a failover) should not lose the batch.
func (r *Recorder) write(ctx context.Context, batch []*docket.AccessLogEntry) {
	for attempt := 0; ; attempt++ {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := r.store.InsertAccessLog(wctx, batch)
		cancel()
		if err == nil {
			return
		}
		if attempt == 1 {
			r.log.Error("write access log", "entries", len(batch), "error", err)
			r.drop(len(batch), "access log write failed")
			return
		}
		time.Sleep(time.Second)
	}
}

// Handler records every request next serves as coming from source
// (docket.AccessSourceAPI or docket.AccessSourceDashboard), except those skip names
// (health checks, static assets). It gives each response its request id (the Request-Id
// header) before next runs, so that next logs with the same id.
func (r *Recorder) Handler(source string, next http.Handler, skip func(*http.Request) bool) http.Handler {
	if r == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if skip != nil && skip(req) {
			next.ServeHTTP(w, req)
			return
		}
		start := time.Now()
		e := &docket.AccessLogEntry{ID: docket.NewID(docket.PrefixRequest), Source: source, Method: req.Method,
			ClientAddr: clientAddr(req, r.cfg.TrustedProxies), CreatedAt: docket.Time(start)}
		w.Header().Set(RequestIDHeader, e.ID)
		sw := &statusWriter{ResponseWriter: w}
		req = req.WithContext(context.WithValue(req.Context(), ctxEntry{}, e))
		defer func() {
			e.Status, e.Duration = sw.code(), time.Since(start)
			if e.Route == "" {
				e.Route = routeOf(req.Pattern)
			}
			if r.cfg.Observe != nil {
				r.cfg.Observe(e)
			}
			r.record(e)
		}()
		next.ServeHTTP(sw, req)
	})
}
