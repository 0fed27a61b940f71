package store

import (
	"context"
	"fmt"
	"time"
)

// AnalyticsReplayProbe measures the road not taken (docs/decisions.md, "Analytics from
// facts kept with the events"): the resolution times of the cases resolved in a period,
// read from the event log alone, with an index on (name, created_at, object_id) that the
// probe creates if it is missing. It is a lower bound of what replaying events would cost
// a figure (no reopenings, visibility or filters), for `docket bench analytics --replay`
// only; it returns how many resolutions it read.
func (s *Store) AnalyticsReplayProbe(ctx context.Context, from, to time.Time) (int, error) {
	if _, err := s.w.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS bench_events_name_time ON events (name, created_at, object_id)`); err != nil {
		return 0, fmt.Errorf("replay probe index: %w", err)
	}
	rows, err := s.reader().QueryContext(ctx, `SELECT r.created_at - c.created_at FROM events r
		JOIN events c ON c.object_id = r.object_id AND c.name = 'case.created'
		WHERE r.name = 'case.resolved' AND r.created_at >= ? AND r.created_at < ?`, ms(from), ms(to))
	if err != nil {
		return 0, fmt.Errorf("replay probe: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
