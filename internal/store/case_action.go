package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/docket-hq/docket"
)

// CaseActions returns the active case-action workflows offered on cases of the template,
// by name. Workflows are few; the published definitions come from the version cache.
func (s *Store) CaseActions(ctx context.Context, templateID string) ([]*docket.CaseAction, error) {
	list, err := queryAll(ctx, s.reader(), `SELECT `+workflowCols+` FROM workflows
		WHERE status = ? AND trigger_type = ? ORDER BY name, id`,
		[]any{docket.WorkflowActive, docket.TriggerCaseAction}, scanWorkflow)
	if err != nil {
		return nil, fmt.Errorf("list case actions: %w", err)
	}
	out := []*docket.CaseAction{}
	for _, w := range list {
		def, err := s.workflowVersion(ctx, s.reader(), w.ID, w.Version)
		if err != nil {
			return nil, err
		}
		if ids := def.Trigger.CaseTemplateIDs; len(ids) > 0 && !slices.Contains(ids, templateID) {
			continue
		}
		out = append(out, &docket.CaseAction{Workflow: w, Trigger: def.Trigger})
		if len(out) == docket.MaxCaseActions {
			break
		}
	}
	return out, nil
}
