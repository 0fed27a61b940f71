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
