package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/docket-hq/docket"
)

const versionCols = `workflow_id, version, definition, published_at`

// scanVersion reads a published version, its secrets masked as every read shows them.
func (s *Store) scanVersion(row scanner) (*docket.WorkflowVersion, error) {
	var v docket.WorkflowVersion
	var def []byte
	var published int64
	if err := row.Scan(&v.WorkflowID, &v.Version, &def, &published); err != nil {
		return nil, err
	}
	if err := decodeJSON(def, &v.Definition); err != nil {
		return nil, fmt.Errorf("workflow %s version %d: %w", v.WorkflowID, v.Version, err)
	}
	if s.workflowRules != nil {
		v.Definition = s.workflowRules.MaskSecrets(v.Definition)
	}
	v.PublishedAt = fromMS(published)
	return &v, nil
}

// ListWorkflowVersions returns a page of a workflow's published versions, newest first,
// their secrets masked. The page's cursors are version numbers.
func (s *Store) ListWorkflowVersions(ctx context.Context, workflowID string, p docket.Page) ([]*docket.WorkflowVersion, docket.PageResult, error) {
	if _, err := findWorkflow(ctx, s.reader(), workflowID, ""); err != nil {
		return nil, docket.PageResult{}, err
	}
	where, args := []string{"workflow_id = ?"}, []any{workflowID}
	order := "DESC"
	for _, c := range []struct{ name, cursor, op string }{{"page[after]", p.After, "<"}, {"page[before]", p.Before, ">"}} {
		if c.cursor == "" {
			continue
		}
		n, err := strconv.Atoi(c.cursor)
		if err != nil || n < 1 {
			return nil, docket.PageResult{}, docket.Invalid(c.name, "%s must be a version number", c.name)
		}
		where, args = append(where, "version "+c.op+" ?"), append(args, n)
		if c.op == ">" {
			order = "ASC"
		}
	}
	q := `SELECT ` + versionCols + ` FROM workflow_versions WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY version ` + order + fmt.Sprintf(" LIMIT %d", pageSize(p)+1)
	items, r, err := queryPage(ctx, s.reader(), q, args, p, s.scanVersion)
	if err != nil {
		return nil, r, fmt.Errorf("list versions of workflow %s: %w", workflowID, err)
	}
	return items, r, nil
}

// FindWorkflowVersion returns one published version, its secrets masked.
func (s *Store) FindWorkflowVersion(ctx context.Context, workflowID string, version int) (*docket.WorkflowVersion, error) {
	if _, err := findWorkflow(ctx, s.reader(), workflowID, ""); err != nil {
		return nil, err
	}
	v, err := s.scanVersion(s.reader().QueryRowContext(ctx, `SELECT `+versionCols+` FROM workflow_versions
		WHERE workflow_id = ? AND version = ?`, workflowID, version))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.Errorf(docket.ENotFound, "workflow %s has no version %d", workflowID, version)
	}
	if err != nil {
		return nil, fmt.Errorf("find workflow %s version %d: %w", workflowID, version, err)
	}
	return v, nil
}
