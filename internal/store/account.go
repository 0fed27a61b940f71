package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

const accountCols = `id, reference_id, fields, tags, identity, created_at, updated_at, redacted_at`

func scanAccount(row scanner) (*docket.Account, error) {
	var a docket.Account
	var ref sql.NullString
	var fields, tags, identity []byte
	var created, updated int64
	var redacted sql.NullInt64
	if err := row.Scan(&a.ID, &ref, &fields, &tags, &identity, &created, &updated, &redacted); err != nil {
		return nil, err
	}
	if err := decodeJSON(identity, &a.Identity); err != nil {
		return nil, err
	}
	if err := decodeJSON(fields, &a.Fields); err != nil {
		return nil, err
	}
	if err := decodeJSON(tags, &a.Tags); err != nil {
		return nil, err
	}
	a.ReferenceID = nullString(ref)
	a.CreatedAt, a.UpdatedAt, a.RedactedAt = fromMS(created), fromMS(updated), fromNullMS(redacted)
	return &a, nil
}

func checkReferenceID(ref *string) error {
	if ref != nil && (strings.TrimSpace(*ref) == "" || len(*ref) > docket.MaxReferenceID) {
		return docket.Invalid("reference-id", "reference-id must be 1 to %d characters", docket.MaxReferenceID)
	}
	return nil
}

// CreateAccount stores an account; reference ids are unique.
func (s *Store) CreateAccount(ctx context.Context, actor docket.Actor, a *docket.Account) error {
	if err := checkReferenceID(a.ReferenceID); err != nil {
		return err
	}
	tags, err := docket.NormalizeTags(a.Tags, "tags")
	if err != nil {
		return err
	}
	a.Tags = tags
	if a.Fields == nil {
		a.Fields = map[string]any{}
	}
	a.Identity.Normalize()
	return s.write(ctx, func(tx *Tx) error {
		if err := a.Identity.Validate(tx.now); err != nil {
			return err
		}
		a.ID = docket.NewID(docket.PrefixAccount)
		a.CreatedAt, a.UpdatedAt = tx.now, tx.now
		fields, tagsJSON, err := jsonArgs(a.Fields, a.Tags)
		if err != nil {
			return err
		}
		identity, err := jsonArg(a.Identity)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO accounts (id, reference_id, fields, tags, identity, identity_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, strPtrArg(a.ReferenceID), fields, tagsJSON, identity, searchNameArg(a.Identity), ms(tx.now), ms(tx.now))
		if isUniqueViolation(err) {
			return &docket.Error{Code: docket.EConflict, Message: fmt.Sprintf("an account with reference-id %q already exists", *a.ReferenceID), Field: "reference-id"}
		}
		if err != nil {
			return fmt.Errorf("insert account: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventAccountCreated, "account", a.ID, a.Snapshot())
		return err
	})
}

// searchNameArg is the identity_name column's value: NULL for an identity without names.
func searchNameArg(id docket.Identity) any {
	if n := id.SearchName(); n != "" {
		return n
	}
	return nil
}

// FindAccount returns one account.
func (s *Store) FindAccount(ctx context.Context, id string) (*docket.Account, error) {
	return findAccount(ctx, s.reader(), id, "")
}

func findAccount(ctx context.Context, q querier, id, lock string) (*docket.Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("account", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find account %s: %w", id, err)
	}
	return a, nil
}

// FindAccounts returns the accounts with the given ids.
func (s *Store) FindAccounts(ctx context.Context, ids []string) ([]*docket.Account, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, s.reader(), `SELECT `+accountCols+` FROM accounts WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids), scanAccount)
	if err != nil {
		return nil, fmt.Errorf("find accounts: %w", err)
	}
	return out, nil
}

// ListAccounts returns a page of accounts, newest first.
func (s *Store) ListAccounts(ctx context.Context, f docket.AccountFilter) ([]*docket.Account, docket.PageResult, error) {
	var where []string
	var args []any
	if f.ReferenceID != "" {
		where, args = append(where, "reference_id = ?"), append(args, f.ReferenceID)
	}
	q, args := listSQL(`SELECT `+accountCols+` FROM accounts`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanAccount)
	if err != nil {
		return nil, r, fmt.Errorf("list accounts: %w", err)
	}
	return items, r, nil
}

// UpdateAccount merges fields and replaces the reference id or tags.
func (s *Store) UpdateAccount(ctx context.Context, actor docket.Actor, id string, u docket.AccountUpdate) (*docket.Account, error) {
	var a *docket.Account
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if a, err = findAccount(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if a.RedactedAt != nil {
			return docket.Errorf(docket.EConflict, "account %s is redacted", id)
		}
		if u.ReferenceID != nil {
			if err := checkReferenceID(*u.ReferenceID); err != nil {
				return err
			}
			a.ReferenceID = *u.ReferenceID
		}
		if u.Tags != nil {
			if a.Tags, err = docket.NormalizeTags(*u.Tags, "tags"); err != nil {
				return err
			}
		}
		merged := maps.Clone(a.Fields)
		for k, v := range u.Fields {
			if v == nil {
				delete(merged, k)
			} else {
				merged[k] = v
			}
		}
		a.Identity.Apply(u.Identity)
		a.Identity.Normalize()
		if err := a.Identity.Validate(tx.now); err != nil {
			return err
		}
		a.Fields, a.UpdatedAt = merged, tx.now
		return saveAccount(ctx, tx, actor, a, docket.EventAccountUpdated)
	})
	return a, err
}

func saveAccount(ctx context.Context, tx *Tx, actor docket.Actor, a *docket.Account, event string) error {
	fields, tags, err := jsonArgs(a.Fields, a.Tags)
	if err != nil {
		return err
	}
	identity, err := jsonArg(a.Identity)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE accounts SET reference_id = ?, fields = ?, tags = ?, identity = ?, identity_name = ?, updated_at = ?, redacted_at = ?
		WHERE id = ?`, strPtrArg(a.ReferenceID), fields, tags, identity, searchNameArg(a.Identity), ms(a.UpdatedAt), msPtr(a.RedactedAt), a.ID)
	if isUniqueViolation(err) {
		return &docket.Error{Code: docket.EConflict, Message: "another account has that reference-id", Field: "reference-id"}
	}
	if err != nil {
		return fmt.Errorf("update account %s: %w", a.ID, err)
	}
	_, err = recordEvent(ctx, tx, actor, event, "account", a.ID, a.Snapshot())
	return err
}

// RedactAccount erases an account's personal data: fields, tags, identity and reference id, the
// reference id on the objects linked to it too (unlinkReference), and every copy of them
// (eraseCopies).
func (s *Store) RedactAccount(ctx context.Context, actor docket.Actor, id string) (*docket.Account, error) {
	var a *docket.Account
	err := s.write(ctx, func(tx *Tx) error {
		if err := lockRunsHolding(ctx, tx, id); err != nil {
			return err
		}
		var err error
		if a, err = findAccount(ctx, tx.reader(), id, s.forUpdate()); err != nil || a.RedactedAt != nil {
			return err
		}
		linked, err := unlinkReference(ctx, tx, a.ID, a.ReferenceID)
		if err != nil {
			return err
		}
		var texts []string
		if a.ReferenceID != nil {
			texts = append(texts, *a.ReferenceID)
		}
		// The case search box finds people by name: a saved view may hold one.
		texts = append(texts, identityTexts(a.Identity)...)
		// The linked objects' copies carried the reference id too (their events as
		// webhooks echoed them, responses that showed them).
		if err := eraseCopies(ctx, tx, append([]string{a.ID}, linked...), texts...); err != nil {
			return err
		}
		a.ReferenceID, a.Fields, a.Tags, a.Identity = nil, map[string]any{}, []string{}, docket.Identity{}
		a.UpdatedAt, a.RedactedAt = tx.now, &tx.now
		if err := eraseSnapshots(ctx, tx, a.ID, `{"id":"`+a.ID+`","redacted":true}`); err != nil {
			return err
		}
		return saveAccount(ctx, tx, actor, a, docket.EventAccountRedacted)
	})
	return a, err
}

// identityTexts are the forms of a person's name that a saved view's search may hold.
func identityTexts(id docket.Identity) []string {
	var out []string
	for _, t := range []string{id.FullName(), id.SearchName()} {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
