package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/docket-hq/docket"
)

// CreatePasswordLink stores a one-time link. The user's earlier unused links stop working:
// only the newest link a user was given is valid. A deactivated user gets none: the link
// would be a way back in.
func (s *Store) CreatePasswordLink(ctx context.Context, l *docket.PasswordLink) error {
	return s.write(ctx, func(tx *Tx) error {
		u, err := findUser(ctx, tx.reader(), "id", l.UserID)
		if err != nil {
			return err
		}
		if !u.Active() {
			return docket.Errorf(docket.EConflict, "%s is deactivated: reactivate them before issuing a password link", u.Email)
		}
		if _, err := tx.exec(ctx, `DELETE FROM password_links WHERE user_id = ? AND used_at IS NULL`, l.UserID); err != nil {
			return fmt.Errorf("replace password links: %w", err)
		}
		_, err = tx.exec(ctx, `INSERT INTO password_links (token_hash, user_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			l.TokenHash, l.UserID, l.Purpose, ms(l.CreatedAt), ms(l.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert password link: %w", err)
		}
		return nil
	})
}

// FindPasswordLink returns a link that is neither used nor expired at now.
func (s *Store) FindPasswordLink(ctx context.Context, tokenHash string, now time.Time) (*docket.PasswordLink, error) {
	return findPasswordLink(ctx, s.reader(), tokenHash, now)
}

func findPasswordLink(ctx context.Context, q querier, tokenHash string, now time.Time) (*docket.PasswordLink, error) {
	l := docket.PasswordLink{TokenHash: tokenHash}
	var created, expires int64
	err := q.QueryRowContext(ctx, `SELECT user_id, purpose, created_at, expires_at FROM password_links
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, tokenHash, ms(now)).
		Scan(&l.UserID, &l.Purpose, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.Errorf(docket.ENotFound, "this link is unknown, expired or already used")
	}
	if err != nil {
		return nil, fmt.Errorf("find password link: %w", err)
	}
	l.CreatedAt, l.ExpiresAt = fromMS(created), fromMS(expires)
	return &l, nil
}

// UsePasswordLink spends a live link: it is marked used, the user's password becomes
// passwordHash and every session of the user ends, all in one transaction. Of two requests
// racing with one link, one wins and the other finds it used.
func (s *Store) UsePasswordLink(ctx context.Context, tokenHash string, now time.Time, passwordHash string) (string, error) {
	var userID string
	err := s.write(ctx, func(tx *Tx) error {
		l, err := findPasswordLink(ctx, tx.reader(), tokenHash, now)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE password_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`, ms(now), tokenHash)
		if err != nil {
			return fmt.Errorf("use password link: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return docket.Errorf(docket.ENotFound, "this link is unknown, expired or already used")
		}
		if err := setPassword(ctx, tx, l.UserID, passwordHash); err != nil {
			return err
		}
		if err := endUserSessions(ctx, tx, l.UserID); err != nil {
			return err
		}
		userID = l.UserID
		return nil
	})
	return userID, err
}
