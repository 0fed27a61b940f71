package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// accessLogCols are the columns of one access log row, in insert and scan order.
const accessLogCols = `id, source, created_at, actor_type, actor_id, user_id, client_addr, method, route, object_ids, status, duration_us`

// InsertAccessLog writes a batch of access log entries (internal/accesslog gathers them
// from requests) in one transaction. An entry already written (a retried batch) is
// skipped, so a batch may be written again safely.
func (s *Store) InsertAccessLog(ctx context.Context, entries []*docket.AccessLogEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *Tx) error {
		// 12 columns: chunks of 500 stay well under PostgreSQL's 65,535 parameters.
		for chunk := range chunks(entries, 500) {
			if err := insertAccessLog(ctx, tx, chunk); err != nil {
				return err
			}
		}
		return nil
	})
}

func insertAccessLog(ctx context.Context, tx *Tx, entries []*docket.AccessLogEntry) error {
	const cols = 12
	args := make([]any, 0, len(entries)*cols)
	var objects []any
	for _, e := range entries {
		actorType, actorID := actorArgs(e.Actor)
		args = append(args, e.ID, e.Source, ms(e.CreatedAt), actorType, actorID, nullIfEmpty(e.UserID), e.ClientAddr,
			e.Method, e.Route, strings.Join(e.ObjectIDs, ","), e.Status, e.Duration.Microseconds())
		for _, id := range e.ObjectIDs {
			objects = append(objects, id, e.ID)
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO access_log (`+accessLogCols+`) VALUES `+rows(len(entries), cols)+
		` ON CONFLICT DO NOTHING`, args...); err != nil {
		return fmt.Errorf("insert access log: %w", err)
	}
	if len(objects) == 0 {
		return nil
	}
	if _, err := tx.exec(ctx, `INSERT INTO access_log_objects (object_id, access_log_id) VALUES `+rows(len(objects)/2, 2)+
		` ON CONFLICT DO NOTHING`, objects...); err != nil {
		return fmt.Errorf("insert access log objects: %w", err)
	}
	return nil
}

// chunks yields s in pieces of at most n.
func chunks[T any](s []T, n int) func(yield func([]T) bool) {
	return func(yield func([]T) bool) {
		for len(s) > 0 {
			c := s[:min(len(s), n)]
			s = s[len(c):]
			if !yield(c) {
				return
			}
		}
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func scanAccessLog(row scanner) (*docket.AccessLogEntry, error) {
	var e docket.AccessLogEntry
	var actorType, actorID, userID sql.NullString
	var created, micros int64
	var objects string
	if err := row.Scan(&e.ID, &e.Source, &created, &actorType, &actorID, &userID, &e.ClientAddr, &e.Method, &e.Route,
		&objects, &e.Status, &micros); err != nil {
		return nil, err
	}
	e.Actor, e.UserID = actorFrom(actorType, actorID), userID.String
	e.CreatedAt, e.Duration = fromMS(created), time.Duration(micros)*time.Microsecond
	if objects != "" {
		e.ObjectIDs = strings.Split(objects, ",")
	}
	return &e, nil
}

// ListAccessLog returns a page of access log entries of one source, newest first.
func (s *Store) ListAccessLog(ctx context.Context, f docket.AccessLogFilter) ([]*docket.AccessLogEntry, docket.PageResult, error) {
	q, args := listAccessLogSQL(f)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanAccessLog)
	if err != nil {
		return nil, r, fmt.Errorf("list access log: %w", err)
	}
	return items, r, nil
}

func listAccessLogSQL(f docket.AccessLogFilter) (string, []any) {
	where, args := []string{"source = ?"}, []any{f.Source}
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	switch {
	case f.ActorID == "":
	case docket.IDPrefix(f.ActorID) == docket.PrefixUser:
		// A person's requests: their dashboard session's and their API keys'.
		add("user_id = ?", f.ActorID)
	default:
		add("actor_id = ?", f.ActorID)
	}
	if f.ObjectID != "" {
		add("id IN (SELECT access_log_id FROM access_log_objects WHERE object_id = ?)", f.ObjectID)
	}
	if f.CreatedAtStart != nil {
		add("created_at >= ?", ms(*f.CreatedAtStart))
	}
	if f.CreatedAtEnd != nil {
		add("created_at < ?", ms(*f.CreatedAtEnd))
	}
	if f.Method != "" {
		add("method = ?", f.Method)
	}
	if f.Route != "" {
		add("route = ?", f.Route)
	}
	return listSQL(`SELECT `+accessLogCols+` FROM access_log`, where, args, "id", f.Page)
}

// DeleteAccessLogBefore deletes up to limit access log entries (oldest first) made before
// the time, with the objects they name, and returns how many it deleted. Housekeeping
// calls it in a loop with pauses, so that each statement holds its locks briefly; on
// PostgreSQL, rows another process is deleting are skipped rather than waited for.
func (s *Store) DeleteAccessLogBefore(ctx context.Context, before time.Time, limit int) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM access_log WHERE id IN (
			SELECT id FROM access_log WHERE created_at < ? ORDER BY created_at LIMIT ?`+s.skipLocked()+`)`, ms(before), limit)
		if err != nil {
			return fmt.Errorf("delete old access log: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
