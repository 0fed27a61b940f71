package store

import (
	"context"
	"fmt"
	"github.com/docket-hq/docket/internal/store/migrations"
	"strings"

	"github.com/docket-hq/docket"
)

// SeedCases writes cases exactly as given (ids, numbers, names, times, assignees, tags,
// attached objects, resolutions, a resolved case's resolution time being its UpdatedAt)
// with multi-row INSERTs in one transaction, and their search index entries. It exists to fill a database
// with a million cases for benchmarks in seconds rather than hours: it validates nothing,
// records no events and runs no reactions, so it is never used to serve requests. The
// templates' case counters move past the highest number given, so cases created later
// get fresh numbers.
func (s *Store) SeedCases(ctx context.Context, cases []*docket.Case) error {
	return s.write(ctx, func(tx *Tx) error {
		if err := insertCases(ctx, tx, cases); err != nil {
			return err
		}
		if err := seedResolutions(ctx, tx, cases); err != nil {
			return err
		}
		if err := seedTags(ctx, tx, cases); err != nil {
			return err
		}
		if err := seedObjects(ctx, tx, cases); err != nil {
			return err
		}
		if !s.searchOff.Load() {
			ids := make([]string, len(cases))
			for i, c := range cases {
				ids[i] = c.ID
			}
			if err := reindexCases(ctx, tx, ids); err != nil {
				return err
			}
		}
		last := map[string]int64{}
		for _, c := range cases {
			last[c.TemplateID] = max(last[c.TemplateID], c.Number)
		}
		for id, n := range last {
			if _, err := tx.exec(ctx, `UPDATE case_templates SET case_count = ? WHERE id = ? AND case_count < ?`, n, id, n); err != nil {
				return fmt.Errorf("seed case counter of %s: %w", id, err)
			}
		}
		return nil
	})
}

// seedResolutions marks the resolved cases among those just inserted, a few hundred a
// statement: the resolution time is the case's UpdatedAt.
func seedResolutions(ctx context.Context, tx *Tx, cases []*docket.Case) error {
	type key struct{ resolution, resolverType, resolverID string }
	groups := map[key][]any{}
	for _, c := range cases {
		if c.ResolvedAt == nil || c.Resolution == nil {
			continue
		}
		k := key{resolution: *c.Resolution}
		if c.Resolver != nil {
			k.resolverType, k.resolverID = c.Resolver.Type, c.Resolver.ID
		}
		groups[k] = append(groups[k], c.ID)
	}
	for k, ids := range groups {
		for len(ids) > 0 {
			chunk := ids[:min(len(ids), 500)]
			ids = ids[len(chunk):]
			args := append([]any{k.resolution, k.resolverType, k.resolverID}, chunk...)
			if _, err := tx.exec(ctx, `UPDATE cases SET resolution = ?, resolved_at = updated_at, resolver_type = ?, resolver_id = ?
				WHERE id IN (`+placeholders(len(chunk))+`)`, args...); err != nil {
				return fmt.Errorf("seed resolutions: %w", err)
			}
		}
	}
	return nil
}

// seedObjects attaches the cases' objects (accounts, inquiries, transactions: their
// id prefix is their type), many rows a statement.
func seedObjects(ctx context.Context, tx *Tx, cases []*docket.Case) error {
	var args []any
	for _, c := range cases {
		for _, id := range c.ObjectIDs {
			args = append(args, c.ID, id, docket.IDPrefix(id), ms(c.CreatedAt))
		}
	}
	for len(args) > 0 {
		chunk := args[:min(len(args), 4*500)]
		args = args[len(chunk):]
		if _, err := tx.exec(ctx, `INSERT INTO case_objects (case_id, object_id, object_type, created_at) VALUES `+rows(len(chunk)/4, 4), chunk...); err != nil {
			return fmt.Errorf("seed objects: %w", err)
		}
	}
	return nil
}

// seedTags inserts the cases' tags, many rows a statement.
func seedTags(ctx context.Context, tx *Tx, cases []*docket.Case) error {
	var args []any
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := tx.exec(ctx, `INSERT INTO case_tags (case_id, tag) VALUES `+rows(len(args)/2, 2), args...)
		args = args[:0]
		if err != nil {
			return fmt.Errorf("seed tags: %w", err)
		}
		return nil
	}
	for _, c := range cases {
		for _, tag := range c.Tags {
			args = append(args, c.ID, tag)
			if len(args) >= 2000 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// RefreshStatistics has PostgreSQL gather the planner's statistics of the case tables now,
// as autovacuum does some time after a bulk load: without them, the planner takes a table
// seeded with a million rows for an empty one. On SQLite it does nothing, because Docket
// never runs ANALYZE there, and a benchmark should see the plans a real database gets.
func (s *Store) RefreshStatistics(ctx context.Context) error {
	if !s.pg {
		return nil
	}
	if _, err := s.w.ExecContext(ctx, `ANALYZE cases, case_tags, events, case_field_values, case_text, case_objects, accounts, case_facts, case_spells`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// SeedEvents records events as given (ids, names, times, snapshots), chained, in one
// transaction, for benchmarks: like SeedCases it runs no handlers and keeps no analytics
// facts (BackfillAnalytics computes them afterwards, as the migration does).
func (s *Store) SeedEvents(ctx context.Context, events []*docket.Event) error {
	return s.write(ctx, func(tx *Tx) error { tx.pend(events); return nil })
}

// BackfillAnalytics recomputes the analytics facts of every case from the cases and
// their events with the very statements of migration 00025, which computed them once at
// upgrade. The benchmark seeds cases and events, then calls it (and times it: it is the
// migration's cost at that size).
func (s *Store) BackfillAnalytics(ctx context.Context) error {
	dir := "sqlite/"
	if s.pg {
		dir = "postgres/"
	}
	src, err := migrations.Source(dir + "00025_analytics.sql")
	if err != nil {
		return err
	}
	_, body, _ := strings.Cut(string(src), "-- Backfill")
	body, _, _ = strings.Cut("--"+body, "-- +goose Down")
	return s.write(ctx, func(tx *Tx) error {
		stmts := []string{"DELETE FROM case_spells", "DELETE FROM case_facts"}
		for _, st := range strings.Split(body, ";\n") {
			if st = strings.TrimSpace(st); strings.Contains(st, "INSERT") {
				stmts = append(stmts, st)
			}
		}
		for _, st := range stmts {
			if _, err := tx.tx.ExecContext(ctx, st); err != nil {
				return fmt.Errorf("backfill analytics: %w", err)
			}
		}
		return nil
	})
}
