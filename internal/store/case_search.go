package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// searchColumns maps searchable text and time attributes to columns.
var searchColumns = map[string]string{
	"status": "c.status", "resolution": "c.resolution", "name": "c.name",
	"case-template-id": "c.template_id", "assignee-id": "c.assignee_id", "case-queue-id": "c.queue_id",
	"created-at": "c.created_at", "updated-at": "c.updated_at", "assigned-at": "c.assigned_at",
	"resolved-at": "c.resolved_at", "sla-expires-at": "c.sla_expires_at",
}

// SearchCases runs a predicate search, with free text when q.Text is set. It reads the
// database directly, and the search index is written in the transaction of each change
// (search_index.go), so a case is found by the search that follows the write that
// changed it.
func (s *Store) SearchCases(ctx context.Context, q docket.SearchQuery) ([]*docket.Case, docket.PageResult, error) {
	query, args, none, err := s.searchSQL(ctx, q)
	if err != nil || none {
		return nil, docket.PageResult{}, err
	}
	cases, r, err := queryPage(ctx, s.reader(), query, args, docket.Page{Size: q.Page.Size, After: q.Page.After}, scanCase)
	if err != nil {
		return nil, r, fmt.Errorf("search cases: %w", err)
	}
	return cases, r, loadCaseRelations(ctx, s.reader(), cases)
}

// searchSQL compiles a search into one query. none reports a text with no word in it,
// which finds nothing.
func (s *Store) searchSQL(ctx context.Context, q docket.SearchQuery) (string, []any, bool, error) {
	b := sqlBuilder{pg: s.pg}
	if q.Where != nil {
		idx, err := fieldIndexes(ctx, s.reader(), q.Where)
		if err != nil {
			return "", nil, false, err
		}
		b.indexed = idx
	}
	var where []string
	if q.Where != nil {
		// Parenthesised: a top-level "or" (or a field "in") must not swallow the cursor's AND.
		where = append(where, "("+b.predicate(q.Where)+")")
	}
	if cond, vargs := visibilitySQL(q.Visibility); cond != "" {
		where, b.args = append(where, cond), append(b.args, vargs...)
	}
	from, fromArgs := "cases c", []any(nil)
	m := newTextMatch(s.pg, q.Text)
	if q.Text != "" && m.empty() {
		return "", nil, true, nil
	}
	if q.Sort.Attribute == docket.SearchSortRank {
		ranked, rargs := m.ranked()
		src := rankSource{pg: s.pg, src: ranked, args: rargs}
		from, fromArgs = src.from(), src.args
		if q.Page.After != "" {
			cond, cargs, err := src.cursor(ctx, s.reader(), q.Page.After, false, "page.after")
			if err != nil {
				return "", nil, false, err
			}
			where, b.args = append(where, cond), append(b.args, cargs...)
		}
		query := `SELECT ` + caseCols + ` FROM ` + from + whereSQL(where) + rankOrder(false) + fmt.Sprintf(" LIMIT %d", pageSize(q.Page)+1)
		return query, append(fromArgs, b.args...), false, nil
	}
	if q.Text != "" {
		ids, targs := m.ids()
		where, b.args = append(where, "c.id IN ("+ids+")"), append(b.args, targs...)
	}
	sortCol := "c.id"
	if q.Sort.Attribute != "" {
		sortCol = searchColumns[q.Sort.Attribute]
	}
	dir, cmp := "DESC", "<"
	if !q.Sort.Desc {
		dir, cmp = "ASC", ">"
	}
	if q.Page.After != "" {
		if sortCol == "c.id" {
			where = append(where, "c.id "+cmp+" ?")
			b.args = append(b.args, q.Page.After)
		} else {
			v, err := s.sortValue(ctx, sortCol, q.Page.After)
			if err != nil {
				return "", nil, false, err
			}
			where = append(where, fmt.Sprintf("(%s %s ? OR (%s = ? AND c.id %s ?))", sortCol, cmp, sortCol, cmp))
			b.args = append(b.args, v, v, q.Page.After)
		}
	}
	query := `SELECT ` + caseCols + ` FROM cases c` + whereSQL(where)
	query += fmt.Sprintf(" ORDER BY %s %s", sortCol, dir)
	if sortCol != "c.id" {
		query += ", c.id " + dir
	}
	query += fmt.Sprintf(" LIMIT %d", pageSize(q.Page)+1)
	return query, b.args, false, nil
}

func whereSQL(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

func (s *Store) sortValue(ctx context.Context, col, id string) (int64, error) {
	var v int64
	err := s.reader().QueryRowContext(ctx, `SELECT `+col+` FROM cases c WHERE c.id = ?`, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, &docket.Error{Code: docket.EBadRequest, Message: "page cursor names no case", Field: "page.after"}
	}
	if err != nil {
		return 0, fmt.Errorf("read search cursor: %w", err)
	}
	return v, nil
}

// sqlBuilder compiles a predicate tree into a parameterized WHERE clause.
type sqlBuilder struct {
	pg   bool
	args []any
	// indexed tells which field keys case_field_values holds for every case (fieldIndexes).
	indexed map[string]bool
}

func (b *sqlBuilder) arg(v any) string {
	b.args = append(b.args, v)
	return "?"
}

func (b *sqlBuilder) predicate(p *docket.Predicate) string {
	switch {
	case p.And != nil:
		return b.and(p.And)
	case p.Or != nil:
		return b.join(p.Or, " OR ")
	case p.Not != nil:
		// COALESCE: a comparison with a missing value is NULL, and NOT NULL matches nothing.
		return "NOT COALESCE((" + b.predicate(p.Not) + "), FALSE)"
	}
	switch p.Kind() {
	case docket.AttrTag:
		return b.tag(p)
	case docket.AttrField:
		if b.indexed[p.FieldKey()] {
			return b.indexedField(p)
		}
		return b.field(p)
	case docket.AttrReference:
		return b.reference(p)
	default:
		if p.Attribute == "name" {
			if cond, ok := b.name(p); ok {
				return cond
			}
		}
		return b.column(p)
	}
}

func (b *sqlBuilder) join(ps []*docket.Predicate, sep string) string {
	parts := make([]string, len(ps))
	for i, c := range ps {
		parts[i] = "(" + b.predicate(c) + ")"
	}
	return strings.Join(parts, sep)
}

var sqlOps = map[string]string{docket.OpEq: "=", docket.OpNe: "<>", docket.OpGt: ">", docket.OpGte: ">=", docket.OpLt: "<", docket.OpLte: "<="}

func (b *sqlBuilder) column(p *docket.Predicate) string {
	col := searchColumns[p.Attribute]
	conv := func(v any) any {
		if t, ok := v.(time.Time); ok {
			return ms(t)
		}
		return v
	}
	switch {
	case p.Operator == docket.OpIn:
		list := p.Value.([]any)
		ph := make([]string, len(list))
		for i, v := range list {
			ph[i] = b.arg(conv(v))
		}
		return col + " IN (" + strings.Join(ph, ", ") + ")"
	case p.Value == nil && p.Operator == docket.OpEq:
		return col + " IS NULL"
	case p.Value == nil:
		return col + " IS NOT NULL"
	case p.Operator == docket.OpNe:
		return "(" + col + " IS NULL OR " + col + " <> " + b.arg(conv(p.Value)) + ")"
	}
	return col + " " + sqlOps[p.Operator] + " " + b.arg(conv(p.Value))
}

func (b *sqlBuilder) tag(p *docket.Predicate) string {
	var cond string
	if p.Operator == docket.OpIn {
		list := p.Value.([]any)
		ph := make([]string, len(list))
		for i, v := range list {
			ph[i] = b.arg(v)
		}
		cond = "tag IN (" + strings.Join(ph, ", ") + ")"
	} else {
		cond = "tag = " + b.arg(p.Value)
	}
	not := ""
	if p.Operator == docket.OpNe {
		not = "NOT "
	}
	return "c.id " + not + "IN (SELECT case_id FROM case_tags WHERE " + cond + ")"
}

// field compares a value inside the fields JSON. A comparison only matches values of
// the same JSON type, so "amount > 5" never matches a string amount.
func (b *sqlBuilder) field(p *docket.Predicate) string {
	key := p.FieldKey()
	if p.Operator == docket.OpIn {
		parts := make([]string, 0, len(p.Value.([]any)))
		for _, v := range p.Value.([]any) {
			parts = append(parts, "("+b.fieldCmp(key, docket.OpEq, v)+")")
		}
		return strings.Join(parts, " OR ")
	}
	if p.Value == nil {
		null := b.fieldNull(key)
		if p.Operator == docket.OpNe {
			return "NOT (" + null + ")"
		}
		return null
	}
	if p.Operator == docket.OpNe {
		return "NOT COALESCE((" + b.fieldCmp(key, docket.OpEq, p.Value) + "), FALSE)"
	}
	return b.fieldCmp(key, p.Operator, p.Value)
}

func (b *sqlBuilder) fieldNull(key string) string {
	if b.pg {
		return "COALESCE(jsonb_typeof(c.fields -> " + b.arg(key) + "), 'null') = 'null'"
	}
	return "COALESCE(json_type(c.fields, " + b.arg(jsonPath(key)) + "), 'null') = 'null'"
}

func (b *sqlBuilder) fieldCmp(key, op string, v any) string {
	if b.pg {
		typ := "boolean"
		switch v.(type) {
		case string:
			typ = "string"
		case float64:
			typ = "number"
		}
		js, _ := json.Marshal(v)
		return "jsonb_typeof(c.fields -> " + b.arg(key) + ") = '" + typ + "' AND c.fields -> " + b.arg(key) + " " + sqlOps[op] + " " + b.arg(string(js)) + "::jsonb"
	}
	path := jsonPath(key)
	switch x := v.(type) {
	case bool:
		want := map[bool]string{true: "true", false: "false"}[x]
		if op == docket.OpEq {
			return "json_type(c.fields, " + b.arg(path) + ") = '" + want + "'"
		}
		// Order booleans as false < true, like PostgreSQL's jsonb.
		return "json_type(c.fields, " + b.arg(path) + ") IN ('true', 'false') AND (json_type(c.fields, " + b.arg(path) + ") = 'true') " + sqlOps[op] + " " + b.arg(x)
	case string:
		return "json_type(c.fields, " + b.arg(path) + ") = 'text' AND json_extract(c.fields, " + b.arg(path) + ") " + sqlOps[op] + " " + b.arg(x)
	default:
		return "json_type(c.fields, " + b.arg(path) + ") IN ('integer', 'real') AND json_extract(c.fields, " + b.arg(path) + ") " + sqlOps[op] + " " + b.arg(v)
	}
}

// jsonPath quotes a field key for SQLite's JSON functions. Keys are restricted to
// letters, digits, - and _, so quoting cannot be escaped.
func jsonPath(key string) string { return `$."` + key + `"` }
