package store

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// accountForReference returns the id of the account with the reference id, creating the
// account (and its account.created event) if none exists yet. Concurrent callers with the
// same new reference id get the same account: the INSERT yields to the one that wins.
func accountForReference(ctx context.Context, tx *Tx, actor docket.Actor, ref *string) (*string, error) {
	if ref == nil {
		return nil, nil
	}
	if err := checkReferenceID(ref); err != nil {
		return nil, err
	}
	a := &docket.Account{ID: docket.NewID(docket.PrefixAccount), ReferenceID: ref, Fields: map[string]any{}, Tags: []string{},
		CreatedAt: tx.now, UpdatedAt: tx.now}
	res, err := tx.exec(ctx, `INSERT INTO accounts (id, reference_id, fields, tags, created_at, updated_at) VALUES (?, ?, '{}', '[]', ?, ?)
		ON CONFLICT (reference_id) DO NOTHING`, a.ID, *ref, ms(tx.now), ms(tx.now))
	if err != nil {
		return nil, fmt.Errorf("link account %q: %w", *ref, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if _, err := recordEvent(ctx, tx, actor, docket.EventAccountCreated, "account", a.ID, a); err != nil {
			return nil, err
		}
		return &a.ID, nil
	}
	var id string
	if err := tx.queryRow(ctx, `SELECT id FROM accounts WHERE reference_id = ?`, *ref).Scan(&id); err != nil {
		return nil, fmt.Errorf("find account %q: %w", *ref, err)
	}
	return &id, nil
}

// checkAccount verifies that an explicitly given account id exists.
func checkAccount(ctx context.Context, tx *Tx, id *string, field string) error {
	if id == nil {
		return nil
	}
	if !docket.ValidID(docket.PrefixAccount, *id) {
		return docket.Invalid(field, "%q is not an account id", *id)
	}
	if _, err := findAccount(ctx, tx.reader(), *id, ""); err != nil {
		if docket.ErrorCode(err) == docket.ENotFound {
			return docket.Invalid(field, "account %s does not exist", *id)
		}
		return err
	}
	return nil
}

// ObjectCaseIDs returns the ids of the cases an object is attached to, newest first.
func (s *Store) ObjectCaseIDs(ctx context.Context, objectID string) ([]string, error) {
	ids, err := queryAll(ctx, s.reader(), `SELECT case_id FROM case_objects WHERE object_id = ? ORDER BY case_id DESC LIMIT 100`,
		[]any{objectID}, func(r scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		})
	if err != nil {
		return nil, fmt.Errorf("cases of %s: %w", objectID, err)
	}
	// Never nil: the API shows an object's cases (and a case's related cases) only when
	// given a list, so an object in no case must still get an empty one.
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}
