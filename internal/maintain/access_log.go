package maintain

import (
	"context"
	"time"

	"github.com/docket-hq/docket"
)

func (c *Config) auditDefaults() {
	if c.AuditRetention <= 0 {
		c.AuditRetention = docket.DefaultAuditRetention
	}
	if c.AuditPurgeInterval <= 0 {
		c.AuditPurgeInterval = time.Hour
	}
	if c.AuditPurgeBatch <= 0 {
		c.AuditPurgeBatch = 5000
	}
	if c.AuditPurgePause <= 0 {
		c.AuditPurgePause = 100 * time.Millisecond
	}
}

func (m *Maintainer) purgeAccessLog(ctx context.Context) {
	n, err := m.PurgeAccessLog(ctx)
	if err != nil && ctx.Err() == nil {
		m.log.Error("delete old access log entries", "error", err, "deleted", n)
		return
	}
	if n > 0 {
		m.log.Info("deleted old access log entries", "count", n)
	}
}

// PurgeAccessLog deletes the access log entries older than the retention period, a
// batch per statement with a pause between, until a batch comes back short, and returns
// how many it deleted. Several processes may purge at once: each statement takes rows
// the others are not deleting (see store.DeleteAccessLogBefore), and the cutoff is read
// once, so rows written meanwhile are never candidates.
func (m *Maintainer) PurgeAccessLog(ctx context.Context) (int, error) {
	before := time.Now().Add(-m.cfg.AuditRetention)
	total := 0
	for {
		n, err := m.store.DeleteAccessLogBefore(ctx, before, m.cfg.AuditPurgeBatch)
		total += n
		if err != nil || n < m.cfg.AuditPurgeBatch {
			return total, err
		}
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(m.cfg.AuditPurgePause):
		}
	}
}
