package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// This file holds the case list's search box and its "SLA then age" order.

// caseQuerySQL returns the condition for the text of the case list's search box
// (docket.CaseFilter.Query): the cases it finds exactly (caseExactSQL) and the cases whose
// words it matches (free text, search_text.go). Every branch is an index lookup, so the
// box costs the same on any table size. This is the one place that decides what the box
// finds; without a sort, the list shows them in rank order (listCasesByRank).
func caseQuerySQL(q string, pg bool) (string, []any) {
	exact, args := caseExactSQL(q)
	m := newTextMatch(pg, q)
	if m.empty() || docket.ValidID(docket.PrefixCase, q) {
		return `c.id IN (` + exact + `)`, args
	}
	text, targs := m.ids()
	return `c.id IN (` + exact + ` UNION ALL ` + text + `)`, append(args, targs...)
}

// caseExactSQL selects (as id) the cases the search box's text names exactly: a case id
// finds that case; anything else finds the case whose name it is (KYC-12, in any letter
// case) and the cases of the end user whose reference id, or first and last name (in
// any letter case and spacing), it is.
func caseExactSQL(q string) (string, []any) {
	if docket.ValidID(docket.PrefixCase, q) {
		return `SELECT id FROM cases WHERE id = ?`, []any{q}
	}
	ref := strings.Replace(referenceCasesSQL, "SELECT case_id", "SELECT case_id AS id", 1) + ` UNION ALL ` + nameCasesSQL
	name := docket.SearchNameOf(q)
	key, number, ok := docket.ParseCaseName(q)
	if !ok {
		return ref, []any{q, q, q, name, name}
	}
	return `SELECT n.id AS id FROM cases n JOIN case_templates nt ON nt.id = n.template_id WHERE nt.key = ? AND n.number = ?
			UNION ALL ` + ref, []any{key, number, q, q, q, name, name}
}

// slaRun is one stretch of the SLA order that one query reads: cases with an SLA (by
// expiry, then id) or cases without one (by id).
type slaRun struct {
	cond  string
	args  []any
	order string
}

const (
	slaAsc    = " ORDER BY c.sla_expires_at, c.id"
	slaDesc   = " ORDER BY c.sla_expires_at DESC, c.id DESC"
	noSLAAsc  = " ORDER BY c.id"
	noSLADesc = " ORDER BY c.id DESC"
)

// listCasesBySLA lists the cases matching where, most urgent first: cases with an SLA by
// expiry, then cases without one, and among equals the oldest first (ids are
// time-ordered). page[after] and page[before] name a case and mean after (before) it in
// this order.
//
// The order is a keyset over (sla_expires_at, id), read in at most two runs (cases with
// an SLA, then without) rather than over COALESCE(sla_expires_at, ...), because a row
// comparison over plain columns lets SQLite and PostgreSQL alike seek to the cursor in
// cases_sla_id, cases_status_sla_id or cases_assignee_sla_id (migration 00014): page 10,000 costs what page 1
// does.
func (s *Store) listCasesBySLA(ctx context.Context, where []string, args []any, p docket.Page) ([]*docket.Case, docket.PageResult, error) {
	runs, err := s.slaRuns(ctx, p)
	if err != nil {
		return nil, docket.PageResult{}, err
	}
	want := pageSize(p) + 1
	var items []*docket.Case
	for _, run := range runs {
		if len(items) >= want {
			break
		}
		q, a := run.query(where, args, want-len(items))
		got, err := queryAll(ctx, s.reader(), q, a, scanCase)
		if err != nil {
			return nil, docket.PageResult{}, err
		}
		items = append(items, got...)
	}
	items, r := finishPage(items, p)
	return items, r, nil
}

// query returns the run's query for the cases matching where, at most limit of them.
func (run slaRun) query(where []string, args []any, limit int) (string, []any) {
	w, a := append(slices.Clip(where), run.cond), append(slices.Clip(args), run.args...)
	return `SELECT ` + caseCols + ` FROM cases c WHERE ` + strings.Join(w, " AND ") + run.order + fmt.Sprintf(" LIMIT %d", limit), a
}

// slaRuns returns the runs that read a page in SLA order from the page's cursor: forward
// (after a cursor, or from the start) or backward (before a cursor, nearest first).
func (s *Store) slaRuns(ctx context.Context, p docket.Page) ([]slaRun, error) {
	withSLA := slaRun{cond: "c.sla_expires_at IS NOT NULL", order: slaAsc}
	without := slaRun{cond: "c.sla_expires_at IS NULL", order: noSLAAsc}
	cursor, param := p.After, "page[after]"
	if p.Before != "" {
		cursor, param = p.Before, "page[before]"
	}
	if cursor == "" {
		return []slaRun{withSLA, without}, nil
	}
	var sla sql.NullInt64
	err := s.reader().QueryRowContext(ctx, `SELECT sla_expires_at FROM cases WHERE id = ?`, cursor).Scan(&sla)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &docket.Error{Code: docket.EBadRequest, Message: "page cursor names no case", Parameter: param}
	}
	if err != nil {
		return nil, fmt.Errorf("read case list cursor: %w", err)
	}
	forward := p.Before == ""
	switch {
	case forward && sla.Valid:
		return []slaRun{{"(c.sla_expires_at, c.id) > (?, ?)", []any{sla.Int64, cursor}, slaAsc}, without}, nil
	case forward:
		return []slaRun{{"c.sla_expires_at IS NULL AND c.id > ?", []any{cursor}, noSLAAsc}}, nil
	case sla.Valid:
		return []slaRun{{"(c.sla_expires_at, c.id) < (?, ?)", []any{sla.Int64, cursor}, slaDesc}}, nil
	}
	return []slaRun{{"c.sla_expires_at IS NULL AND c.id < ?", []any{cursor}, noSLADesc},
		{"c.sla_expires_at IS NOT NULL", nil, slaDesc}}, nil
}
