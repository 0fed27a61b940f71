// Package maintain runs Docket's periodic housekeeping: today, forgetting idempotency
// keys once their 24-hour replay window has passed.
package maintain

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Store is what housekeeping needs.
type Store interface {
	DeleteExpiredIdempotencyKeys(ctx context.Context) (int64, error)
}

// Maintainer runs housekeeping on an interval until stopped. Several processes may run
// it at once: every task is an idempotent DELETE.
type Maintainer struct {
	store    Store
	log      *slog.Logger
	interval time.Duration
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// New returns a maintainer that runs every 10 minutes.
func New(s Store, log *slog.Logger) *Maintainer {
	return &Maintainer{store: s, log: log, interval: 10 * time.Minute}
}

// Start runs housekeeping once now and then on every tick, until ctx ends or Stop.
func (m *Maintainer) Start(ctx context.Context) {
	ctx, m.cancel = context.WithCancel(ctx)
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(m.interval)
		defer t.Stop()
		for {
			m.runOnce(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (m *Maintainer) runOnce(ctx context.Context) {
	n, err := m.store.DeleteExpiredIdempotencyKeys(ctx)
	if err != nil && ctx.Err() == nil {
		m.log.Error("delete expired idempotency keys", "error", err)
		return
	}
	if n > 0 {
		m.log.Info("deleted expired idempotency keys", "count", n)
	}
}

// Stop ends housekeeping and waits for a run in progress, or for ctx to end.
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
