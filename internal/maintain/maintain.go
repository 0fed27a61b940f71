// Package maintain runs Docket's periodic housekeeping: expiring inquiries left pending
// too long, recording SLA breaches, forgetting idempotency keys once their 24-hour
// replay window has passed, deleting access log entries past their retention, and
// logging the event chain's head as an anchor, and filling the search index for template
// fields newly marked searchable.
package maintain

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/docket-hq/docket"
)

// Store is what housekeeping needs.
type Store interface {
	DeleteExpiredIdempotencyKeys(ctx context.Context) (int64, error)
	ExpireInquiries(ctx context.Context, before time.Time, limit int) (int, error)
	ExpireSLAs(ctx context.Context, now time.Time, limit int) (int, error)
	RunDueSchedules(ctx context.Context, now time.Time, limit int) (int, error)
	DeleteAccessLogBefore(ctx context.Context, before time.Time, limit int) (int, error)
	ChainHead(ctx context.Context) (docket.ChainHead, error)
	BackfillSearchFields(ctx context.Context, limit int) (int, error)
}

// Config tunes housekeeping.
type Config struct {
	// InquiryTTL is how long an inquiry may stay created or pending before it expires.
	InquiryTTL time.Duration
	// Interval is how often inquiries are checked for expiry.
	Interval time.Duration
	// SLAInterval is how often cases are checked for SLA breaches.
	SLAInterval time.Duration
	// ScheduleInterval is how often schedule-triggered workflows are checked (cron
	// schedules have minute resolution).
	ScheduleInterval time.Duration
	// AuditRetention is how long access log entries are kept (DOCKET_AUDIT_RETENTION;
	// default docket.DefaultAuditRetention).
	AuditRetention time.Duration
	// AuditPurgeInterval is how often old access log entries are deleted (default an hour).
	AuditPurgeInterval time.Duration
	// AuditPurgeBatch is the most entries one DELETE removes (default 5,000), and
	// AuditPurgePause the pause between two (default 100 ms), so that a purge of a
	// large backlog never holds locks for long nor starves the requests writing.
	AuditPurgeBatch int
	AuditPurgePause time.Duration
	// AnchorInterval is how often the event chain's head is logged (at info), so that
	// logs shipped elsewhere hold anchors that prove the chain's past; 0 never.
	AnchorInterval time.Duration
}

// Maintainer runs housekeeping tasks on intervals until stopped. Several processes may
// run it at once: each task is safe to run concurrently (idempotent deletes, and expiry
// that skips rows another process holds).
type Maintainer struct {
	store  Store
	log    *slog.Logger
	cfg    Config
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New returns a maintainer; zero Config fields take defaults (24 h TTL, checked every minute).
func New(s Store, log *slog.Logger, cfg Config) *Maintainer {
	if cfg.InquiryTTL <= 0 {
		cfg.InquiryTTL = 24 * time.Hour
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	if cfg.SLAInterval <= 0 {
		cfg.SLAInterval = 30 * time.Second
	}
	if cfg.ScheduleInterval <= 0 {
		cfg.ScheduleInterval = 15 * time.Second
	}
	cfg.auditDefaults()
	return &Maintainer{store: s, log: log, cfg: cfg}
}

// Start runs every task once now and then on its interval, until ctx ends or Stop.
func (m *Maintainer) Start(ctx context.Context) {
	ctx, m.cancel = context.WithCancel(ctx)
	m.every(ctx, m.cfg.Interval, m.expireInquiries)
	m.every(ctx, 10*time.Minute, m.deleteIdempotencyKeys)
	m.every(ctx, m.cfg.SLAInterval, m.expireSLAs)
	m.every(ctx, m.cfg.ScheduleInterval, m.runSchedules)
	m.every(ctx, m.cfg.AuditPurgeInterval, m.purgeAccessLog)
	m.every(ctx, searchBackfillInterval, m.backfillSearchFields)
	if m.cfg.AnchorInterval > 0 {
		var last int64 = -1
		m.every(ctx, m.cfg.AnchorInterval, func(ctx context.Context) { last = m.logAnchor(ctx, last) })
	}
}

// logAnchor logs the chain's head if it moved since the one logged last (each process
// logs its own; any copy is as good as another). It returns the head's sequence.
func (m *Maintainer) logAnchor(ctx context.Context, last int64) int64 {
	h, err := m.store.ChainHead(ctx)
	if err != nil {
		if ctx.Err() == nil {
			m.log.Error("read event chain head", "error", err)
		}
		return last
	}
	if h.Seq != last {
		m.log.Info("event chain anchor", "anchor", docket.Anchor{Seq: h.Seq, Hash: h.Hash}.String(), "updated_at", docket.ChainTime(h.UpdatedAt))
	}
	return h.Seq
}

func (m *Maintainer) every(ctx context.Context, d time.Duration, task func(context.Context)) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			task(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (m *Maintainer) deleteIdempotencyKeys(ctx context.Context) {
	n, err := m.store.DeleteExpiredIdempotencyKeys(ctx)
	if err != nil && ctx.Err() == nil {
		m.log.Error("delete expired idempotency keys", "error", err)
		return
	}
	if n > 0 {
		m.log.Info("deleted expired idempotency keys", "count", n)
	}
}

// expireInquiries expires overdue inquiries in batches until none are left.
func (m *Maintainer) expireInquiries(ctx context.Context) {
	const batch = 500
	for ctx.Err() == nil {
		n, err := m.store.ExpireInquiries(ctx, time.Now().Add(-m.cfg.InquiryTTL), batch)
		if err != nil {
			if ctx.Err() == nil {
				m.log.Error("expire inquiries", "error", err)
			}
			return
		}
		if n > 0 {
			m.log.Info("expired inquiries", "count", n)
		}
		if n < batch {
			return
		}
	}
}

// expireSLAs records SLA breaches in batches until none are left.
func (m *Maintainer) expireSLAs(ctx context.Context) {
	m.drain(ctx, "cases passed their SLA", m.store.ExpireSLAs)
}

// runSchedules starts the runs of schedule-triggered workflows that are due.
func (m *Maintainer) runSchedules(ctx context.Context) {
	m.drain(ctx, "scheduled workflow runs started", m.store.RunDueSchedules)
}

// drain calls task in batches until a batch comes back short.
func (m *Maintainer) drain(ctx context.Context, what string, task func(context.Context, time.Time, int) (int, error)) {
	const batch = 500
	for ctx.Err() == nil {
		n, err := task(ctx, time.Now(), batch)
		if err != nil {
			if ctx.Err() == nil {
				m.log.Error(what, "error", err)
			}
			return
		}
		if n > 0 {
			m.log.Info(what, "count", n)
		}
		if n < batch {
			return
		}
	}
}

// Stop ends housekeeping and waits for a task in progress, or for ctx to end.
func (m *Maintainer) Stop(ctx context.Context) {
	if m.cancel == nil {
		return
	}
	m.cancel()
	done := make(chan struct{})
	go func() { m.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
