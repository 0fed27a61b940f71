package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

// ExplainCaseList returns the query plan of each query that ListCases and CountCases run
// for f, for tests that check the case list stays on its indexes. On PostgreSQL the
// planner is told to avoid sequential scans and sorts wherever an index can serve, so
// that a small test table shows whether an index path exists at all (a million-row
// table would choose it by cost).
func (s *Store) ExplainCaseList(ctx context.Context, f docket.CaseFilter, countLimit int) ([]string, error) {
	where, args, none, err := s.caseConditions(ctx, f)
	if err != nil || none {
		return nil, err
	}
	src, err := s.newestFirst(ctx, f)
	if err != nil {
		return nil, err
	}
	var qs []query
	if f.Sort == docket.CaseSortSLA {
		runs, err := s.slaRuns(ctx, f.Page)
		if err != nil {
			return nil, err
		}
		for _, run := range runs {
			q, a := run.query(where, args, pageSize(f.Page)+1)
			qs = append(qs, query{q, a})
		}
	} else {
		q, a := listSQL(`SELECT `+caseCols+` FROM `+src.from, src.where, src.args, src.idCol, f.Page)
		qs = append(qs, query{q, a})
	}
	q, a := countSQL(src.from, src.where, src.args, countLimit)
	qs = append(qs, query{q, a})

	// The search box's free text reads a GIN index, which only bitmap scans read.
	if f.Query != "" {
		return s.explain(ctx, qs)
	}
	return s.explain(ctx, qs, "SET enable_bitmapscan = off")
}

type query struct {
	sql  string
	args []any
}

// explain returns the plans of the queries. On PostgreSQL the planner is told to avoid
// sequential scans and sorts, and whatever else the settings say, wherever it can.
func (s *Store) explain(ctx context.Context, qs []query, settings ...string) ([]string, error) {
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	explain := "EXPLAIN QUERY PLAN "
	if s.pg {
		explain = "EXPLAIN "
		for _, set := range append([]string{"SET enable_seqscan = off", "SET enable_sort = off", "SET enable_incremental_sort = off"}, settings...) {
			if _, err := conn.ExecContext(ctx, set); err != nil {
				return nil, err
			}
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "RESET ALL")
	}
	var plans []string
	for _, q := range qs {
		rows, err := conn.QueryContext(ctx, s.rebind(explain+q.sql), q.args...)
		if err != nil {
			return nil, fmt.Errorf("explain %s: %w", q.sql, err)
		}
		var lines []string
		for rows.Next() {
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			for i := range vals {
				vals[i] = new(any)
			}
			if err := rows.Scan(vals...); err != nil {
				rows.Close()
				return nil, err
			}
			lines = append(lines, fmt.Sprint(*(vals[len(vals)-1].(*any))))
		}
		rows.Close()
		plans = append(plans, q.sql+"\n"+strings.Join(lines, "\n"))
	}
	return plans, nil
}

// ExplainSearch returns the plan of the query SearchCases runs for q (see ExplainCaseList).
// GIN indexes are read by bitmap scans, so those stay allowed.
func (s *Store) ExplainSearch(ctx context.Context, q docket.SearchQuery) ([]string, error) {
	sql, args, _, err := s.searchSQL(ctx, q)
	if err != nil {
		return nil, err
	}
	return s.explain(ctx, []query{{sql, args}})
}

// ExplainRankedList returns the plan of the case list in rank order (f.Query, no sort).
func (s *Store) ExplainRankedList(ctx context.Context, f docket.CaseFilter) ([]string, error) {
	sql, args, _, err := s.rankedListSQL(ctx, f)
	if err != nil {
		return nil, err
	}
	return s.explain(ctx, []query{{sql, args}})
}
