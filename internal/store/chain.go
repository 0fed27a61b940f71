package store

// The event chain (docs/architecture.md, "The event chain"). A transaction's events are
// kept in memory while it runs (Tx.pending) and written at its very end, just before
// COMMIT, by appendChain: it locks the chain's head row, numbers and hashes the events
// after the head, inserts them and moves the head. The lock serializes every
// event-writing transaction of every process on one chain; taking it last keeps it
// held only for two statements and the commit. SQLite's writers are serialized
// already, so there the lock costs nothing.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

// chainCols are the event columns in the order scanLink reads them.
const chainCols = `id, name, object_type, object_id, actor_type, actor_id, object, created_at,
	seq, prev_hash, hash, object_digest, object_erased`

// pend keeps events for appendChain; their snapshots' digests are computed beside the
// transaction's statements (chain_digest.go).
func (t *Tx) pend(events []*docket.Event) {
	links := make([]*docket.ChainLink, len(events))
	objects := make([][]byte, len(events))
	for i, e := range events {
		l := &docket.ChainLink{Event: *e}
		l.Data = nil
		links[i], objects[i] = l, e.Object
	}
	t.pending = append(t.pending, links...)
	t.digests.add(links, objects)
}

// appendChain writes the transaction's pending events at the end of the chain. It runs
// last before COMMIT (Store.write); the head row's lock is held from its first statement
// to the commit, so it makes as few round trips as it can: one UPDATE takes the lock and
// reserves the sequence numbers, and one statement writes the events and the new head
// hash (on PostgreSQL; two on SQLite, whose writers take turns anyway).
func (t *Tx) appendChain(ctx context.Context) error {
	if len(t.pending) == 0 {
		return nil
	}
	if err := t.digests.wait(); err != nil {
		return err
	}
	var head docket.ChainHead
	if err := t.queryRow(ctx, `UPDATE event_chain_head SET seq = seq + ?, updated_at = ? WHERE id = 1 RETURNING seq, hash`,
		len(t.pending), ms(t.now)).Scan(&head.Seq, &head.Hash); err != nil {
		return fmt.Errorf("lock event chain head: %w", err)
	}
	head.Seq -= int64(len(t.pending))
	for _, l := range t.pending {
		l.Seq, l.PrevHash = head.Seq+1, head.Hash
		l.Hash = docket.ChainHash(l)
		head.Seq, head.Hash = l.Seq, l.Hash
	}
	if err := insertLinks(ctx, t, t.pending, head.Hash); err != nil {
		return err
	}
	t.pending = nil
	return nil
}

// insertLinks writes chained events with one multi-row INSERT per chunk, and sets the
// head's hash to headHash: on PostgreSQL in the statement of the last chunk.
func insertLinks(ctx context.Context, tx *Tx, links []*docket.ChainLink, headHash string) error {
	const cols = 13
	for len(links) > 0 {
		chunk := links[:min(len(links), 500)]
		links = links[len(chunk):]
		args := make([]any, 0, len(chunk)*cols+1)
		for _, l := range chunk {
			args = append(args, l.ID, l.Name, l.ObjectType, l.ObjectID, l.Actor.Type, l.Actor.ID, string(l.Object), ms(l.CreatedAt),
				l.Seq, l.PrevHash, l.Hash, l.Digest, l.Erased)
		}
		insert := `INSERT INTO events (` + chainCols + `) VALUES ` + rows(len(chunk), cols)
		if len(links) == 0 && tx.s.pg {
			insert = `WITH inserted AS (` + insert + `) UPDATE event_chain_head SET hash = ? WHERE id = 1`
			args = append(args, headHash)
		}
		if _, err := tx.exec(ctx, insert, args...); err != nil {
			return fmt.Errorf("insert events: %w", err)
		}
	}
	if !tx.s.pg {
		if _, err := tx.exec(ctx, `UPDATE event_chain_head SET hash = ? WHERE id = 1`, headHash); err != nil {
			return fmt.Errorf("move event chain head: %w", err)
		}
	}
	return nil
}

// erasePending applies a redaction's rewrite to the events of objectID that this
// transaction recorded and has not written yet, as the UPDATE does to written ones.
func erasePending(tx *Tx, objectID string, rewrite func([]byte) ([]byte, error)) error {
	for _, l := range tx.pending {
		if l.ObjectID != objectID {
			continue
		}
		body, err := rewrite(l.Object)
		if err != nil {
			return err
		}
		l.Object, l.Erased = body, true
	}
	return nil
}

// eraseSnapshots replaces the snapshot of every event of objectID with body. The digest
// stays: the chain remains verifiable, and object_erased tells verification not to
// expect the snapshot to match it.
func eraseSnapshots(ctx context.Context, tx *Tx, objectID, body string) error {
	if _, err := tx.exec(ctx, `UPDATE events SET object = ?, object_erased = ? WHERE object_id = ?`, body, true, objectID); err != nil {
		return fmt.Errorf("erase snapshots of %s: %w", objectID, err)
	}
	return erasePending(tx, objectID, func([]byte) ([]byte, error) { return []byte(body), nil })
}

// ChainHead returns the chain's last link, as the head row records it.
func (s *Store) ChainHead(ctx context.Context) (docket.ChainHead, error) {
	var h docket.ChainHead
	var at int64
	if err := s.reader().QueryRowContext(ctx, `SELECT seq, hash, updated_at FROM event_chain_head WHERE id = 1`).Scan(&h.Seq, &h.Hash, &at); err != nil {
		return h, fmt.Errorf("read event chain head: %w", err)
	}
	h.UpdatedAt = fromMS(at)
	return h, nil
}

// ChainLinks returns chained events in sequence order (see docket.ChainFilter).
func (s *Store) ChainLinks(ctx context.Context, f docket.ChainFilter) ([]*docket.ChainLink, error) {
	where, args := []string{"seq > ?"}, []any{f.After}
	if f.Through > 0 {
		where, args = append(where, "seq <= ?"), append(args, f.Through)
	}
	if len(f.HiddenObjectTypes) > 0 {
		where, args = append(where, "object_type NOT IN ("+placeholders(len(f.HiddenObjectTypes))+")"), append(args, anys(f.HiddenObjectTypes)...)
	}
	if f.Visibility.Restricted() {
		cond, vargs := hiddenEventSQL(f.Visibility)
		where, args = append(where, cond), append(args, vargs...)
	}
	q := `SELECT ` + chainCols + ` FROM events WHERE ` + strings.Join(where, " AND ") + ` ORDER BY seq LIMIT ?`
	links, err := queryAll(ctx, s.reader(), q, append(args, max(f.Limit, 1)), scanLink)
	if err != nil {
		return nil, fmt.Errorf("read event chain after %d: %w", f.After, err)
	}
	return links, nil
}

// UnchainedEvent returns the id of an event without a place in the chain, or "".
func (s *Store) UnchainedEvent(ctx context.Context) (string, error) {
	var id string
	err := s.reader().QueryRowContext(ctx, `SELECT id FROM events WHERE seq IS NULL ORDER BY id LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("find unchained events: %w", err)
	}
	return id, nil
}

func scanLink(row scanner) (*docket.ChainLink, error) {
	var l docket.ChainLink
	var obj []byte
	var created int64
	var seq sql.NullInt64
	var prev, hash, digest sql.NullString
	if err := row.Scan(&l.ID, &l.Name, &l.ObjectType, &l.ObjectID, &l.Actor.Type, &l.Actor.ID, &obj, &created,
		&seq, &prev, &hash, &digest, &l.Erased); err != nil {
		return nil, err
	}
	l.Object, l.CreatedAt = obj, fromMS(created)
	l.Seq, l.PrevHash, l.Hash, l.Digest = seq.Int64, prev.String, hash.String, digest.String
	return &l, nil
}
