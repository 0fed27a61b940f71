package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/docket-hq/docket"
)

// newOwner names this process (this Store) as the holder of the idempotency keys it
// reserves: the host and pid help an operator reading the table, the random part keeps
// the name unique across restarts (a container's pid is often 1 every time).
func newOwner() string {
	host, _ := os.Hostname()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random: %v", err))
	}
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// ReserveIdempotencyKey claims an idempotency key for a request, for this process, until
// docket.IdempotencyLease from now (RenewIdempotencyKey extends it). If the key was used
// in the last 24 hours it returns that use's stored response instead (Status 0: in
// progress), unless that use is still in progress under a lease that ran out: its process
// died, so the key is taken over and the request may run again.
func (s *Store) ReserveIdempotencyKey(ctx context.Context, apiKeyID, key, requestHash string) (*docket.StoredResponse, error) {
	var prior *docket.StoredResponse
	err := s.write(ctx, func(tx *Tx) error {
		now, lease := ms(tx.now), ms(tx.now.Add(docket.IdempotencyLease))
		cutoff := ms(tx.now.Add(-docket.IdempotencyTTL))
		if _, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ? AND created_at < ?`, apiKeyID, key, cutoff); err != nil {
			return fmt.Errorf("expire idempotency key: %w", err)
		}
		res, err := tx.exec(ctx, `INSERT INTO idempotency_keys (api_key_id, key, request_hash, created_at, owner, lease_until)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, apiKeyID, key, requestHash, now, s.owner, lease)
		if err != nil {
			return fmt.Errorf("reserve idempotency key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		// The request that reserved the key got no answer stored and its process stopped
		// renewing the lease: nobody will ever answer it, so this request takes its place.
		// (On PostgreSQL a concurrent taker waits for this row lock, then sees the new
		// lease and takes nothing.)
		res, err = tx.exec(ctx, `UPDATE idempotency_keys SET request_hash = ?, created_at = ?, owner = ?, lease_until = ?
			WHERE api_key_id = ? AND key = ? AND status_code = 0 AND lease_until < ?`,
			requestHash, now, s.owner, lease, apiKeyID, key, now)
		if err != nil {
			return fmt.Errorf("take over idempotency key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return nil
		}
		var r docket.StoredResponse
		var body string
		if err := tx.queryRow(ctx, `SELECT request_hash, status_code, response FROM idempotency_keys WHERE api_key_id = ? AND key = ?`,
			apiKeyID, key).Scan(&r.RequestHash, &r.Status, &body); err != nil {
			return fmt.Errorf("read idempotency key: %w", err)
		}
		r.Body = []byte(body)
		prior = &r
		return nil
	})
	return prior, err
}

// RenewIdempotencyKey extends this process's lease on a key in flight to
// docket.IdempotencyLease from now. It fails if the key is no longer this process's to
// renew (its lease ran out and another request took it over).
func (s *Store) RenewIdempotencyKey(ctx context.Context, apiKeyID, key string) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE idempotency_keys SET lease_until = ?
			WHERE api_key_id = ? AND key = ? AND owner = ? AND status_code = 0`,
			ms(tx.now.Add(docket.IdempotencyLease)), apiKeyID, key, s.owner)
		if err != nil {
			return fmt.Errorf("renew idempotency key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("renew idempotency key: the reservation is no longer held by this process")
		}
		return nil
	})
}

// CompleteIdempotencyKey stores the response to replay for a key this process reserved.
// It fails, storing nothing, if another request took the key over meanwhile: that
// request's answer is the one to replay.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, apiKeyID, key string, status int, body []byte) error {
	return s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE idempotency_keys SET status_code = ?, response = ?
			WHERE api_key_id = ? AND key = ? AND owner = ? AND status_code = 0`,
			status, string(body), apiKeyID, key, s.owner)
		if err != nil {
			return fmt.Errorf("complete idempotency key: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("complete idempotency key: the reservation is no longer held by this process")
		}
		return nil
	})
}

// ReleaseIdempotencyKey forgets this process's reservation of a key whose request failed,
// so it can be retried. A key taken over by another request is left to it.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, apiKeyID, key string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ? AND owner = ? AND status_code = 0`,
			apiKeyID, key, s.owner); err != nil {
			return fmt.Errorf("release idempotency key: %w", err)
		}
		return nil
	})
}

// DeleteExpiredIdempotencyKeys removes stored responses older than the replay window.
func (s *Store) DeleteExpiredIdempotencyKeys(ctx context.Context) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < ?`, ms(tx.now.Add(-docket.IdempotencyTTL)))
		if err != nil {
			return fmt.Errorf("delete expired idempotency keys: %w", err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}
