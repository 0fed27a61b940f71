package workflow

import (
	"context"
	"encoding/json"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// Rules are the workflow checks the store applies while it saves workflows and starts
// runs (store.WorkflowRules), registered at start with store.UseWorkflowRules.
type Rules struct {
	// AllowHTTP reports whether https-request steps may call a host over plain http, as
	// webhooks may (DOCKET_WEBHOOK_ALLOW_HTTP); nil allows no host.
	AllowHTTP func(host string) bool
}

// Validate checks a definition (see the package function Validate).
func (r Rules) Validate(def *docket.WorkflowDefinition, field string) error {
	return Validate(def, field, r.AllowHTTP)
}

// NextRun is a schedule's next time after t (see NextSchedule).
func (Rules) NextRun(schedule string, t time.Time) (time.Time, error) {
	return NextSchedule(schedule, t)
}

// MaskSecrets returns a copy of def with its secrets masked (see MaskSecrets).
func (Rules) MaskSecrets(def docket.WorkflowDefinition) docket.WorkflowDefinition {
	return MaskSecrets(def)
}

// RestoreSecrets puts back the secrets that next sends masked (see RestoreSecrets).
func (Rules) RestoreSecrets(prev, next *docket.WorkflowDefinition, field string) error {
	return RestoreSecrets(prev, next, field)
}

// TriggerObject is an object's snapshot with the relations a run's expressions may
// look at, read in tx.
func (Rules) TriggerObject(ctx context.Context, tx *store.Tx, objectType string, snapshot json.RawMessage) (map[string]any, error) {
	return triggerObject(ctx, tx, objectType, snapshot)
}
