package store

import (
	"context"
	"fmt"
	"time"
)

// RecordSignInFailure notes one failed sign-in under each key and forgets failures older
// than forgetBefore, which no throttling window can need any more.
func (s *Store) RecordSignInFailure(ctx context.Context, keys []string, at, forgetBefore time.Time) error {
	return s.write(ctx, func(tx *Tx) error {
		if len(keys) > 0 {
			args := make([]any, 0, 2*len(keys))
			for _, k := range keys {
				args = append(args, k, ms(at))
			}
			if _, err := tx.exec(ctx, `INSERT INTO sign_in_failures (key_hash, failed_at) VALUES `+rows(len(keys), 2), args...); err != nil {
				return fmt.Errorf("record sign-in failure: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM sign_in_failures WHERE failed_at < ?`, ms(forgetBefore)); err != nil {
			return fmt.Errorf("forget old sign-in failures: %w", err)
		}
		return nil
	})
}

// RecentSignInFailures returns up to limit failure times under key since `since`, newest
// first.
func (s *Store) RecentSignInFailures(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error) {
	times, err := queryAll(ctx, s.reader(), `SELECT failed_at FROM sign_in_failures WHERE key_hash = ? AND failed_at >= ?
		ORDER BY failed_at DESC LIMIT `+fmt.Sprint(max(limit, 1)), []any{key, ms(since)}, func(r scanner) (time.Time, error) {
		var v int64
		err := r.Scan(&v)
		return fromMS(v), err
	})
	if err != nil {
		return nil, fmt.Errorf("count sign-in failures: %w", err)
	}
	return times, nil
}

// ClearSignInFailures forgets the failures under key.
func (s *Store) ClearSignInFailures(ctx context.Context, key string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sign_in_failures WHERE key_hash = ?`, key); err != nil {
			return fmt.Errorf("clear sign-in failures: %w", err)
		}
		return nil
	})
}
