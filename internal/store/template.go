package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/docket-hq/docket"
)

const templateCols = `id, name, key, status, statuses, field_schemas, assignment_policy, notification_policy,
	sla_seconds, visible_to_roles, created_at, updated_at, archived_at, four_eyes_statuses, sar`

func scanTemplate(row scanner) (*docket.CaseTemplate, error) {
	var t docket.CaseTemplate
	var statuses, schemas, assign, notify, roles, fourEyes []byte
	var sla sql.NullInt64
	var created, updated int64
	var archived sql.NullInt64
	if err := row.Scan(&t.ID, &t.Name, &t.Key, &t.Status, &statuses, &schemas, &assign, &notify,
		&sla, &roles, &created, &updated, &archived, &fourEyes, &t.SAR); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		b []byte
		v any
	}{{statuses, &t.Statuses}, {schemas, &t.FieldSchemas}, {assign, &t.AssignmentPolicy}, {notify, &t.NotificationPolicy}, {roles, &t.VisibleToRoles}, {fourEyes, &t.FourEyesStatuses}} {
		if err := decodeJSON(c.b, c.v); err != nil {
			return nil, fmt.Errorf("template %s: %w", t.ID, err)
		}
	}
	if sla.Valid {
		t.SLASeconds = &sla.Int64
	}
	t.CreatedAt, t.UpdatedAt, t.ArchivedAt = fromMS(created), fromMS(updated), fromNullMS(archived)
	return &t, nil
}

// templateArgs returns the JSON-encoded policy columns of t: statuses, field schemas,
// assignment and notification policies, visible-to-roles and four-eyes statuses.
func templateArgs(t *docket.CaseTemplate) ([]any, error) {
	var out []any
	for _, v := range []any{t.Statuses, t.FieldSchemas, t.AssignmentPolicy, t.NotificationPolicy, t.VisibleToRoles, t.FourEyesStatuses} {
		s, err := jsonArg(v)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// CreateTemplate validates and stores a new case template.
func (s *Store) CreateTemplate(ctx context.Context, actor docket.Actor, t *docket.CaseTemplate) error {
	t.ApplyDefaults()
	if err := t.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := checkUsersExist(ctx, tx, t.AssignmentPolicy.UserIDs, "assignment-policy.user-ids"); err != nil {
			return err
		}
		t.ID = docket.NewID(docket.PrefixTemplate)
		t.CreatedAt, t.UpdatedAt = tx.now, tx.now
		js, err := templateArgs(t)
		if err != nil {
			return err
		}
		args := append([]any{t.ID, t.Name, t.Key, t.Status}, js[:4]...)
		args = append(args, t.SLASeconds, js[4], ms(tx.now), ms(tx.now), js[5], t.SAR)
		_, err = tx.exec(ctx, `INSERT INTO case_templates (id, name, key, status, statuses, field_schemas,
			assignment_policy, notification_policy, sla_seconds, visible_to_roles, created_at, updated_at, four_eyes_statuses, sar)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if isUniqueViolation(err) {
			return docket.Invalid("key", "a case template with key %q already exists", t.Key)
		}
		if err != nil {
			return fmt.Errorf("insert case template: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventTemplateCreated, "case-template", t.ID, t)
		return err
	})
}

// FindTemplate returns one case template.
func (s *Store) FindTemplate(ctx context.Context, id string) (*docket.CaseTemplate, error) {
	return findTemplate(ctx, s.reader(), id, "")
}

func findTemplate(ctx context.Context, q querier, id, lock string) (*docket.CaseTemplate, error) {
	t, err := scanTemplate(q.QueryRowContext(ctx, `SELECT `+templateCols+` FROM case_templates WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("case template", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find case template %s: %w", id, err)
	}
	return t, nil
}

// FindTemplates returns the templates with the given ids (missing ones are skipped).
func (s *Store) FindTemplates(ctx context.Context, ids []string) ([]*docket.CaseTemplate, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, s.reader(), `SELECT `+templateCols+` FROM case_templates WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids), scanTemplate)
	if err != nil {
		return nil, fmt.Errorf("find case templates: %w", err)
	}
	return out, nil
}

// ListTemplates returns a page of templates, newest first.
func (s *Store) ListTemplates(ctx context.Context, f docket.CaseTemplateFilter) ([]*docket.CaseTemplate, docket.PageResult, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Visibility.Restricted() {
		where = append(where, "id NOT IN ("+placeholders(len(f.Visibility.HiddenTemplateIDs))+")")
		args = append(args, anys(f.Visibility.HiddenTemplateIDs)...)
	}
	q, args := listSQL(`SELECT `+templateCols+` FROM case_templates`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanTemplate)
	if err != nil {
		return nil, r, fmt.Errorf("list case templates: %w", err)
	}
	return items, r, nil
}

// UpdateTemplate changes a template. A status that open cases are in cannot be removed,
// nor one that any case is in retyped in a way that strands it (docket.CheckStatusUpdate).
func (s *Store) UpdateTemplate(ctx context.Context, actor docket.Actor, id string, u docket.CaseTemplateUpdate) (*docket.CaseTemplate, error) {
	var t *docket.CaseTemplate
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if t, err = findTemplate(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		old := append([]docket.Status(nil), t.Statuses...)
		applyTemplateUpdate(t, u)
		if err := t.Validate(); err != nil {
			return err
		}
		if err := checkStatusesInUse(ctx, tx, t, old); err != nil {
			return err
		}
		if err := checkUsersExist(ctx, tx, t.AssignmentPolicy.UserIDs, "assignment-policy.user-ids"); err != nil {
			return err
		}
		t.UpdatedAt = tx.now
		js, err := templateArgs(t)
		if err != nil {
			return err
		}
		args := append([]any{t.Name}, js[:4]...)
		args = append(args, t.SLASeconds, js[4], ms(tx.now), js[5], t.SAR, t.ID)
		if _, err := tx.exec(ctx, `UPDATE case_templates SET name = ?, statuses = ?, field_schemas = ?,
			assignment_policy = ?, notification_policy = ?, sla_seconds = ?, visible_to_roles = ?, updated_at = ?,
			four_eyes_statuses = ?, sar = ? WHERE id = ?`, args...); err != nil {
			return fmt.Errorf("update case template %s: %w", id, err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventTemplateUpdated, "case-template", t.ID, t)
		return err
	})
	return t, err
}

func applyTemplateUpdate(t *docket.CaseTemplate, u docket.CaseTemplateUpdate) {
	if u.Name != nil {
		t.Name = *u.Name
	}
	if u.Statuses != nil {
		t.Statuses = *u.Statuses
	}
	if u.FieldSchemas != nil {
		t.FieldSchemas = *u.FieldSchemas
	}
	if u.AssignmentPolicy != nil {
		t.AssignmentPolicy = *u.AssignmentPolicy
	}
	if u.NotificationPolicy != nil {
		t.NotificationPolicy = *u.NotificationPolicy
	}
	if u.SLASeconds != nil {
		t.SLASeconds = *u.SLASeconds
	}
	if u.VisibleToRoles != nil {
		t.VisibleToRoles = *u.VisibleToRoles
	}
	if u.FourEyesStatuses != nil {
		t.FourEyesStatuses = *u.FourEyesStatuses
	}
	if u.SAR != nil {
		t.SAR = *u.SAR
	}
	t.ApplyDefaults()
}

// checkStatusesInUse applies docket.CheckStatusUpdate with the template's cases, counted
// under the template's row lock: a case changing status holds that row too (mutateCase),
// so none can move into a status while it is being removed.
func checkStatusesInUse(ctx context.Context, tx *Tx, t *docket.CaseTemplate, old []docket.Status) error {
	return docket.CheckStatusUpdate(old, t.Statuses, func(status string) (docket.StatusUse, error) {
		var n docket.StatusUse
		err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN resolved_at IS NULL AND redacted_at IS NULL THEN 1 ELSE 0 END), 0)
			FROM cases WHERE template_id = ? AND status = ?`, t.ID, status).Scan(&n.All, &n.Open)
		return n, err
	})
}

// ArchiveTemplate stops new cases from using a template; existing cases are untouched.
func (s *Store) ArchiveTemplate(ctx context.Context, actor docket.Actor, id string) (*docket.CaseTemplate, error) {
	var t *docket.CaseTemplate
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if t, err = findTemplate(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if t.Status == docket.TemplateArchived {
			return nil
		}
		t.Status, t.UpdatedAt, t.ArchivedAt = docket.TemplateArchived, tx.now, &tx.now
		if _, err := tx.exec(ctx, `UPDATE case_templates SET status = ?, updated_at = ?, archived_at = ? WHERE id = ?`,
			t.Status, ms(tx.now), ms(tx.now), id); err != nil {
			return fmt.Errorf("archive case template %s: %w", id, err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventTemplateArchived, "case-template", t.ID, t)
		return err
	})
	return t, err
}

// checkUsersExist reports the first id that names no user.
func checkUsersExist(ctx context.Context, tx *Tx, ids []string, field string) error {
	for i, id := range ids {
		var one int
		err := tx.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return docket.Invalid(docket.FieldIndex(field, i), "user %s does not exist", id)
		}
		if err != nil {
			return fmt.Errorf("check user %s: %w", id, err)
		}
	}
	return nil
}
