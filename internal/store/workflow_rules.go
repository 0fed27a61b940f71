package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/docket-hq/docket"
)

// WorkflowRules are the workflow package's rules that the store applies while it saves
// workflows and starts runs. They are registered at start with UseWorkflowRules, so that
// the store imports no feature package.
type WorkflowRules interface {
	// Validate checks a definition before it is saved; the error names a field below
	// field, the definition's own path (see docket.Error).
	Validate(def *docket.WorkflowDefinition, field string) error
	// NextRun is the first time after t that a cron schedule names.
	NextRun(schedule string, t time.Time) (time.Time, error)
	// MaskSecrets returns a copy of a definition whose secret values (credentials of
	// other systems) read as docket.MaskedSecret. The store returns and records in events
	// only masked definitions: the values reach nothing but the engine.
	MaskSecrets(def docket.WorkflowDefinition) docket.WorkflowDefinition
	// RestoreSecrets replaces the masks that next, a definition sent to replace prev (nil
	// for a new workflow), holds with prev's values; a mask it cannot restore is an error
	// naming a field below field.
	RestoreSecrets(prev, next *docket.WorkflowDefinition, field string) error
	// TriggerObject is what a run's expressions see as its trigger: the object's snapshot
	// with the relations conditions may look at, read in tx.
	TriggerObject(ctx context.Context, tx *Tx, objectType string, snapshot json.RawMessage) (map[string]any, error)
}

// UseWorkflowRules registers the workflow rules. Register them at start, before the
// store is used.
func (s *Store) UseWorkflowRules(r WorkflowRules) { s.workflowRules = r }

// errNoWorkflowRules is what workflow writes return on a store opened without rules:
// saving a definition unchecked would let a broken workflow in.
var errNoWorkflowRules = errors.New("store: no workflow rules registered (UseWorkflowRules)")

// rules returns the registered workflow rules.
func (s *Store) rules() (WorkflowRules, error) {
	if s.workflowRules == nil {
		return nil, errNoWorkflowRules
	}
	return s.workflowRules, nil
}
