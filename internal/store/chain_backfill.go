package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

// backfillChain gives the events written before the chain existed (migration 00022)
// their places, once: in id order (ids are time-ordered, to the millisecond), each with
// the digest of its snapshot as it stands then. It runs at Open, in one transaction
// that holds the head's lock, so that processes starting together backfill once and no
// event is appended before the old ones are chained. The head is then marked
// backfilled: a row without a place found later was not written by Docket, and
// verification reports it rather than a later start absorbing it.
func (s *Store) backfillChain(ctx context.Context) error {
	var done bool
	if err := s.reader().QueryRowContext(ctx, `SELECT backfilled FROM event_chain_head WHERE id = 1`).Scan(&done); err != nil {
		return fmt.Errorf("read event chain head: %w", err)
	}
	if done {
		return nil
	}
	return s.write(ctx, func(tx *Tx) error {
		var head docket.ChainHead
		if err := tx.queryRow(ctx, `SELECT seq, hash, backfilled FROM event_chain_head WHERE id = 1`+s.forUpdate()).Scan(&head.Seq, &head.Hash, &done); err != nil {
			return fmt.Errorf("lock event chain head: %w", err)
		}
		if done {
			return nil
		}
		after := ""
		for {
			links, err := queryAll(ctx, tx.reader(), `SELECT `+chainCols+` FROM events WHERE seq IS NULL AND id > ? ORDER BY id LIMIT 500`,
				[]any{after}, scanLink)
			if err != nil {
				return fmt.Errorf("read events to chain: %w", err)
			}
			if len(links) == 0 {
				break
			}
			for _, l := range links {
				if l.Digest, err = docket.SnapshotDigest(l.Object); err != nil {
					return fmt.Errorf("digest of event %s: %w", l.ID, err)
				}
				l.Seq, l.PrevHash = head.Seq+1, head.Hash
				l.Hash = docket.ChainHash(l)
				head.Seq, head.Hash = l.Seq, l.Hash
			}
			if err := placeLinks(ctx, tx, links); err != nil {
				return err
			}
			after = links[len(links)-1].ID
		}
		if _, err := tx.exec(ctx, `UPDATE event_chain_head SET seq = ?, hash = ?, updated_at = ?, backfilled = ? WHERE id = 1`,
			head.Seq, head.Hash, ms(tx.now), true); err != nil {
			return fmt.Errorf("move event chain head: %w", err)
		}
		return nil
	})
}

// placeLinks sets the chain columns of events already written.
func placeLinks(ctx context.Context, tx *Tx, links []*docket.ChainLink) error {
	args := make([]any, 0, len(links)*5)
	for _, l := range links {
		args = append(args, l.ID, l.Seq, l.PrevHash, l.Hash, l.Digest)
	}
	values := strings.TrimSuffix(strings.Repeat("(?, CAST(? AS BIGINT), ?, ?, ?), ", len(links)), ", ")
	if _, err := tx.exec(ctx, `WITH v (id, seq, prev_hash, hash, object_digest) AS (VALUES `+values+`)
		UPDATE events SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash, object_digest = v.object_digest
		FROM v WHERE events.id = v.id`, args...); err != nil {
		return fmt.Errorf("chain events written before the chain: %w", err)
	}
	return nil
}
