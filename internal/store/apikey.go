package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/docket-hq/docket"
)

// CreateAPIKey stores a key that belongs to nobody; only the secret's hash is kept.
func (s *Store) CreateAPIKey(ctx context.Context, name string, scopes []string, secret string) (*docket.APIKey, error) {
	return s.createAPIKey(ctx, nil, name, scopes, secret)
}

// CreateUserAPIKey stores a key that belongs to an existing user; only the secret's hash
// is kept.
func (s *Store) CreateUserAPIKey(ctx context.Context, userID, name string, scopes []string, secret string) (*docket.APIKey, error) {
	return s.createAPIKey(ctx, &userID, name, scopes, secret)
}

func (s *Store) createAPIKey(ctx context.Context, userID *string, name string, scopes []string, secret string) (*docket.APIKey, error) {
	if err := docket.ValidateScopes(scopes); err != nil {
		return nil, err
	}
	k := &docket.APIKey{ID: docket.NewID(docket.PrefixAPIKey), Name: name, Scopes: scopes, UserID: userID,
		SecretHash: docket.HashAPIKeySecret(secret)}
	err := s.write(ctx, func(tx *Tx) error {
		k.CreatedAt = tx.now
		if userID != nil {
			if _, err := findUser(ctx, tx.reader(), "id", *userID); docket.ErrorCode(err) == docket.ENotFound {
				return docket.Invalid("user-id", "user %s does not exist", *userID)
			} else if err != nil {
				return err
			}
		}
		sc, err := jsonArg(scopes)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO api_keys (id, name, scopes, user_id, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			k.ID, name, sc, strPtrArg(userID), k.SecretHash, ms(tx.now))
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

// FindAPIKeyBySecret returns the live key whose secret hashes to the stored hash. A key
// that belongs to a user names it in UserID; loading and checking the user is the
// caller's part.
func (s *Store) FindAPIKeyBySecret(ctx context.Context, secret string) (*docket.APIKey, error) {
	var k docket.APIKey
	var scopes []byte
	var userID sql.NullString
	var created int64
	err := s.reader().QueryRowContext(ctx, `SELECT id, name, scopes, user_id, secret_hash, created_at FROM api_keys
		WHERE secret_hash = ? AND revoked_at IS NULL`, docket.HashAPIKeySecret(secret)).
		Scan(&k.ID, &k.Name, &scopes, &userID, &k.SecretHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.Errorf(docket.EUnauthorized, "API key is invalid or revoked")
	}
	if err != nil {
		return nil, fmt.Errorf("find api key: %w", err)
	}
	if err := decodeJSON(scopes, &k.Scopes); err != nil {
		return nil, err
	}
	k.UserID = nullString(userID)
	k.CreatedAt = fromMS(created)
	return &k, nil
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

// apiKeyListCols are the columns scanAPIKey reads.
const apiKeyListCols = `id, name, scopes, user_id, created_at, revoked_at`

func scanAPIKey(row interface{ Scan(...any) error }) (*docket.APIKey, error) {
	var k docket.APIKey
	var scopes []byte
	var created int64
	var revoked sql.NullInt64
	var userID sql.NullString
	if err := row.Scan(&k.ID, &k.Name, &scopes, &userID, &created, &revoked); err != nil {
		return nil, err
	}
	k.UserID = nullString(userID)
	if err := decodeJSON(scopes, &k.Scopes); err != nil {
		return nil, err
	}
	k.CreatedAt, k.RevokedAt = fromMS(created), fromNullMS(revoked)
	return &k, nil
}

// ListAPIKeys returns every key, revoked ones too, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context) ([]*docket.APIKey, error) {
	rows, err := s.reader().QueryContext(ctx, `SELECT `+apiKeyListCols+` FROM api_keys ORDER BY created_at, id`)
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
		k, err = scanAPIKey(tx.queryRow(ctx, `SELECT `+apiKeyListCols+` FROM api_keys WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return docket.Errorf(docket.ENotFound, "no API key has the id %q", id)
		}
		if err != nil {
			return fmt.Errorf("read api key %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}
