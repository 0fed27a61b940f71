package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/docket-hq/docket"
)

// SARs (docket.SAR): a report belongs to a case; the rules that decide whether it may be
// approved come from internal/sar through UseSARRules, applied under the SAR's row lock
// with the settings it would be filed with.

const sarCols = `id, case_id, status, filing_type, prior_sar_id, report, sources, prepared_by_type, prepared_by_id,
	prepared_by_user_id, approved_by_type, approved_by_id, approved_at, filed_at, bsa_id, due_at, created_at, updated_at`

// UseSARRules registers the checks a SAR passes before it is ready or approved.
func (s *Store) UseSARRules(r docket.SARRules) { s.sarRules = r }

var errNoSARRules = errors.New("store: no SAR rules registered (UseSARRules)")

func scanSAR(row scanner) (*docket.SAR, error) {
	var x docket.SAR
	var prior, preparedUser, apType, apID, bsa sql.NullString
	var report, sources []byte
	var approved, filed sql.NullInt64
	var due, created, updated int64
	if err := row.Scan(&x.ID, &x.CaseID, &x.Status, &x.FilingType, &prior, &report, &sources, &x.PreparedBy.Type, &x.PreparedBy.ID,
		&preparedUser, &apType, &apID, &approved, &filed, &bsa, &due, &created, &updated); err != nil {
		return nil, err
	}
	if err := decodeJSON(report, &x.Report); err != nil {
		return nil, fmt.Errorf("sar %s: %w", x.ID, err)
	}
	if err := decodeJSON(sources, &x.Sources); err != nil {
		return nil, fmt.Errorf("sar %s: %w", x.ID, err)
	}
	if prior.Valid {
		x.PriorSARID = &prior.String
	}
	if bsa.Valid {
		x.BSAID = &bsa.String
	}
	x.PreparedByUserID, x.ApprovedBy = preparedUser.String, actorFrom(apType, apID)
	x.ApprovedAt, x.FiledAt = fromNullMS(approved), fromNullMS(filed)
	x.DueAt, x.CreatedAt, x.UpdatedAt = fromMS(due), fromMS(created), fromMS(updated)
	return &x, nil
}

// CreateSAR stores a new draft on a case. A continuing or corrected report names a prior
// report of the same case; a continuing one is due SARContinuingInterval after the prior
// was filed.
func (s *Store) CreateSAR(ctx context.Context, actor docket.Actor, x *docket.SAR) error {
	if !slices.Contains(docket.SARFilingTypes, x.FilingType) {
		return docket.Invalid("filing-type", "must be one of %v", docket.SARFilingTypes)
	}
	return s.write(ctx, func(tx *Tx) error {
		if _, err := findCase(ctx, tx.reader(), x.CaseID, ""); err != nil {
			return err
		}
		var priorFiled *time.Time
		if err := checkPrior(ctx, tx, x, &priorFiled); err != nil {
			return err
		}
		person, err := personOf(ctx, tx, actor)
		if err != nil {
			return err
		}
		x.ID, x.Status, x.PreparedBy, x.PreparedByUserID = docket.NewID(docket.PrefixSAR), docket.SARDraft, actor, person
		x.CreatedAt, x.UpdatedAt = tx.now, tx.now
		x.DueAt = docket.SARDueAt(x.FilingType, tx.now, priorFiled)
		if x.Sources == nil {
			x.Sources = map[string]string{}
		}
		report, sources, err := jsonArgs(x.Report, x.Sources)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO sars (id, case_id, status, filing_type, prior_sar_id, report, sources,
			prepared_by_type, prepared_by_id, prepared_by_user_id, due_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, x.ID, x.CaseID, x.Status, x.FilingType, x.PriorSARID, report, sources,
			actor.Type, actor.ID, nullIfEmpty(person), ms(x.DueAt), ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert sar: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventSARCreated, docket.KindSAR.Type, x.ID, x)
		return err
	})
}

// checkPrior checks the prior report of a continuing or corrected SAR and fills in its
// BSA ID when the report gives none.
func checkPrior(ctx context.Context, tx *Tx, x *docket.SAR, priorFiled **time.Time) error {
	if x.FilingType == docket.SARInitial {
		x.PriorSARID = nil
		return nil
	}
	if x.PriorSARID == nil {
		return docket.Invalid("prior-sar-id", "a %s report names the prior report it follows", x.FilingType)
	}
	prior, err := findSAR(ctx, tx.reader(), *x.PriorSARID, "")
	if docket.ErrorCode(err) == docket.ENotFound {
		return docket.Invalid("prior-sar-id", "SAR %s does not exist", *x.PriorSARID)
	}
	if err != nil {
		return err
	}
	if prior.Status != docket.SARFiled {
		return docket.Invalid("prior-sar-id", "SAR %s is %s: a %s report follows a filed one", prior.ID, prior.Status, x.FilingType)
	}
	if x.Report.PriorDocumentNumber == "" && prior.BSAID != nil {
		x.Report.PriorDocumentNumber = *prior.BSAID
	}
	*priorFiled = prior.FiledAt
	return nil
}

// FindSAR returns one SAR.
func (s *Store) FindSAR(ctx context.Context, id string) (*docket.SAR, error) {
	return findSAR(ctx, s.reader(), id, "")
}

func findSAR(ctx context.Context, q querier, id, lock string) (*docket.SAR, error) {
	x, err := scanSAR(q.QueryRowContext(ctx, `SELECT `+sarCols+` FROM sars WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("SAR", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find sar %s: %w", id, err)
	}
	return x, nil
}

// ListSARs returns a page of SARs, newest first. The reader's Visibility is applied
// through the SARs' cases.
func (s *Store) ListSARs(ctx context.Context, f docket.SARFilter) ([]*docket.SAR, docket.PageResult, error) {
	var where []string
	var args []any
	if f.CaseID != "" {
		where, args = append(where, "case_id = ?"), append(args, f.CaseID)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if len(f.IDs) > 0 {
		where, args = append(where, "id IN ("+placeholders(len(f.IDs))+")"), append(args, anys(f.IDs)...)
	}
	if f.Visibility.Restricted() {
		where = append(where, "case_id IN (SELECT id FROM cases WHERE template_id NOT IN ("+placeholders(len(f.Visibility.HiddenTemplateIDs))+"))")
		args = append(args, anys(f.Visibility.HiddenTemplateIDs)...)
	}
	q, args := listSQL(`SELECT `+sarCols+` FROM sars`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanSAR)
	if err != nil {
		return nil, r, fmt.Errorf("list sars: %w", err)
	}
	return items, r, nil
}

// UpdateSAR changes a draft or ready report; a ready one goes back to draft, as what was
// validated is no longer what would be filed.
func (s *Store) UpdateSAR(ctx context.Context, actor docket.Actor, id string, u docket.SARUpdate) (*docket.SAR, error) {
	return s.changeSAR(ctx, actor, id, docket.EventSARUpdated, func(tx *Tx, x *docket.SAR) error {
		if x.Status == docket.SARApproved || x.Status == docket.SARFiled {
			return &docket.Error{Code: docket.EConflict, Field: "status", Message: fmt.Sprintf(
				"SAR %s is %s and can no longer change: prepare a correction instead", x.ID, x.Status)}
		}
		if u.Report != nil {
			x.Report = *u.Report
		}
		if u.Sources != nil {
			x.Sources = u.Sources
		}
		x.Status = docket.SARDraft
		return nil
	})
}

// MarkSARReady validates the report with the current settings.
func (s *Store) MarkSARReady(ctx context.Context, actor docket.Actor, id string) (*docket.SAR, error) {
	return s.changeSAR(ctx, actor, id, docket.EventSARUpdated, func(tx *Tx, x *docket.SAR) error {
		if x.Status != docket.SARDraft && x.Status != docket.SARReady {
			return &docket.Error{Code: docket.EConflict, Field: "status", Message: fmt.Sprintf("SAR %s is %s already", x.ID, x.Status)}
		}
		if err := s.checkSAR(ctx, tx, x); err != nil {
			return err
		}
		x.Status = docket.SARReady
		return nil
	})
}

// ApproveSAR records a second person's approval of a ready report, checking it again
// with the current settings.
func (s *Store) ApproveSAR(ctx context.Context, by docket.Confirmer, id string) (*docket.SAR, error) {
	return s.changeSAR(ctx, by.Actor, id, docket.EventSARApproved, func(tx *Tx, x *docket.SAR) error {
		if err := by.CheckApprover(x); err != nil {
			return err
		}
		if err := s.checkSAR(ctx, tx, x); err != nil {
			return err
		}
		x.Status, x.ApprovedBy, x.ApprovedAt = docket.SARApproved, &by.Actor, &tx.now
		return nil
	})
}

// FileSAR marks an approved report filed, with the BSA ID if it is known yet; on a filed
// report without one, it records the BSA ID that came back.
func (s *Store) FileSAR(ctx context.Context, actor docket.Actor, id, bsaID string) (*docket.SAR, error) {
	return s.changeSAR(ctx, actor, id, docket.EventSARFiled, func(tx *Tx, x *docket.SAR) error {
		if bsaID != "" && (len(bsaID) > 14 || !isDigits(bsaID)) {
			return docket.Invalid("bsa-id", "a BSA ID is up to 14 digits")
		}
		switch {
		case x.Status == docket.SARApproved:
			x.Status, x.FiledAt = docket.SARFiled, &tx.now
		case x.Status == docket.SARFiled && x.BSAID == nil && bsaID != "":
		default:
			return &docket.Error{Code: docket.EConflict, Field: "status", Message: fmt.Sprintf(
				"SAR %s is %s: only an approved report is filed (and a filed one takes its BSA ID once)", x.ID, x.Status)}
		}
		if bsaID != "" {
			x.BSAID = &bsaID
		}
		return nil
	})
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// checkSAR applies the registered rules with the current settings.
func (s *Store) checkSAR(ctx context.Context, tx *Tx, x *docket.SAR) error {
	if s.sarRules == nil {
		return errNoSARRules
	}
	settings, err := sarSettings(ctx, tx.reader())
	if err != nil {
		return err
	}
	if p := s.sarRules.Problems(x, settings); len(p) > 0 {
		return &docket.SARProblems{Problems: p}
	}
	return nil
}

// changeSAR applies fn to a SAR under its row lock, saves it and records event.
func (s *Store) changeSAR(ctx context.Context, actor docket.Actor, id, event string, fn func(tx *Tx, x *docket.SAR) error) (*docket.SAR, error) {
	var x *docket.SAR
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if x, err = findSAR(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if err := fn(tx, x); err != nil {
			return err
		}
		x.UpdatedAt = tx.now
		report, sources, err := jsonArgs(x.Report, x.Sources)
		if err != nil {
			return err
		}
		apType, apID := actorArgs(x.ApprovedBy)
		if _, err := tx.exec(ctx, `UPDATE sars SET status = ?, report = ?, sources = ?, approved_by_type = ?, approved_by_id = ?,
			approved_at = ?, filed_at = ?, bsa_id = ?, updated_at = ? WHERE id = ?`, x.Status, report, sources, apType, apID,
			msPtr(x.ApprovedAt), msPtr(x.FiledAt), x.BSAID, ms(tx.now), x.ID); err != nil {
			return fmt.Errorf("update sar %s: %w", id, err)
		}
		_, err = recordEvent(ctx, tx, actor, event, docket.KindSAR.Type, x.ID, x)
		return err
	})
	return x, err
}

// SARSettings returns the filing settings (empty ones before an administrator saves any).
func (s *Store) SARSettings(ctx context.Context) (*docket.SARSettings, error) {
	return sarSettings(ctx, s.reader())
}

func sarSettings(ctx context.Context, q querier) (*docket.SARSettings, error) {
	var b []byte
	var updated int64
	err := q.QueryRowContext(ctx, `SELECT settings, updated_at FROM sar_settings WHERE id = 1`).Scan(&b, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return &docket.SARSettings{CategoryField: "rules-violated", CategoryMap: []docket.SARCategoryMapping{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read sar settings: %w", err)
	}
	var st docket.SARSettings
	if err := decodeJSON(b, &st); err != nil {
		return nil, err
	}
	st.UpdatedAt = fromMS(updated)
	return &st, nil
}

// SetSARSettings replaces the filing settings. Incomplete settings are kept (they are
// entered over time); the rules report what is missing when a SAR is validated.
func (s *Store) SetSARSettings(ctx context.Context, actor docket.Actor, st *docket.SARSettings) error {
	if st.CategoryMap == nil {
		st.CategoryMap = []docket.SARCategoryMapping{}
	}
	return s.write(ctx, func(tx *Tx) error {
		st.UpdatedAt = tx.now
		b, err := jsonArg(st)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE sar_settings SET settings = ?, updated_at = ? WHERE id = 1`, b, ms(tx.now))
		if err != nil {
			return fmt.Errorf("update sar settings: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.exec(ctx, `INSERT INTO sar_settings (id, settings, updated_at) VALUES (1, ?, ?)`, b, ms(tx.now)); err != nil {
				return fmt.Errorf("insert sar settings: %w", err)
			}
		}
		return nil
	})
}
