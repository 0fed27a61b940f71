package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/docket-hq/docket"
)

const inquiryCols = `id, status, reference_id, account_id, creator_email, note, reviewer_comment, fields, tags,
	identity, inquiry_template_id, template_id, inquiry_template_version_id, created_at, updated_at, started_at, completed_at, failed_at, expired_at, marked_at, decisioned_at, redacted_at`

func scanInquiry(row scanner) (*docket.Inquiry, error) {
	var q docket.Inquiry
	var ref, acct, creator, note, comment, itmpl, tmpl, itmplv sql.NullString
	var fields, tags, identity []byte
	var created, updated int64
	var started, completed, failed, expired, marked, decisioned, redacted sql.NullInt64
	if err := row.Scan(&q.ID, &q.Status, &ref, &acct, &creator, &note, &comment, &fields, &tags, &identity, &itmpl, &tmpl, &itmplv,
		&created, &updated, &started, &completed, &failed, &expired, &marked, &decisioned, &redacted); err != nil {
		return nil, err
	}
	if err := decodeJSON(identity, &q.Identity); err != nil {
		return nil, err
	}
	q.InquiryTemplateID, q.TemplateID, q.InquiryTemplateVersionID = nullString(itmpl), nullString(tmpl), nullString(itmplv)
	if err := decodeJSON(fields, &q.Fields); err != nil {
		return nil, err
	}
	if err := decodeJSON(tags, &q.Tags); err != nil {
		return nil, err
	}
	q.ReferenceID, q.AccountID, q.CreatorEmail, q.Note, q.ReviewerComment = nullString(ref), nullString(acct), nullString(creator), nullString(note), nullString(comment)
	q.CreatedAt, q.UpdatedAt = fromMS(created), fromMS(updated)
	q.StartedAt, q.CompletedAt, q.FailedAt, q.ExpiredAt = fromNullMS(started), fromNullMS(completed), fromNullMS(failed), fromNullMS(expired)
	q.MarkedAt, q.DecisionedAt, q.RedactedAt = fromNullMS(marked), fromNullMS(decisioned), fromNullMS(redacted)
	return &q, nil
}

// CreateInquiry stores a new inquiry in status created. A reference id links the inquiry
// to the account with that reference, which is created if needed.
func (s *Store) CreateInquiry(ctx context.Context, actor docket.Actor, n docket.NewInquiry) (*docket.Inquiry, error) {
	tags, err := docket.NormalizeTags(n.Tags, "tags")
	if err != nil {
		return nil, err
	}
	if n.Fields == nil {
		n.Fields = map[string]any{}
	}
	if err := docket.CheckFieldsSize(n.Fields, "fields"); err != nil {
		return nil, err
	}
	if n.CreatorEmail != nil && !docket.ValidEmail(*n.CreatorEmail) {
		return nil, docket.Invalid("creator-email-address", "%q is not an email address", *n.CreatorEmail)
	}
	if err := n.Templates.Validate(); err != nil {
		return nil, err
	}
	n.Identity.Normalize()
	var q *docket.Inquiry
	err = s.write(ctx, func(tx *Tx) error {
		if err := n.Identity.Validate(tx.now); err != nil {
			return err
		}
		q = &docket.Inquiry{ID: docket.NewID(docket.PrefixInquiry), Status: docket.InquiryCreated, ReferenceID: n.ReferenceID,
			AccountID: n.AccountID, CreatorEmail: n.CreatorEmail, Note: n.Note, Fields: n.Fields, Tags: tags, Identity: n.Identity,
			InquiryTemplateID: n.Templates.InquiryTemplateID, TemplateID: n.Templates.TemplateID,
			InquiryTemplateVersionID: n.Templates.InquiryTemplateVersionID, CreatedAt: tx.now, UpdatedAt: tx.now}
		if q.CreatorEmail != nil {
			e := docket.NormalizeEmail(*q.CreatorEmail)
			q.CreatorEmail = &e
		}
		if err := checkAccount(ctx, tx, q.AccountID, "account-id"); err != nil {
			return err
		}
		if q.AccountID == nil {
			var err error
			if q.AccountID, err = accountForReference(ctx, tx, actor, q.ReferenceID); err != nil {
				return err
			}
		}
		fields, tags, err := jsonArgs(q.Fields, q.Tags)
		if err != nil {
			return err
		}
		identity, err := jsonArg(q.Identity)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO inquiries (id, status, reference_id, account_id, creator_email, note, fields, tags,
			identity, identity_name, inquiry_template_id, template_id, inquiry_template_version_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, q.ID, q.Status, strPtrArg(q.ReferenceID), strPtrArg(q.AccountID),
			strPtrArg(q.CreatorEmail), strPtrArg(q.Note), fields, tags, identity, searchNameArg(q.Identity),
			strPtrArg(q.InquiryTemplateID), strPtrArg(q.TemplateID), strPtrArg(q.InquiryTemplateVersionID), ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert inquiry: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventInquiryCreated, "inquiry", q.ID, q.Snapshot())
		return err
	})
	return q, err
}

// jsonArgs encodes several values for JSON columns.
func jsonArgs(vs ...any) (string, string, error) {
	a, err := jsonArg(vs[0])
	if err != nil {
		return "", "", err
	}
	b, err := jsonArg(vs[1])
	return a, b, err
}

// FindInquiry returns one inquiry.
func (s *Store) FindInquiry(ctx context.Context, id string) (*docket.Inquiry, error) {
	return findInquiry(ctx, s.reader(), id, "")
}

func findInquiry(ctx context.Context, q querier, id, lock string) (*docket.Inquiry, error) {
	inq, err := scanInquiry(q.QueryRowContext(ctx, `SELECT `+inquiryCols+` FROM inquiries WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("inquiry", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find inquiry %s: %w", id, err)
	}
	return inq, nil
}

// FindInquiries returns the inquiries with the given ids.
func (s *Store) FindInquiries(ctx context.Context, ids []string) ([]*docket.Inquiry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, s.reader(), `SELECT `+inquiryCols+` FROM inquiries WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids), scanInquiry)
	if err != nil {
		return nil, fmt.Errorf("find inquiries: %w", err)
	}
	return out, nil
}

// ListInquiries returns a page of inquiries, newest first.
func (s *Store) ListInquiries(ctx context.Context, f docket.InquiryFilter) ([]*docket.Inquiry, docket.PageResult, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"status", f.Status}, {"reference_id", f.ReferenceID}, {"account_id", f.AccountID},
		{"inquiry_template_id", f.InquiryTemplateID}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	q, args := listSQL(`SELECT `+inquiryCols+` FROM inquiries`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanInquiry)
	if err != nil {
		return nil, r, fmt.Errorf("list inquiries: %w", err)
	}
	return items, r, nil
}

// mutateInquiry locks an inquiry, applies change, and saves it with the returned event.
func (s *Store) mutateInquiry(ctx context.Context, actor docket.Actor, id string, change func(tx *Tx, q *docket.Inquiry) (string, error)) (*docket.Inquiry, error) {
	var q *docket.Inquiry
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if q, err = findInquiry(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if q.RedactedAt != nil {
			return docket.Errorf(docket.EConflict, "inquiry %s is redacted", id)
		}
		event, err := change(tx, q)
		if err != nil || event == "" {
			return err
		}
		return saveInquiry(ctx, tx, actor, q, event)
	})
	return q, err
}

func saveInquiry(ctx context.Context, tx *Tx, actor docket.Actor, q *docket.Inquiry, event string) error {
	q.UpdatedAt = tx.now
	fields, tags, err := jsonArgs(q.Fields, q.Tags)
	if err != nil {
		return err
	}
	identity, err := jsonArg(q.Identity)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE inquiries SET status = ?, reference_id = ?, creator_email = ?, note = ?, reviewer_comment = ?, fields = ?, tags = ?,
		identity = ?, identity_name = ?,
		updated_at = ?, started_at = ?, completed_at = ?, failed_at = ?, expired_at = ?, marked_at = ?, decisioned_at = ?, redacted_at = ?
		WHERE id = ?`, q.Status, strPtrArg(q.ReferenceID), strPtrArg(q.CreatorEmail), strPtrArg(q.Note), strPtrArg(q.ReviewerComment), fields, tags,
		identity, searchNameArg(q.Identity), ms(q.UpdatedAt), msPtr(q.StartedAt), msPtr(q.CompletedAt), msPtr(q.FailedAt), msPtr(q.ExpiredAt), msPtr(q.MarkedAt),
		msPtr(q.DecisionedAt), msPtr(q.RedactedAt), q.ID); err != nil {
		return fmt.Errorf("update inquiry %s: %w", q.ID, err)
	}
	_, err = recordEvent(ctx, tx, actor, event, "inquiry", q.ID, q.Snapshot())
	return err
}

// UpdateInquiry merges fields and replaces tags or the note.
func (s *Store) UpdateInquiry(ctx context.Context, actor docket.Actor, id string, u docket.InquiryUpdate) (*docket.Inquiry, error) {
	return s.mutateInquiry(ctx, actor, id, func(tx *Tx, q *docket.Inquiry) (string, error) {
		merged := maps.Clone(q.Fields)
		for k, v := range u.Fields {
			if v == nil {
				delete(merged, k)
			} else {
				merged[k] = v
			}
		}
		if err := docket.CheckFieldsSize(merged, "fields"); err != nil {
			return "", err
		}
		q.Fields = merged
		q.Identity.Apply(u.Identity)
		q.Identity.Normalize()
		if err := q.Identity.Validate(tx.now); err != nil {
			return "", err
		}
		if u.Tags != nil {
			tags, err := docket.NormalizeTags(*u.Tags, "tags")
			if err != nil {
				return "", err
			}
			q.Tags = tags
		}
		if u.Note != nil {
			q.Note = *u.Note
		}
		return docket.EventInquiryUpdated, nil
	})
}

// InquiryAction moves an inquiry through its lifecycle (start, complete, fail, expire,
// mark-for-review, approve, decline); actions not allowed from its status are refused.
func (s *Store) InquiryAction(ctx context.Context, actor docket.Actor, id, action string, comment *string) (*docket.Inquiry, error) {
	return s.mutateInquiry(ctx, actor, id, func(tx *Tx, q *docket.Inquiry) (string, error) {
		return q.Apply(action, tx.now, comment)
	})
}

// RedactInquiry erases an inquiry's personal data but keeps its status history.
func (s *Store) RedactInquiry(ctx context.Context, actor docket.Actor, id string) (*docket.Inquiry, error) {
	var q *docket.Inquiry
	err := s.write(ctx, func(tx *Tx) error {
		if err := lockRunsHolding(ctx, tx, id); err != nil {
			return err
		}
		var err error
		if q, err = findInquiry(ctx, tx.reader(), id, s.forUpdate()); err != nil || q.RedactedAt != nil {
			return err
		}
		q.ReferenceID, q.CreatorEmail, q.Note, q.ReviewerComment = nil, nil, nil, nil
		texts := identityTexts(q.Identity)
		q.Fields, q.Tags, q.Identity, q.RedactedAt = map[string]any{}, []string{}, docket.Identity{}, &tx.now
		if err := scrubEvents(ctx, tx, q.ID, func() any { return &docket.Inquiry{} }, func(v any) {
			x := v.(*docket.Inquiry)
			x.ReferenceID, x.CreatorEmail, x.Note, x.ReviewerComment, x.Fields, x.Tags = nil, nil, nil, nil, map[string]any{}, []string{}
			x.Identity = docket.Identity{}
		}); err != nil {
			return err
		}
		if err := eraseCopies(ctx, tx, []string{q.ID}, texts...); err != nil {
			return err
		}
		return saveInquiry(ctx, tx, actor, q, docket.EventInquiryRedacted)
	})
	return q, err
}

// ExpireInquiries expires created or pending inquiries created before the cutoff. Rows
// another process is expiring are skipped (SKIP LOCKED), so each expiry happens once.
func (s *Store) ExpireInquiries(ctx context.Context, before time.Time, limit int) (int, error) {
	n := 0
	skip := s.skipLocked()
	actor := docket.Actor{Type: docket.ActorSystem, ID: "inquiry-expiry"}
	err := s.write(ctx, func(tx *Tx) error {
		list, err := queryAll(ctx, tx.reader(), `SELECT `+inquiryCols+` FROM inquiries WHERE status IN (?, ?)
			AND created_at < ? ORDER BY created_at LIMIT `+fmt.Sprint(limit)+skip, []any{docket.InquiryCreated, docket.InquiryPending, ms(before)}, scanInquiry)
		if err != nil {
			return fmt.Errorf("find inquiries to expire: %w", err)
		}
		for _, q := range list {
			event, err := q.Apply(docket.InquiryExpire, tx.now, nil)
			if err != nil {
				return err
			}
			if err := saveInquiry(ctx, tx, actor, q, event); err != nil {
				return err
			}
		}
		n = len(list)
		return nil
	})
	return n, err
}

// scrubEvents rewrites the snapshots in an object's events with personal data removed,
// keeping their digests (eraseSnapshots says why).
func scrubEvents(ctx context.Context, tx *Tx, objectID string, newObj func() any, scrub func(any)) error {
	type row struct {
		id  string
		obj []byte
	}
	rows, err := queryAll(ctx, tx.reader(), `SELECT id, object FROM events WHERE object_id = ?`, []any{objectID}, func(r scanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.obj)
	})
	if err != nil {
		return fmt.Errorf("read events of %s: %w", objectID, err)
	}
	rewrite := func(obj []byte) ([]byte, error) {
		v := newObj()
		if err := decodeJSON(obj, v); err != nil {
			return nil, err
		}
		scrub(v)
		body, err := jsonArg(v)
		return []byte(body), err
	}
	for _, r := range rows {
		body, err := rewrite(r.obj)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE events SET object = ?, object_erased = ? WHERE id = ?`, string(body), true, r.id); err != nil {
			return fmt.Errorf("scrub event %s: %w", r.id, err)
		}
	}
	return erasePending(tx, objectID, rewrite)
}
