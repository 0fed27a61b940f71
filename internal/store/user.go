package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

const userCols = `id, email, name, role, available, deactivated_at, created_at, updated_at`

func scanUser(row scanner) (*docket.User, error) {
	var u docket.User
	var created, updated int64
	var deactivated sql.NullInt64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Available, &deactivated, &created, &updated); err != nil {
		return nil, err
	}
	u.CreatedAt, u.UpdatedAt, u.DeactivatedAt = fromMS(created), fromMS(updated), fromNullMS(deactivated)
	return &u, nil
}

// CreateUser stores a new user; emails are unique, compared case-insensitively.
func (s *Store) CreateUser(ctx context.Context, actor docket.Actor, u *docket.User) error {
	u.Email = docket.NormalizeEmail(u.Email)
	if u.Role == "" {
		u.Role = "reviewer"
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		u.ID = docket.NewID(docket.PrefixUser)
		u.CreatedAt, u.UpdatedAt = tx.now, tx.now
		_, err := tx.exec(ctx, `INSERT INTO users (id, email, name, role, available, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.ID, u.Email, u.Name, u.Role, u.Available, ms(tx.now), ms(tx.now))
		if isUniqueViolation(err) {
			return &docket.Error{Code: docket.EConflict, Message: fmt.Sprintf("a user with email %s already exists", u.Email), Field: "email-address"}
		}
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventUserCreated, "user", u.ID, u)
		return err
	})
}

// FindUser returns one user by id.
func (s *Store) FindUser(ctx context.Context, id string) (*docket.User, error) {
	return findUser(ctx, s.reader(), "id", id)
}

// FindUserByEmail returns the user with that email address, compared case-insensitively.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*docket.User, error) {
	return findUser(ctx, s.reader(), "email", docket.NormalizeEmail(email))
}

// findUser reads the user whose col is v; lock, if given, is a locking clause (see
// Store.forUpdate).
func findUser(ctx context.Context, q querier, col, v string, lock ...string) (*docket.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE `+col+` = ?`+strings.Join(lock, ""), v))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("user", v)
	}
	if err != nil {
		return nil, fmt.Errorf("find user %s: %w", v, err)
	}
	return u, nil
}

// FindUsers returns the users with the given ids (missing ones are skipped).
func (s *Store) FindUsers(ctx context.Context, ids []string) ([]*docket.User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, s.reader(), `SELECT `+userCols+` FROM users WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids), scanUser)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return out, nil
}

// ListUsers returns a page of users, newest first.
func (s *Store) ListUsers(ctx context.Context, p docket.Page) ([]*docket.User, docket.PageResult, error) {
	q, args := listSQL(`SELECT `+userCols+` FROM users`, nil, nil, "id", p)
	items, r, err := queryPage(ctx, s.reader(), q, args, p, scanUser)
	if err != nil {
		return nil, r, fmt.Errorf("list users: %w", err)
	}
	return items, r, nil
}

// UpdateUser changes a user's name, role or availability.
func (s *Store) UpdateUser(ctx context.Context, actor docket.Actor, id string, up docket.UserUpdate) (*docket.User, error) {
	var u *docket.User
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if u, err = findUser(ctx, tx.reader(), "id", id); err != nil {
			return err
		}
		if up.Name != nil {
			u.Name = *up.Name
		}
		if up.Role != nil {
			u.Role = *up.Role
		}
		if up.Available != nil {
			u.Available = *up.Available
		}
		if err := u.Validate(); err != nil {
			return err
		}
		u.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE users SET name = ?, role = ?, available = ?, updated_at = ? WHERE id = ?`,
			u.Name, u.Role, u.Available, ms(tx.now), id); err != nil {
			return fmt.Errorf("update user %s: %w", id, err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventUserUpdated, "user", u.ID, u)
		return err
	})
	return u, err
}
