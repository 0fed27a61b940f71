package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

// This file holds free-text matching over the index that search_index.go keeps: SQLite's
// FTS5 table case_text (rows numbered by case_text_rows) and PostgreSQL's tsvector column
// case_text.words with its GIN index. Both hold the words docket.SearchWords makes, so a
// query is the same words on either store: each must be present, as a word or the start of one.

// textMatch is a free-text query.
type textMatch struct {
	pg    bool
	words []string
}

func newTextMatch(pg bool, text string) textMatch {
	words := docket.SearchWords(text)
	return textMatch{pg: pg, words: words[:min(len(words), docket.MaxSearchTextWords)]}
}

// empty reports a text with no word in it: it matches no case.
func (m textMatch) empty() bool { return len(m.words) == 0 }

// query is the engine's query text: "kyc"* AND "12"* on FTS5, kyc:* & 12:* for
// to_tsquery. Words hold only letters and digits, so nothing in them is syntax.
func (m textMatch) query() string {
	parts := make([]string, len(m.words))
	for i, w := range m.words {
		if m.pg {
			parts[i] = w + ":*"
		} else {
			parts[i] = `"` + w + `"*`
		}
	}
	if m.pg {
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts, " AND ")
}

// ids returns a query of the ids of the matching cases.
func (m textMatch) ids() (string, []any) {
	if m.pg {
		return `SELECT case_id FROM case_text WHERE words @@ to_tsquery('simple', ?)`, []any{m.query()}
	}
	return `SELECT case_text_rows.case_id FROM case_text JOIN case_text_rows ON case_text_rows.row = case_text.rowid WHERE case_text MATCH ?`, []any{m.query()}
}

// ranked returns a query of the matching cases' ids and scores (id, score), the best
// match having the lowest score: FTS5's bm25, or PostgreSQL's ts_rank negated.
func (m textMatch) ranked() (string, []any) {
	if m.pg {
		return `SELECT case_id AS id, -ts_rank(words, to_tsquery('simple', ?))::float8 AS score FROM case_text
			WHERE words @@ to_tsquery('simple', ?)`, []any{m.query(), m.query()}
	}
	return `SELECT case_text_rows.case_id AS id, bm25(case_text) AS score FROM case_text
		JOIN case_text_rows ON case_text_rows.row = case_text.rowid WHERE case_text MATCH ?`, []any{m.query()}
}

// rankSource is the FROM of a query in rank order: src's ids and scores as m, joined to
// the cases as c.
type rankSource struct {
	pg   bool
	src  string
	args []any
}

// from joins each match to its case. On PostgreSQL the case is read by a LATERAL
// subquery that OFFSET 0 keeps from being flattened, so each match is one primary-key
// lookup: the planner guesses 2% of the table for any prefix query (its statistics do
// not cover prefixes) and, trusting that, hashed the whole cases table to join ten
// matches (400 ms at 1,000,000 cases).
func (r rankSource) from() string {
	if r.pg {
		return `(` + r.src + `) m CROSS JOIN LATERAL (SELECT * FROM cases WHERE cases.id = m.id OFFSET 0) c`
	}
	return `(` + r.src + `) m JOIN cases c ON c.id = m.id`
}

// cursor returns the condition for the cases after (or, with before, before) the case
// id in rank order, reading the cursor's score first.
func (r rankSource) cursor(ctx context.Context, q querier, id string, before bool, param string) (string, []any, error) {
	var score float64
	err := q.QueryRowContext(ctx, `SELECT m.score FROM (`+r.src+`) m WHERE m.id = ?`, append(r.args, id)...).Scan(&score)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, &docket.Error{Code: docket.EBadRequest, Message: "page cursor names no case that this search finds", Field: param, Parameter: param}
	}
	if err != nil {
		return "", nil, fmt.Errorf("read rank cursor: %w", err)
	}
	cmp := ">"
	if before {
		cmp = "<"
	}
	return fmt.Sprintf("(m.score %s ? OR (m.score = ? AND c.id %s ?))", cmp, cmp), []any{score, score, id}, nil
}

// rankOrder orders by score, best first (or, reading backwards, worst first), then id.
func rankOrder(before bool) string {
	if before {
		return " ORDER BY m.score DESC, c.id DESC"
	}
	return " ORDER BY m.score, c.id"
}

// exactScore ranks the search box's exact matches (a case's name, id or end user's
// reference id) above every free-text match.
const exactScore = "-1e30"

// listCasesByRank lists the cases of the case list's search box (f.Query) in rank order:
// exact matches first, then free-text matches best first. Other filters narrow it as
// they narrow any list.
func (s *Store) listCasesByRank(ctx context.Context, f docket.CaseFilter) ([]*docket.Case, docket.PageResult, error) {
	q, args, none, err := s.rankedListSQL(ctx, f)
	if err != nil || none {
		return nil, docket.PageResult{}, err
	}
	cases, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanCase)
	if err != nil {
		return nil, r, fmt.Errorf("list cases by rank: %w", err)
	}
	return cases, r, loadCaseRelations(ctx, s.reader(), cases)
}

// rankedListSQL compiles listCasesByRank's query; none reports a queue that does not exist.
func (s *Store) rankedListSQL(ctx context.Context, f docket.CaseFilter) (string, []any, bool, error) {
	src := s.boxRankSource(f.Query)
	f.Query = ""
	where, args, none, err := s.caseConditions(ctx, f)
	if err != nil || none {
		return "", nil, none, err
	}
	cursor, param, before := f.Page.After, "page[after]", false
	if f.Page.Before != "" {
		cursor, param, before = f.Page.Before, "page[before]", true
	}
	if cursor != "" {
		cond, cargs, err := src.cursor(ctx, s.reader(), cursor, before, param)
		if err != nil {
			return "", nil, false, err
		}
		where, args = append(where, cond), append(args, cargs...)
	}
	q := `SELECT ` + caseCols + ` FROM ` + src.from() + whereSQL(where) + rankOrder(before) + fmt.Sprintf(" LIMIT %d", pageSize(f.Page)+1)
	return q, append(src.args, args...), false, nil
}

// boxRankSource scores what the search box's text finds: its exact matches (see
// caseQuerySQL) above its free-text matches. A case found both ways counts once.
func (s *Store) boxRankSource(text string) rankSource {
	exact, eargs := caseExactSQL(text)
	src := `SELECT x.id AS id, ` + exactScore + ` AS score FROM (` + exact + `) x`
	m := newTextMatch(s.pg, text)
	if m.empty() || docket.ValidID(docket.PrefixCase, text) {
		return rankSource{pg: s.pg, src: src, args: eargs}
	}
	ranked, rargs := m.ranked()
	return rankSource{
		pg:   s.pg,
		src:  `SELECT u.id AS id, MIN(u.score) AS score FROM (` + src + ` UNION ALL ` + ranked + `) u GROUP BY u.id`,
		args: append(eargs, rargs...),
	}
}
