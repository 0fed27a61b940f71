package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/docket-hq/docket"
)

// This file stores transaction types and transactions: the payments and alerts a
// customer sends in (docket.Transaction), called txns in ids and here, so that they read
// apart from the database transactions (Tx) every write runs in.

const txnTypeCols = `id, name, field_schemas, statuses, created_at, updated_at`

func scanTxnType(row scanner) (*docket.TransactionType, error) {
	var t docket.TransactionType
	var schemas, statuses []byte
	var created, updated int64
	if err := row.Scan(&t.ID, &t.Name, &schemas, &statuses, &created, &updated); err != nil {
		return nil, err
	}
	if err := decodeJSON(schemas, &t.FieldSchemas); err != nil {
		return nil, err
	}
	if err := decodeJSON(statuses, &t.Statuses); err != nil {
		return nil, err
	}
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	return &t, nil
}

// CreateTransactionType stores a new txn type.
func (s *Store) CreateTransactionType(ctx context.Context, actor docket.Actor, t *docket.TransactionType) error {
	if len(t.Statuses) == 0 {
		t.Statuses = docket.DefaultTransactionStatuses()
	}
	if t.FieldSchemas == nil {
		t.FieldSchemas = []docket.FieldSchema{}
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		t.ID = docket.NewID(docket.PrefixTxnType)
		t.CreatedAt, t.UpdatedAt = tx.now, tx.now
		schemas, statuses, err := jsonArgs(t.FieldSchemas, t.Statuses)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO transaction_types (id, name, field_schemas, statuses, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, t.ID, t.Name, schemas, statuses, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert transaction type: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventTxnTypeCreated, "transaction-type", t.ID, t)
		return err
	})
}

// FindTransactionType returns one txn type.
func (s *Store) FindTransactionType(ctx context.Context, id string) (*docket.TransactionType, error) {
	return findTxnType(ctx, s.reader(), id, "")
}

func findTxnType(ctx context.Context, q querier, id, lock string) (*docket.TransactionType, error) {
	t, err := scanTxnType(q.QueryRowContext(ctx, `SELECT `+txnTypeCols+` FROM transaction_types WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("transaction type", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find transaction type %s: %w", id, err)
	}
	return t, nil
}

// ListTransactionTypes returns a page of txn types, newest first.
func (s *Store) ListTransactionTypes(ctx context.Context, p docket.Page) ([]*docket.TransactionType, docket.PageResult, error) {
	q, args := listSQL(`SELECT `+txnTypeCols+` FROM transaction_types`, nil, nil, "id", p)
	items, r, err := queryPage(ctx, s.reader(), q, args, p, scanTxnType)
	if err != nil {
		return nil, r, fmt.Errorf("list transaction types: %w", err)
	}
	return items, r, nil
}

// UpdateTransactionType changes a txn type's name, fields or statuses. A status that
// txns still hold cannot be removed.
func (s *Store) UpdateTransactionType(ctx context.Context, actor docket.Actor, id string, u docket.TransactionTypeUpdate) (*docket.TransactionType, error) {
	var t *docket.TransactionType
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if t, err = findTxnType(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		old := t.Statuses
		if u.Name != nil {
			t.Name = *u.Name
		}
		if u.FieldSchemas != nil {
			t.FieldSchemas = *u.FieldSchemas
		}
		if u.Statuses != nil {
			t.Statuses = *u.Statuses
		}
		if err := t.Validate(); err != nil {
			return err
		}
		for _, st := range old {
			if slices.Contains(t.Statuses, st) {
				continue
			}
			var n int64
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM transactions WHERE type_id = ? AND status = ?`, id, st).Scan(&n); err != nil {
				return fmt.Errorf("count transactions in status: %w", err)
			}
			if n > 0 {
				return docket.Invalid("statuses", "status %q is held by %d transaction(s)", st, n)
			}
		}
		t.UpdatedAt = tx.now
		schemas, statuses, err := jsonArgs(t.FieldSchemas, t.Statuses)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE transaction_types SET name = ?, field_schemas = ?, statuses = ?, updated_at = ? WHERE id = ?`,
			t.Name, schemas, statuses, ms(tx.now), id); err != nil {
			return fmt.Errorf("update transaction type %s: %w", id, err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventTxnTypeUpdated, "transaction-type", t.ID, t)
		return err
	})
	return t, err
}

const txnCols = `id, type_id, reference_id, account_id, status, fields, tags, created_at, updated_at, redacted_at`

func scanTxn(row scanner) (*docket.Transaction, error) {
	var t docket.Transaction
	var ref, acct sql.NullString
	var fields, tags []byte
	var created, updated int64
	var redacted sql.NullInt64
	if err := row.Scan(&t.ID, &t.TypeID, &ref, &acct, &t.Status, &fields, &tags, &created, &updated, &redacted); err != nil {
		return nil, err
	}
	if err := decodeJSON(fields, &t.Fields); err != nil {
		return nil, err
	}
	if err := decodeJSON(tags, &t.Tags); err != nil {
		return nil, err
	}
	t.ReferenceID, t.AccountID = nullString(ref), nullString(acct)
	t.CreatedAt, t.UpdatedAt, t.RedactedAt = fromMS(created), fromMS(updated), fromNullMS(redacted)
	return &t, nil
}

// CreateTransaction stores a txn with fields validated against its type. Its
// reference id links it to the account with that reference, created if needed.
func (s *Store) CreateTransaction(ctx context.Context, actor docket.Actor, n docket.NewTransaction) (*docket.Transaction, error) {
	tags, err := docket.NormalizeTags(n.Tags, "tags")
	if err != nil {
		return nil, err
	}
	var t *docket.Transaction
	err = s.write(ctx, func(tx *Tx) error {
		// Share-lock the type so that UpdateTransactionType cannot remove the status
		// this txn takes before the database transaction commits.
		typ, err := findTxnType(ctx, tx.reader(), n.TypeID, s.forShare())
		if docket.ErrorCode(err) == docket.ENotFound {
			return docket.Invalid("transaction-type-id", "transaction type %s does not exist", n.TypeID)
		} else if err != nil {
			return err
		}
		fields, err := docket.ValidateFields(typ.FieldSchemas, n.Fields, false, "fields")
		if err != nil {
			return err
		}
		status := n.Status
		if status == "" {
			status = typ.Statuses[0]
		} else if !slices.Contains(typ.Statuses, status) {
			return docket.Invalid("status", "%q is not a status of this transaction type (one of %v)", status, typ.Statuses)
		}
		t = &docket.Transaction{ID: docket.NewID(docket.PrefixTransaction), TypeID: typ.ID, ReferenceID: n.ReferenceID,
			Status: status, Fields: fields, Tags: tags, CreatedAt: tx.now, UpdatedAt: tx.now}
		if t.AccountID, err = accountForReference(ctx, tx, actor, t.ReferenceID); err != nil {
			return err
		}
		fieldsJSON, tagsJSON, err := jsonArgs(t.Fields, t.Tags)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO transactions (id, type_id, reference_id, account_id, status, fields, tags, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.TypeID, strPtrArg(t.ReferenceID), strPtrArg(t.AccountID), t.Status,
			fieldsJSON, tagsJSON, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert transaction: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventTransactionCreated, "transaction", t.ID, t)
		return err
	})
	return t, err
}

// FindTransaction returns one txn.
func (s *Store) FindTransaction(ctx context.Context, id string) (*docket.Transaction, error) {
	return findTxn(ctx, s.reader(), id, "")
}

func findTxn(ctx context.Context, q querier, id, lock string) (*docket.Transaction, error) {
	t, err := scanTxn(q.QueryRowContext(ctx, `SELECT `+txnCols+` FROM transactions WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("transaction", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find transaction %s: %w", id, err)
	}
	return t, nil
}

// FindTransactions returns the txns with the given ids.
func (s *Store) FindTransactions(ctx context.Context, ids []string) ([]*docket.Transaction, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, s.reader(), `SELECT `+txnCols+` FROM transactions WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids), scanTxn)
	if err != nil {
		return nil, fmt.Errorf("find transactions: %w", err)
	}
	return out, nil
}

// ListTransactions returns a page of txns, newest first.
func (s *Store) ListTransactions(ctx context.Context, f docket.TransactionFilter) ([]*docket.Transaction, docket.PageResult, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"type_id", f.TypeID}, {"reference_id", f.ReferenceID}, {"account_id", f.AccountID}, {"status", f.Status}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	if f.CreatedAtStart != nil {
		where, args = append(where, "created_at >= ?"), append(args, ms(*f.CreatedAtStart))
	}
	if f.CreatedAtEnd != nil {
		where, args = append(where, "created_at <= ?"), append(args, ms(*f.CreatedAtEnd))
	}
	q, args := listSQL(`SELECT `+txnCols+` FROM transactions`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanTxn)
	if err != nil {
		return nil, r, fmt.Errorf("list transactions: %w", err)
	}
	return items, r, nil
}

// UpdateTransaction merges fields (validated against the type), changes the status to
// another of the type's statuses, or replaces tags; each change writes its own event.
func (s *Store) UpdateTransaction(ctx context.Context, actor docket.Actor, id string, u docket.TransactionUpdate) (*docket.Transaction, error) {
	var t *docket.Transaction
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if t, err = findTxn(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if t.RedactedAt != nil {
			return docket.Errorf(docket.EConflict, "transaction %s is redacted", id)
		}
		typ, err := findTxnType(ctx, tx.reader(), t.TypeID, s.forShare())
		if err != nil {
			return err
		}
		events, err := applyTxnUpdate(t, typ, u)
		if err != nil || len(events) == 0 {
			return err
		}
		t.UpdatedAt = tx.now
		return saveTxn(ctx, tx, actor, t, events...)
	})
	return t, err
}

func applyTxnUpdate(t *docket.Transaction, typ *docket.TransactionType, u docket.TransactionUpdate) ([]string, error) {
	var events []string
	if len(u.Fields) > 0 {
		vals, err := docket.ValidateFields(typ.FieldSchemas, u.Fields, true, "fields")
		if err != nil {
			return nil, err
		}
		merged := maps.Clone(t.Fields)
		for k, v := range vals {
			if v == nil {
				delete(merged, k)
			} else {
				merged[k] = v
			}
		}
		t.Fields = merged
		events = append(events, docket.EventTransactionFields)
	}
	if u.Status != nil && *u.Status != t.Status {
		if !slices.Contains(typ.Statuses, *u.Status) {
			return nil, docket.Invalid("status", "%q is not a status of this transaction type (one of %v)", *u.Status, typ.Statuses)
		}
		t.Status = *u.Status
		events = append(events, docket.EventTransactionStatus)
	}
	if u.Tags != nil {
		tags, err := docket.NormalizeTags(*u.Tags, "tags")
		if err != nil {
			return nil, err
		}
		if !slices.Equal(tags, t.Tags) {
			t.Tags = tags
			events = append(events, docket.EventTransactionTags)
		}
	}
	return events, nil
}

func saveTxn(ctx context.Context, tx *Tx, actor docket.Actor, t *docket.Transaction, events ...string) error {
	fields, tags, err := jsonArgs(t.Fields, t.Tags)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE transactions SET reference_id = ?, status = ?, fields = ?, tags = ?, updated_at = ?, redacted_at = ?
		WHERE id = ?`, strPtrArg(t.ReferenceID), t.Status, fields, tags, ms(t.UpdatedAt), msPtr(t.RedactedAt), t.ID); err != nil {
		return fmt.Errorf("update transaction %s: %w", t.ID, err)
	}
	for _, e := range events {
		if _, err := recordEvent(ctx, tx, actor, e, "transaction", t.ID, t); err != nil {
			return err
		}
	}
	return nil
}

// RedactTransaction erases a txn's fields, tags and reference id.
func (s *Store) RedactTransaction(ctx context.Context, actor docket.Actor, id string) (*docket.Transaction, error) {
	var t *docket.Transaction
	err := s.write(ctx, func(tx *Tx) error {
		if err := lockRunsHolding(ctx, tx, id); err != nil {
			return err
		}
		var err error
		if t, err = findTxn(ctx, tx.reader(), id, s.forUpdate()); err != nil || t.RedactedAt != nil {
			return err
		}
		t.ReferenceID, t.Fields, t.Tags, t.UpdatedAt, t.RedactedAt = nil, map[string]any{}, []string{}, tx.now, &tx.now
		if err := scrubEvents(ctx, tx, t.ID, func() any { return &docket.Transaction{} }, func(v any) {
			x := v.(*docket.Transaction)
			x.ReferenceID, x.Fields, x.Tags = nil, map[string]any{}, []string{}
		}); err != nil {
			return err
		}
		if err := eraseCopies(ctx, tx, []string{t.ID}); err != nil {
			return err
		}
		return saveTxn(ctx, tx, actor, t, docket.EventTransactionRedacted)
	})
	return t, err
}
