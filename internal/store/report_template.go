package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/docket-hq/docket"
)

// Report templates are configuration: their changes write no events.

const reportTemplateCols = `id, name, report_type, threshold, watchlist_ids, created_at, updated_at`

func scanReportTemplate(row scanner) (*docket.ReportTemplate, error) {
	var t docket.ReportTemplate
	var lists []byte
	var created, updated int64
	if err := row.Scan(&t.ID, &t.Name, &t.Type, &t.Threshold, &lists, &created, &updated); err != nil {
		return nil, err
	}
	if err := decodeJSON(lists, &t.ListIDs); err != nil {
		return nil, err
	}
	t.CreatedAt, t.UpdatedAt = fromMS(created), fromMS(updated)
	return &t, nil
}

// CreateReportTemplate validates and stores a template; its lists must exist.
func (s *Store) CreateReportTemplate(ctx context.Context, t *docket.ReportTemplate) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := checkWatchlists(ctx, tx, t.ListIDs); err != nil {
			return err
		}
		lists, err := jsonArg(t.ListIDs)
		if err != nil {
			return err
		}
		t.ID, t.CreatedAt, t.UpdatedAt = docket.NewID(docket.PrefixReportTemplate), tx.now, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO report_templates (`+reportTemplateCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.Name, t.Type, t.Threshold, lists, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert report template: %w", err)
		}
		return nil
	})
}

func checkWatchlists(ctx context.Context, tx *Tx, ids []string) error {
	for _, id := range ids {
		if _, err := findWatchlist(ctx, tx.reader(), id, ""); docket.ErrorCode(err) == docket.ENotFound {
			return docket.Invalid("watchlist-ids", "watch list %s does not exist", id)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// FindReportTemplate returns one template.
func (s *Store) FindReportTemplate(ctx context.Context, id string) (*docket.ReportTemplate, error) {
	return findReportTemplate(ctx, s.reader(), id, "")
}

func findReportTemplate(ctx context.Context, q querier, id, lock string) (*docket.ReportTemplate, error) {
	t, err := scanReportTemplate(q.QueryRowContext(ctx, `SELECT `+reportTemplateCols+` FROM report_templates WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("report template", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find report template %s: %w", id, err)
	}
	return t, nil
}

// ListReportTemplates returns every template by name.
func (s *Store) ListReportTemplates(ctx context.Context) ([]*docket.ReportTemplate, error) {
	out, err := queryAll(ctx, s.reader(), `SELECT `+reportTemplateCols+` FROM report_templates ORDER BY name, id`, nil, scanReportTemplate)
	if err != nil {
		return nil, fmt.Errorf("list report templates: %w", err)
	}
	return out, nil
}

// UpdateReportTemplate renames a template or changes its threshold or lists.
func (s *Store) UpdateReportTemplate(ctx context.Context, id string, u docket.ReportTemplateUpdate) (*docket.ReportTemplate, error) {
	var t *docket.ReportTemplate
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if t, err = findReportTemplate(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if u.Name != nil {
			t.Name = *u.Name
		}
		if u.Threshold != nil {
			t.Threshold = *u.Threshold
			if t.Threshold == 0 {
				return docket.Invalid("threshold", "threshold must be between 0.5 and 1")
			}
		}
		if u.ListIDs != nil {
			t.ListIDs = *u.ListIDs
		}
		if err := t.Validate(); err != nil {
			return err
		}
		if err := checkWatchlists(ctx, tx, t.ListIDs); err != nil {
			return err
		}
		lists, err := jsonArg(t.ListIDs)
		if err != nil {
			return err
		}
		t.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE report_templates SET name = ?, threshold = ?, watchlist_ids = ?, updated_at = ? WHERE id = ?`,
			t.Name, t.Threshold, lists, ms(tx.now), id); err != nil {
			return fmt.Errorf("update report template %s: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}
