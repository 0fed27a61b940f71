package store

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// ActiveWorkflowsFor returns the active workflows whose published version is triggered
// by one of the events named, oldest first.
func (t *Tx) ActiveWorkflowsFor(ctx context.Context, events []string) ([]*docket.Workflow, error) {
	if len(events) == 0 {
		return nil, nil
	}
	ws, err := queryAll(ctx, t.reader(), `SELECT `+workflowCols+` FROM workflows
		WHERE status = '`+docket.WorkflowActive+`' AND trigger_event IN (`+placeholders(len(events))+`) ORDER BY id`, anys(events), scanWorkflow)
	if err != nil {
		return nil, fmt.Errorf("find triggered workflows: %w", err)
	}
	return ws, nil
}

// WorkflowVersion returns a published version's definition.
func (t *Tx) WorkflowVersion(ctx context.Context, workflowID string, version int) (*docket.WorkflowDefinition, error) {
	return t.s.workflowVersion(ctx, t.reader(), workflowID, version)
}
