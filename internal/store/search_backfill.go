package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// DisableSearchIndex stops (true) or resumes (false) the upkeep of the search index.
// It exists for benchmarks that compare writes with and without the index (docket bench
// cases --no-search-index); a store serving requests never calls it, as its searches
// would then miss what changed.
func (s *Store) DisableSearchIndex(off bool) { s.searchOff.Store(off) }

// BackfillSearchFields indexes, for one template field newly marked searchable, the
// values of at most limit of the cases created before the mark (newer ones are indexed as
// they are written), and marks the field ready once none is left. It returns how many
// cases it indexed; 0 means there is nothing to do. Each call is one short transaction,
// so that housekeeping can run it in a loop without holding writers up (internal/maintain).
func (s *Store) BackfillSearchFields(ctx context.Context, limit int) (int, error) {
	var n int
	err := s.write(ctx, func(tx *Tx) error {
		var templateID, key string
		var after int64
		err := tx.queryRow(ctx, `SELECT template_id, key, backfill_after FROM search_fields WHERE backfill_after IS NOT NULL
			ORDER BY template_id, key LIMIT 1`+s.skipLocked()).Scan(&templateID, &key, &after)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("find a search field to backfill: %w", err)
		}
		type row struct {
			id     string
			number int64
		}
		rows, err := queryAll(ctx, tx.reader(), `SELECT id, number FROM cases WHERE template_id = ? AND number > ? ORDER BY number LIMIT ?`,
			[]any{templateID, after, limit}, func(r scanner) (row, error) {
				var x row
				return x, r.Scan(&x.id, &x.number)
			})
		if err != nil {
			return fmt.Errorf("read cases to backfill: %w", err)
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.id
		}
		if err := reindexCases(ctx, tx, ids); err != nil {
			return err
		}
		var next any // NULL: done
		if len(rows) == limit {
			next = rows[len(rows)-1].number
		}
		n = len(rows)
		if _, err := tx.exec(ctx, `UPDATE search_fields SET backfill_after = ? WHERE template_id = ? AND key = ?`, next, templateID, key); err != nil {
			return fmt.Errorf("move search field backfill: %w", err)
		}
		n = max(n, 1) // a field marked ready is work done
		return nil
	})
	return n, err
}
