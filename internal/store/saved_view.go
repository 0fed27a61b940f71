package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/docket-hq/docket"
)

// Saved views are a person's preferences, not work on cases: their changes write no
// events (see docket.SavedView).

const savedViewCols = `id, user_id, name, query, created_at, updated_at`

func scanSavedView(row scanner) (*docket.SavedView, error) {
	var v docket.SavedView
	var created, updated int64
	if err := row.Scan(&v.ID, &v.UserID, &v.Name, &v.Query, &created, &updated); err != nil {
		return nil, err
	}
	v.CreatedAt, v.UpdatedAt = fromMS(created), fromMS(updated)
	return &v, nil
}

// CreateSavedView validates and stores a new saved view for v.UserID.
func (s *Store) CreateSavedView(ctx context.Context, v *docket.SavedView) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		// Locking the user serializes one user's creations, so that the cap holds.
		var one int
		err := tx.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`+s.forUpdate(), v.UserID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return docket.Invalid("user-id", "user %s does not exist", v.UserID)
		}
		if err != nil {
			return fmt.Errorf("check user %s: %w", v.UserID, err)
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM saved_views WHERE user_id = ?`, v.UserID).Scan(&n); err != nil {
			return fmt.Errorf("count saved views: %w", err)
		}
		if n >= docket.MaxSavedViews {
			return docket.Invalid("name", "a user keeps at most %d saved views: delete one first", docket.MaxSavedViews)
		}
		v.ID = docket.NewID(docket.PrefixSavedView)
		v.CreatedAt, v.UpdatedAt = tx.now, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO saved_views (`+savedViewCols+`) VALUES (?, ?, ?, ?, ?, ?)`,
			v.ID, v.UserID, v.Name, v.Query, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert saved view: %w", err)
		}
		return nil
	})
}

// FindSavedView returns one saved view of owner ("" for anyone's).
func (s *Store) FindSavedView(ctx context.Context, owner, id string) (*docket.SavedView, error) {
	return findSavedView(ctx, s.reader(), owner, id, "")
}

func findSavedView(ctx context.Context, q querier, owner, id, lock string) (*docket.SavedView, error) {
	v, err := scanSavedView(q.QueryRowContext(ctx, `SELECT `+savedViewCols+` FROM saved_views WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != "" && v.UserID != owner) {
		// Someone else's view is answered as one that does not exist.
		return nil, docket.NotFound("saved view", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find saved view %s: %w", id, err)
	}
	return v, nil
}

// ListSavedViews returns a page of saved views, newest first.
func (s *Store) ListSavedViews(ctx context.Context, f docket.SavedViewFilter) ([]*docket.SavedView, docket.PageResult, error) {
	var where []string
	var args []any
	if f.UserID != "" {
		where, args = append(where, "user_id = ?"), append(args, f.UserID)
	}
	q, args := listSQL(`SELECT `+savedViewCols+` FROM saved_views`, where, args, "id", f.Page)
	list, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanSavedView)
	if err != nil {
		return nil, r, fmt.Errorf("list saved views: %w", err)
	}
	return list, r, nil
}

// UpdateSavedView renames a view or replaces its query.
func (s *Store) UpdateSavedView(ctx context.Context, owner, id string, u docket.SavedViewUpdate) (*docket.SavedView, error) {
	var v *docket.SavedView
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if v, err = findSavedView(ctx, tx.reader(), owner, id, s.forUpdate()); err != nil {
			return err
		}
		if u.Name != nil {
			v.Name = *u.Name
		}
		if u.Query != nil {
			v.Query = *u.Query
		}
		if err := v.Validate(); err != nil {
			return err
		}
		v.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE saved_views SET name = ?, query = ?, updated_at = ? WHERE id = ?`,
			v.Name, v.Query, ms(tx.now), id); err != nil {
			return fmt.Errorf("update saved view %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// DeleteSavedView removes a view of owner ("" for anyone's).
func (s *Store) DeleteSavedView(ctx context.Context, owner, id string) error {
	return s.write(ctx, func(tx *Tx) error {
		if _, err := findSavedView(ctx, tx.reader(), owner, id, s.forUpdate()); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM saved_views WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete saved view %s: %w", id, err)
		}
		return nil
	})
}

var _ docket.SavedViewService = (*Store)(nil)

// eraseSavedViews deletes, in a redaction's transaction, the saved views whose query
// names a redacted object or one of its values (an account's reference id, typed in the
// search box or the reference filter): a view is someone's shortcut to a person, and it
// goes with the person's data, as do the stored responses that showed it. Queries are
// canonical, so a value appears query-escaped.
func eraseSavedViews(ctx context.Context, tx *Tx, texts []string) error {
	if len(texts) == 0 {
		return nil
	}
	conds := make([]string, len(texts))
	args := make([]any, len(texts))
	for i, t := range texts {
		conds[i], args[i] = tx.s.contains("query"), url.QueryEscape(t)
	}
	where := ` FROM saved_views WHERE ` + strings.Join(conds, " OR ")
	ids, err := queryAll(ctx, tx.reader(), `SELECT id`+where, args, func(row scanner) (string, error) {
		var id string
		return id, row.Scan(&id)
	})
	if err != nil || len(ids) == 0 {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE`+where, args...); err != nil {
		return fmt.Errorf("erase saved views: %w", err)
	}
	return eraseResponses(ctx, tx, ids)
}
