package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestCaseTimelinePlan checks, with EXPLAIN on each store, that a case's timeline is read
// through the events_object index whatever the size of the events table: a page of a
// case's timeline must not scan the events of other cases. The table holds 200,000 events
// of 50,000 objects, and PostgreSQL has statistics, as it would in production (SQLite has
// none: Docket never runs ANALYZE there).
func TestCaseTimelinePlan(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		ctx := context.Background()
		s, err := Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		fill := `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
			INSERT INTO events (id, name, object_type, object_id, actor_type, actor_id, object, created_at)
			SELECT printf('evt_%026d', i), 'case.created', 'case', printf('case_%026d', i % 50000), 'system', 'test', '{}', i FROM n`
		if s.pg {
			fill = `INSERT INTO events (id, name, object_type, object_id, actor_type, actor_id, object, created_at)
				SELECT 'evt_' || lpad(i::text, 26, '0'), 'case.created', 'case', 'case_' || lpad((i % 50000)::text, 26, '0'),
				'system', 'test', '{}', i FROM generate_series(1, 200000) AS i`
		}
		if _, err := s.w.ExecContext(ctx, fill); err != nil {
			t.Fatal(err)
		}
		if s.pg {
			if _, err := s.w.ExecContext(ctx, `ANALYZE events`); err != nil {
				t.Fatal(err)
			}
		}
		ids := []string{fmt.Sprintf("case_%026d", 7), fmt.Sprintf("cscm_%026d", 1), fmt.Sprintf("inq_%026d", 2)}
		for _, p := range []docket.Page{{Size: 50}, {Size: 50, After: fmt.Sprintf("evt_%026d", 100000)}} {
			q, args := listEventsSQL(docket.EventFilter{ObjectIDs: ids, Page: p})
			plan := explain(t, s, q, args)
			if !strings.Contains(plan, "events_object") || strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "SCAN events") {
				t.Fatalf("the timeline query does not use the events_object index:\n%s\n%s", q, plan)
			}
		}
	})
}

// explain returns the plan of a query, one line per step.
func explain(t *testing.T, s *Store, q string, args []any) string {
	t.Helper()
	prefix := "EXPLAIN QUERY PLAN "
	if s.pg {
		prefix = "EXPLAIN "
	}
	rows, err := s.r.QueryContext(context.Background(), s.rebind(prefix+q), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals[len(vals)-1])
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
