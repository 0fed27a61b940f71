package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/docket-hq/docket"
)

const reportCols = `id, report_type, status, matched, result, reference_id, account_id, inquiry_id, tags,
	created_at, updated_at, completed_at, redacted_at, report_template_id`

func scanReport(row scanner) (*docket.Report, error) {
	var r docket.Report
	var ref, acct, inq, tmpl sql.NullString
	var result, tags []byte
	var created, updated int64
	var completed, redacted sql.NullInt64
	if err := row.Scan(&r.ID, &r.Type, &r.Status, &r.Matched, &result, &ref, &acct, &inq, &tags,
		&created, &updated, &completed, &redacted, &tmpl); err != nil {
		return nil, err
	}
	if err := decodeJSON(result, &r.Result); err != nil {
		return nil, err
	}
	if err := decodeJSON(tags, &r.Tags); err != nil {
		return nil, err
	}
	r.ReferenceID, r.AccountID, r.InquiryID, r.TemplateID = nullString(ref), nullString(acct), nullString(inq), nullString(tmpl)
	r.CreatedAt, r.UpdatedAt, r.CompletedAt, r.RedactedAt = fromMS(created), fromMS(updated), fromNullMS(completed), fromNullMS(redacted)
	return &r, nil
}

// CreateReport stores a screening report, pending or already finished. It links to an
// account (by id, by reference id, or through its inquiry's account).
func (s *Store) CreateReport(ctx context.Context, actor docket.Actor, n docket.NewReport) (*docket.Report, error) {
	if !docket.ValidReportType(n.Type) {
		return nil, docket.Invalid("report-type", "unknown report type %q (one of %s)", n.Type, docket.ReportTypeList())
	}
	if n.Status == "" {
		n.Status = docket.ReportPending
	}
	if n.Status != docket.ReportPending && n.Status != docket.ReportReady && n.Status != docket.ReportErrored {
		return nil, docket.Invalid("status", "status must be pending, ready or errored")
	}
	tags, err := docket.NormalizeTags(n.Tags, "tags")
	if err != nil {
		return nil, err
	}
	if n.Result == nil {
		n.Result = map[string]any{}
	}
	var r *docket.Report
	err = s.write(ctx, func(tx *Tx) error {
		r = &docket.Report{ID: docket.NewID(docket.PrefixReport), Type: n.Type, Status: n.Status, Matched: n.Matched, Result: n.Result,
			ReferenceID: n.ReferenceID, AccountID: n.AccountID, InquiryID: n.InquiryID, TemplateID: n.TemplateID, Tags: tags,
			CreatedAt: tx.now, UpdatedAt: tx.now}
		if err := linkReport(ctx, tx, actor, r); err != nil {
			return err
		}
		if r.TemplateID != nil {
			if _, err := findReportTemplate(ctx, tx.reader(), *r.TemplateID, ""); docket.ErrorCode(err) == docket.ENotFound {
				return docket.Invalid("report-template-id", "report template %s does not exist", *r.TemplateID)
			} else if err != nil {
				return err
			}
		}
		if r.Status != docket.ReportPending {
			r.CompletedAt = &tx.now
		}
		result, tagsJSON, err := jsonArgs(r.Result, r.Tags)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO reports (id, report_type, status, matched, result, reference_id, account_id, inquiry_id,
			tags, created_at, updated_at, completed_at, report_template_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Type, r.Status, r.Matched, result, strPtrArg(r.ReferenceID), strPtrArg(r.AccountID), strPtrArg(r.InquiryID),
			tagsJSON, ms(tx.now), ms(tx.now), msPtr(r.CompletedAt), strPtrArg(r.TemplateID)); err != nil {
			return fmt.Errorf("insert report: %w", err)
		}
		events := append([]string{docket.EventReportCreated}, reportOutcomeEvents(r)...)
		for _, e := range events {
			if _, err := recordEvent(ctx, tx, actor, e, "report", r.ID, r); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

func linkReport(ctx context.Context, tx *Tx, actor docket.Actor, r *docket.Report) error {
	if err := checkAccount(ctx, tx, r.AccountID, "account-id"); err != nil {
		return err
	}
	if r.InquiryID != nil {
		q, err := findInquiry(ctx, tx.reader(), *r.InquiryID, "")
		if docket.ErrorCode(err) == docket.ENotFound {
			return docket.Invalid("inquiry-id", "inquiry %s does not exist", *r.InquiryID)
		} else if err != nil {
			return err
		}
		if r.AccountID == nil {
			r.AccountID = q.AccountID
		}
	}
	if r.AccountID == nil {
		var err error
		r.AccountID, err = accountForReference(ctx, tx, actor, r.ReferenceID)
		return err
	}
	return nil
}

func reportOutcomeEvents(r *docket.Report) []string {
	switch r.Status {
	case docket.ReportReady:
		if r.Matched {
			return []string{docket.EventReportReady, docket.EventReportMatched}
		}
		return []string{docket.EventReportReady}
	case docket.ReportErrored:
		return []string{docket.EventReportErrored}
	}
	return nil
}

// FindReport returns one report.
func (s *Store) FindReport(ctx context.Context, id string) (*docket.Report, error) {
	return findReport(ctx, s.reader(), id, "")
}

func findReport(ctx context.Context, q querier, id, lock string) (*docket.Report, error) {
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportCols+` FROM reports WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("report", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find report %s: %w", id, err)
	}
	return r, nil
}

// FindReports returns the reports with the given ids.
func (s *Store) FindReports(ctx context.Context, ids []string) ([]*docket.Report, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, s.reader(), `SELECT `+reportCols+` FROM reports WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids), scanReport)
	if err != nil {
		return nil, fmt.Errorf("find reports: %w", err)
	}
	return out, nil
}

// ListReports returns a page of reports, newest first.
func (s *Store) ListReports(ctx context.Context, f docket.ReportFilter) ([]*docket.Report, docket.PageResult, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"report_type", f.Type}, {"status", f.Status}, {"account_id", f.AccountID}, {"inquiry_id", f.InquiryID}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	q, args := listSQL(`SELECT `+reportCols+` FROM reports`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanReport)
	if err != nil {
		return nil, r, fmt.Errorf("list reports: %w", err)
	}
	return items, r, nil
}

// FinishReport records a pending report's outcome: ready (matched or not, with its
// result) or errored. A finished report cannot change again.
func (s *Store) FinishReport(ctx context.Context, actor docket.Actor, id, status string, matched bool, result map[string]any) (*docket.Report, error) {
	if status != docket.ReportReady && status != docket.ReportErrored {
		return nil, docket.Invalid("status", "a report finishes as ready or errored")
	}
	var r *docket.Report
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if r, err = findReport(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if r.RedactedAt != nil {
			return docket.Errorf(docket.EConflict, "report %s is redacted", id)
		}
		if r.Status != docket.ReportPending {
			return docket.Errorf(docket.EInvalid, "report %s is already %s", id, r.Status)
		}
		r.Status, r.Matched, r.UpdatedAt, r.CompletedAt = status, matched && status == docket.ReportReady, tx.now, &tx.now
		if result != nil {
			r.Result = result
		}
		resultJSON, err := jsonArg(r.Result)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE reports SET status = ?, matched = ?, result = ?, updated_at = ?, completed_at = ? WHERE id = ?`,
			r.Status, r.Matched, resultJSON, ms(tx.now), ms(tx.now), r.ID); err != nil {
			return fmt.Errorf("finish report %s: %w", id, err)
		}
		for _, e := range reportOutcomeEvents(r) {
			if _, err := recordEvent(ctx, tx, actor, e, "report", r.ID, r); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

// RedactReport erases a report's result, reference id and tags.
func (s *Store) RedactReport(ctx context.Context, actor docket.Actor, id string) (*docket.Report, error) {
	var r *docket.Report
	err := s.write(ctx, func(tx *Tx) error {
		if err := lockRunsHolding(ctx, tx, id); err != nil {
			return err
		}
		var err error
		if r, err = findReport(ctx, tx.reader(), id, s.forUpdate()); err != nil || r.RedactedAt != nil {
			return err
		}
		r.Result, r.ReferenceID, r.Tags, r.UpdatedAt, r.RedactedAt = map[string]any{}, nil, []string{}, tx.now, &tx.now
		if err := scrubEvents(ctx, tx, r.ID, func() any { return &docket.Report{} }, func(v any) {
			x := v.(*docket.Report)
			x.Result, x.ReferenceID, x.Tags = map[string]any{}, nil, []string{}
		}); err != nil {
			return err
		}
		if err := eraseCopies(ctx, tx, []string{r.ID}); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE reports SET result = '{}', reference_id = NULL, tags = '[]', updated_at = ?, redacted_at = ? WHERE id = ?`,
			ms(tx.now), ms(tx.now), r.ID); err != nil {
			return fmt.Errorf("redact report %s: %w", id, err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventReportRedacted, "report", r.ID, r)
		return err
	})
	return r, err
}
