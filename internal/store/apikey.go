package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/docket-hq/docket"
)

// CreateAPIKey stores a key that belongs to nobody; only the secret's hash is kept.
func (s *Store) CreateAPIKey(ctx context.Context, name string, scopes []string, secret string) (*docket.APIKey, error) {
	return s.IssueAPIKey(ctx, docket.NewAPIKey{Name: name, Scopes: scopes}, secret)
}

// CreateUserAPIKey stores a key that belongs to an existing user; only the secret's hash
// is kept.
func (s *Store) CreateUserAPIKey(ctx context.Context, userID, name string, scopes []string, secret string) (*docket.APIKey, error) {
	return s.IssueAPIKey(ctx, docket.NewAPIKey{Name: name, Scopes: scopes, UserID: &userID}, secret)
}

// IssueAPIKey validates and stores a new key; only the secret's hash is kept. It is what
// the API, the dashboard and the command line all create keys with.
func (s *Store) IssueAPIKey(ctx context.Context, n docket.NewAPIKey, secret string) (*docket.APIKey, error) {
	var k *docket.APIKey
	err := s.write(ctx, func(tx *Tx) error {
		if err := n.Validate(tx.now); err != nil {
			return err
		}
		k = &docket.APIKey{ID: docket.NewID(docket.PrefixAPIKey), Name: n.Name, Scopes: n.Scopes, UserID: n.UserID,
			SecretHash: docket.HashAPIKeySecret(secret), CreatedAt: tx.now, ExpiresAt: n.ExpiresAt}
		if n.UserID != nil {
			if _, err := findUser(ctx, tx.reader(), "id", *n.UserID); docket.ErrorCode(err) == docket.ENotFound {
				return docket.Invalid("user-id", "user %s does not exist", *n.UserID)
			} else if err != nil {
				return err
			}
		}
		sc, err := jsonArg(n.Scopes)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO api_keys (id, name, scopes, user_id, secret_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, k.ID, k.Name, sc, strPtrArg(n.UserID), k.SecretHash, ms(tx.now), msPtr(n.ExpiresAt))
		if isUniqueViolation(err) {
			return docket.Errorf(docket.EConflict, "an API key with that secret already exists")
		}
		if err != nil {
			return fmt.Errorf("insert api key: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// FindAPIKeyBySecret returns the live key whose secret hashes to the stored hash: not
// revoked, not expired by the store's clock. A key that belongs to a user names it in
// UserID; loading and checking the user is the caller's part.
func (s *Store) FindAPIKeyBySecret(ctx context.Context, secret string) (*docket.APIKey, error) {
	k, err := scanAPIKey(s.reader().QueryRowContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE secret_hash = ?`,
		docket.HashAPIKeySecret(secret)))
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && k.RevokedAt != nil):
		return nil, docket.Errorf(docket.EUnauthorized, "API key is invalid or revoked")
	case err != nil:
		return nil, fmt.Errorf("find api key: %w", err)
	case k.Expired(s.clock()):
		return nil, docket.Errorf(docket.EUnauthorized, "API key expired at %s", k.ExpiresAt.Format(docket.TimeFormat))
	}
	return k, nil
}

// FindAPIKey returns one key by id, revoked and expired ones too.
func (s *Store) FindAPIKey(ctx context.Context, id string) (*docket.APIKey, error) {
	return findAPIKey(ctx, s.reader(), id)
}

func findAPIKey(ctx context.Context, q querier, id string) (*docket.APIKey, error) {
	k, err := scanAPIKey(q.QueryRowContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.Errorf(docket.ENotFound, "no API key has the id %q", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read api key %s: %w", id, err)
	}
	return k, nil
}

// TouchAPIKey records a use of the key at `at`. The condition makes it a no-op when a use
// within docket.APIKeyTouchEvery is already recorded, so that processes that each saw an
// old time write once between them, and the time never moves back.
func (s *Store) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?
			AND (last_used_at IS NULL OR last_used_at <= ?)`, ms(at), id, ms(at.Add(-docket.APIKeyTouchEvery))); err != nil {
			return fmt.Errorf("touch api key %s: %w", id, err)
		}
		return nil
	})
}

// RevokeAPIKeys revokes every live key with the given name.
func (s *Store) RevokeAPIKeys(ctx context.Context, name string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL`, ms(tx.now), name); err != nil {
			return fmt.Errorf("revoke api keys %q: %w", name, err)
		}
		return nil
	})
}

// apiKeyCols are the columns scanAPIKey reads.
const apiKeyCols = `id, name, scopes, user_id, secret_hash, created_at, revoked_at, expires_at, last_used_at`

func scanAPIKey(row scanner) (*docket.APIKey, error) {
	var k docket.APIKey
	var scopes []byte
	var created int64
	var revoked, expires, used sql.NullInt64
	var userID sql.NullString
	if err := row.Scan(&k.ID, &k.Name, &scopes, &userID, &k.SecretHash, &created, &revoked, &expires, &used); err != nil {
		return nil, err
	}
	k.UserID = nullString(userID)
	if err := decodeJSON(scopes, &k.Scopes); err != nil {
		return nil, err
	}
	k.CreatedAt, k.RevokedAt = fromMS(created), fromNullMS(revoked)
	k.ExpiresAt, k.LastUsedAt = fromNullMS(expires), fromNullMS(used)
	return &k, nil
}

// ListAPIKeys returns every key, revoked ones too, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context) ([]*docket.APIKey, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+apiKeyCols+` FROM api_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	defer rows.Close()
	var out []*docket.APIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, fmt.Errorf("list api keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	return out, nil
}

// ListAPIKeysPage returns a page of keys, revoked and expired ones too, newest first.
func (s *Store) ListAPIKeysPage(ctx context.Context, p docket.Page) ([]*docket.APIKey, docket.PageResult, error) {
	q, args := listSQL(`SELECT `+apiKeyCols+` FROM api_keys`, nil, nil, "id", p)
	items, r, err := queryPage(ctx, s.reader(), q, args, p, scanAPIKey)
	if err != nil {
		return nil, r, fmt.Errorf("list api keys: %w", err)
	}
	return items, r, nil
}

// RevokeAPIKey revokes the key with the given id: its next request is refused, in every
// process (the API looks keys up on each request). Revoking a revoked key keeps its
// first revocation time.
func (s *Store) RevokeAPIKey(ctx context.Context, id string) (*docket.APIKey, error) {
	var k *docket.APIKey
	err := s.write(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ms(tx.now), id); err != nil {
			return fmt.Errorf("revoke api key %s: %w", id, err)
		}
		var err error
		k, err = findAPIKey(ctx, tx.reader(), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}
