package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/docket-hq/docket"
)

// SetPassword stores or replaces a user's password hash. The user must exist.
func (s *Store) SetPassword(ctx context.Context, userID, hash string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := findUser(ctx, tx.reader(), "id", userID); err != nil {
			return err
		}
		return setPassword(ctx, tx, userID, hash)
	})
}

func setPassword(ctx context.Context, tx *Tx, userID, hash string) error {
	_, err := tx.exec(ctx, `INSERT INTO credentials (user_id, password_hash, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
		userID, hash, ms(tx.now))
	if err != nil {
		return fmt.Errorf("set password of %s: %w", userID, err)
	}
	return nil
}

// FindCredential returns a user's credential; a user without a password is not found.
func (s *Store) FindCredential(ctx context.Context, userID string) (*docket.Credential, error) {
	c := docket.Credential{UserID: userID}
	var updated int64
	err := s.reader().QueryRowContext(ctx, `SELECT password_hash, updated_at FROM credentials WHERE user_id = ?`, userID).
		Scan(&c.PasswordHash, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("credential of user", userID)
	}
	if err != nil {
		return nil, fmt.Errorf("find credential of %s: %w", userID, err)
	}
	c.UpdatedAt = fromMS(updated)
	return &c, nil
}

// DeleteCredential removes a user's password, unused links and every session, so that the
// user can no longer sign in and is signed out everywhere.
func (s *Store) DeleteCredential(ctx context.Context, userID string) error {
	return s.write(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`DELETE FROM credentials WHERE user_id = ?`,
			`DELETE FROM password_links WHERE user_id = ?`,
			`DELETE FROM sessions WHERE user_id = ?`,
		} {
			if _, err := tx.exec(ctx, q, userID); err != nil {
				return fmt.Errorf("delete credential of %s: %w", userID, err)
			}
		}
		return nil
	})
}
