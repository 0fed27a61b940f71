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
	// An entry's id is made with its time (docket.FirstIDAt): the id bounds let the
	// (source, id) index find the range, created_at makes it exact. The bounds are a
	// second wider than the range, so that an id made a moment before its entry's
	// created_at was read still falls inside them.
	if f.CreatedAtStart != nil {
		add("id >= ?", docket.FirstIDAt(docket.PrefixRequest, f.CreatedAtStart.Add(-time.Second)))
		add("created_at >= ?", ms(*f.CreatedAtStart))
	}
	if f.CreatedAtEnd != nil {
		add("id < ?", docket.FirstIDAt(docket.PrefixRequest, f.CreatedAtEnd.Add(time.Second)))
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
// Entries are found by id (ids are made with their time; see listAccessLogSQL) and
// their objects by the primary key of access_log_objects, so that no index is kept on
// either table for housekeeping alone.
func (s *Store) DeleteAccessLogBefore(ctx context.Context, before time.Time, limit int) (int, error) {
	var n int
	err := s.write(ctx, func(tx *Tx) error {
		old, err := queryAll(ctx, tx.reader(), `SELECT id, object_ids FROM access_log WHERE id < ? AND created_at < ?
			ORDER BY id LIMIT ?`+s.skipLocked(), []any{docket.FirstIDAt(docket.PrefixRequest, before.Add(time.Second)), ms(before), limit},
			func(row scanner) ([2]string, error) {
				var e [2]string
				return e, row.Scan(&e[0], &e[1])
			})
		if err != nil {
			return fmt.Errorf("find old access log: %w", err)
		}
		n = len(old)
		return deleteAccessLog(ctx, tx, old)
	})
	return n, err
}

// deleteAccessLog deletes entries, given as (id, object_ids) pairs, and their objects.
func deleteAccessLog(ctx context.Context, tx *Tx, entries [][2]string) error {
	var ids, objects []any
	for _, e := range entries {
		ids = append(ids, e[0])
		for id := range strings.SplitSeq(e[1], ",") {
			if id != "" {
				objects = append(objects, id, e[0])
			}
		}
	}
	for chunk := range chunks(objects, 1000) {
		if _, err := tx.exec(ctx, `DELETE FROM access_log_objects WHERE (object_id, access_log_id) IN (VALUES `+
			rows(len(chunk)/2, 2)+`)`, chunk...); err != nil {
			return fmt.Errorf("delete old access log objects: %w", err)
		}
	}
	for chunk := range chunks(ids, 500) {
		if _, err := tx.exec(ctx, `DELETE FROM access_log WHERE id IN (`+placeholders(len(chunk))+`)`, chunk...); err != nil {
			return fmt.Errorf("delete old access log: %w", err)
		}
	}
	return nil
}
