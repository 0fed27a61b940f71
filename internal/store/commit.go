package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/docket-hq/docket"
)

// CommitHandler is told the events of a change after the change has committed. It runs
// outside the transaction, so it can neither fail nor undo the change: it is for
// counting what happened (metrics), never for doing more work (that is EventHandler's
// place, inside the transaction).
type CommitHandler func(events []*docket.Event)

// OnCommit registers a handler called after every commit that recorded events, in
// registration order. Register handlers at start, before the store is used.
func (s *Store) OnCommit(h CommitHandler) {
	s.committed = append(s.committed, h)
}

// afterCommit tells the commit handlers what the transaction recorded.
func (s *Store) afterCommit(recorded []*docket.ChainLink) {
	if len(s.committed) == 0 || len(recorded) == 0 {
		return
	}
	events := make([]*docket.Event, len(recorded))
	for i, l := range recorded {
		events[i] = &l.Event
	}
	for _, h := range s.committed {
		h(events)
	}
}

// JobCount is how many jobs of a kind are in a state that is not final.
type JobCount struct {
	Kind, State string
	Count       int64
}

// JobCounts counts the jobs waiting or running, by kind and state (River's available,
// scheduled, retryable and running), for the queue-depth gauges.
func (s *Store) JobCounts(ctx context.Context) ([]JobCount, error) {
	out, err := queryAll(ctx, s.reader(), `SELECT kind, state, count(*) FROM river_job
		WHERE state IN ('available', 'scheduled', 'retryable', 'running') GROUP BY kind, state`, nil,
		func(r scanner) (JobCount, error) {
			var c JobCount
			return c, r.Scan(&c.Kind, &c.State, &c.Count)
		})
	if err != nil {
		return nil, fmt.Errorf("count jobs: %w", err)
	}
	return out, nil
}

// Pools returns the store's connection pools by name ("write" and "read" on SQLite,
// "main" on PostgreSQL, where one pool serves both) for the pool-use metrics.
func (s *Store) Pools() map[string]*sql.DB {
	if s.r == s.w {
		return map[string]*sql.DB{"main": s.w}
	}
	return map[string]*sql.DB{"write": s.w, "read": s.r}
}
