package maintain

import (
	"context"
	"time"
)

// Search field backfill: a template field newly marked searchable is indexed for the
// cases written from then on in their own transactions; the cases written before are
// filled in here, searchBackfillBatch cases a transaction with a pause between, so that
// adding an index to a million cases never holds writers up. Until the backfill ends,
// searches on the field read the cases' JSON and say so (meta "not-indexed").
const (
	searchBackfillInterval = 10 * time.Second
	searchBackfillBatch    = 1000
	searchBackfillPause    = 20 * time.Millisecond
)

func (m *Maintainer) backfillSearchFields(ctx context.Context) {
	n, err := m.BackfillSearchFields(ctx)
	if err != nil && ctx.Err() == nil {
		m.log.Error("backfill searchable fields", "error", err, "cases", n)
		return
	}
	if n > 0 {
		m.log.Info("backfilled searchable fields", "cases", n)
	}
}

// BackfillSearchFields runs batches until none is left and returns how many cases they
// indexed (see store.BackfillSearchFields). Several processes may run it at once: each
// batch takes a field another process is not filling.
func (m *Maintainer) BackfillSearchFields(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := m.store.BackfillSearchFields(ctx, searchBackfillBatch)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(searchBackfillPause):
		}
	}
}
