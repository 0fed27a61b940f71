package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/docket-hq/docket"
)

// CreateSession stores a new dashboard session and records its start as the user's last
// sign-in (on their credential row: a sign-in changes no user and writes no event).
func (s *Store) CreateSession(ctx context.Context, sess *docket.Session) error {
	return s.write(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (id_hash, user_id, created_at, seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			sess.IDHash, sess.UserID, ms(sess.CreatedAt), ms(sess.SeenAt), ms(sess.ExpiresAt))
		if err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE credentials SET last_sign_in_at = ? WHERE user_id = ?`, ms(sess.CreatedAt), sess.UserID); err != nil {
			return fmt.Errorf("record sign-in of %s: %w", sess.UserID, err)
		}
		return nil
	})
}

// LastSignIns returns when each of the users last signed in; those who never did are
// left out.
func (s *Store) LastSignIns(ctx context.Context, userIDs []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	if len(userIDs) == 0 {
		return out, nil
	}
	type row struct {
		id string
		at int64
	}
	rows, err := queryAll(ctx, s.reader(), `SELECT user_id, last_sign_in_at FROM credentials
		WHERE last_sign_in_at IS NOT NULL AND user_id IN (`+placeholders(len(userIDs))+`)`, anys(userIDs),
		func(r scanner) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.at)
		})
	if err != nil {
		return nil, fmt.Errorf("last sign-ins: %w", err)
	}
	for _, x := range rows {
		out[x.id] = fromMS(x.at)
	}
	return out, nil
}

// FindSession returns a session and its user in one query: every dashboard request makes
// it, so it costs one indexed read.
func (s *Store) FindSession(ctx context.Context, idHash string) (*docket.Session, *docket.User, error) {
	var sess docket.Session
	var created, seen, expires, uCreated, uUpdated int64
	var deactivated sql.NullInt64
	var u docket.User
	err := s.reader().QueryRowContext(ctx, `SELECT s.id_hash, s.user_id, s.created_at, s.seen_at, s.expires_at,
		u.id, u.email, u.name, u.role, u.available, u.deactivated_at, u.created_at, u.updated_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash).
		Scan(&sess.IDHash, &sess.UserID, &created, &seen, &expires,
			&u.ID, &u.Email, &u.Name, &u.Role, &u.Available, &deactivated, &uCreated, &uUpdated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, docket.Errorf(docket.ENotFound, "session not found")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	sess.CreatedAt, sess.SeenAt, sess.ExpiresAt = fromMS(created), fromMS(seen), fromMS(expires)
	u.CreatedAt, u.UpdatedAt, u.DeactivatedAt = fromMS(uCreated), fromMS(uUpdated), fromNullMS(deactivated)
	return &sess, &u, nil
}

// TouchSession records that a session was used at seenAt. It never moves seen_at back, so
// two processes touching at once cannot shorten a session.
func (s *Store) TouchSession(ctx context.Context, idHash string, seenAt time.Time) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE sessions SET seen_at = ? WHERE id_hash = ? AND seen_at < ?`,
			ms(seenAt), idHash, ms(seenAt)); err != nil {
			return fmt.Errorf("touch session: %w", err)
		}
		return nil
	})
}

// DeleteSession ends one session; ending one that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	})
}

// EndUserSessions ends every session of a user.
func (s *Store) EndUserSessions(ctx context.Context, userID string) error {
	return s.write(ctx, func(tx *Tx) error { return endUserSessions(ctx, tx, userID) })
}

// endUserSessions signs a user out everywhere, inside tx: a new password and a
// deactivation end the sessions in the same transaction as the change.
func endUserSessions(ctx context.Context, tx *Tx, userID string) error {
	if _, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("end sessions of %s: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions past their absolute end or idle since idleBefore.
func (s *Store) DeleteExpiredSessions(ctx context.Context, expiresBefore, idleBefore time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR seen_at <= ?`, ms(expiresBefore), ms(idleBefore))
		if err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
