package store

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// ReserveIdempotencyKey claims an idempotency key for a request. If the key was used in
// the last 24 hours it returns that use's stored response instead (Status 0: in progress).
func (s *Store) ReserveIdempotencyKey(ctx context.Context, apiKeyID, key, requestHash string) (*docket.StoredResponse, error) {
	var prior *docket.StoredResponse
	err := s.write(ctx, func(tx *Tx) error {
		cutoff := ms(tx.now.Add(-docket.IdempotencyTTL))
		if _, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ? AND created_at < ?`, apiKeyID, key, cutoff); err != nil {
			return fmt.Errorf("expire idempotency key: %w", err)
		}
		res, err := tx.exec(ctx, `INSERT INTO idempotency_keys (api_key_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, apiKeyID, key, requestHash, ms(tx.now))
		if err != nil {
			return fmt.Errorf("reserve idempotency key: %w", err)
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

// CompleteIdempotencyKey stores the response to replay for a reserved key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, apiKeyID, key string, status int, body []byte) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE idempotency_keys SET status_code = ?, response = ? WHERE api_key_id = ? AND key = ?`,
			status, string(body), apiKeyID, key); err != nil {
			return fmt.Errorf("complete idempotency key: %w", err)
		}
		return nil
	})
}

// ReleaseIdempotencyKey forgets a reservation whose request failed, so it can be retried.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, apiKeyID, key string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ?`, apiKeyID, key); err != nil {
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
