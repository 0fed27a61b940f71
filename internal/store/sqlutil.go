package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// ms converts a time to the integer milliseconds stored in timestamp columns.
func ms(t time.Time) int64 { return t.UnixMilli() }

// msPtr converts an optional time; nil stays NULL.
func msPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

func nullString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	s := v.String
	return &s
}

func strPtrArg(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// jsonArg marshals v for a JSON column (TEXT on SQLite, JSONB on PostgreSQL).
func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode json column: %w", err)
	}
	return string(b), nil
}

// decodeJSON reads a JSON column, keeping numbers exact (json.Number) until they are used.
func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("decode json column: %w", err)
	}
	return nil
}

func actorArgs(a *docket.Actor) (any, any) {
	if a == nil {
		return nil, nil
	}
	return a.Type, a.ID
}

func actorFrom(typ, id sql.NullString) *docket.Actor {
	if !typ.Valid {
		return nil
	}
	return &docket.Actor{Type: typ.String, ID: id.String}
}

// listSQL appends paging to a query whose filters are in where/args: newest first by id
// (ids are time-ordered), after or before a cursor, one extra row to tell if more exist.
func listSQL(selectFrom string, where []string, args []any, idCol string, p docket.Page) (string, []any) {
	order := " ORDER BY " + idCol + " DESC"
	switch {
	case p.After != "":
		where = append(where, idCol+" < ?")
		args = append(args, p.After)
	case p.Before != "":
		where = append(where, idCol+" > ?")
		args = append(args, p.Before)
		order = " ORDER BY " + idCol + " ASC"
	}
	q := selectFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += order + fmt.Sprintf(" LIMIT %d", pageSize(p)+1)
	return q, args
}

func pageSize(p docket.Page) int {
	if p.Size <= 0 {
		return docket.DefaultPageSize
	}
	return min(p.Size, docket.MaxPageSize)
}

// finishPage trims the extra row listSQL asked for and restores newest-first order.
func finishPage[T any](items []T, p docket.Page) ([]T, docket.PageResult) {
	n := pageSize(p)
	more := len(items) > n
	if more {
		items = items[:n]
	}
	var r docket.PageResult
	if p.Before != "" {
		slices.Reverse(items)
		r.HasPrev, r.HasNext = more, true
	} else {
		r.HasNext, r.HasPrev = more, p.After != ""
	}
	return items, r
}

// isUniqueViolation recognises a unique-constraint failure on either engine.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, q querier, query string, args []any, scan func(scanner) (T, error)) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryPage runs a listSQL query and trims it to the page.
func queryPage[T any](ctx context.Context, q querier, query string, args []any, p docket.Page, scan func(scanner) (T, error)) ([]T, docket.PageResult, error) {
	items, err := queryAll(ctx, q, query, args, scan)
	if err != nil {
		return nil, docket.PageResult{}, err
	}
	items, r := finishPage(items, p)
	return items, r, nil
}
