package docket

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// Workflow statuses. A workflow is edited as a draft; publishing freezes the draft as a
// numbered version and makes the workflow active; pausing stops new runs (runs already
// started finish on the version they started with).
const (
	WorkflowDraft    = "draft"
	WorkflowActive   = "active"
	WorkflowPaused   = "paused"
	WorkflowArchived = "archived"
)

// Trigger types.
const (
	TriggerEvent      = "event"       // an event, with an optional condition on its object
	TriggerAPI        = "api"         // POST /workflows/{id}/trigger with a JSON input
	TriggerCaseAction = "case-action" // a reviewer runs it on one case
	TriggerSchedule   = "schedule"    // a cron expression
)

// Step types.
const (
	StepAction      = "action"
	StepConditional = "conditional"
	StepWait        = "wait"
)

// StepEnd, as a step's next, ends the run.
const StepEnd = "end"

// Workflow run statuses.
const (
	RunRunning   = "running"
	RunWaiting   = "waiting"
	RunCompleted = "completed"
	RunErrored   = "errored"
)

// Statuses of one step's record in a run.
const (
	StepRunCompleted = "completed"
	StepRunErrored   = "errored"
	StepRunWaiting   = "waiting"
)

// Events about workflow runs.
const (
	EventWorkflowRunCreated   = "workflow-run.created"
	EventWorkflowRunCompleted = "workflow-run.completed"
	EventWorkflowRunErrored   = "workflow-run.errored"
)

// Events about workflows themselves.
const (
	EventWorkflowCreated   = "workflow.created"
	EventWorkflowUpdated   = "workflow.updated"
	EventWorkflowPublished = "workflow.published"
	EventWorkflowPaused    = "workflow.paused"
	EventWorkflowArchived  = "workflow.archived"
)

// MaskedSecret stands for a secret wherever Docket shows a value it only writes: a
// workflow's https-request header values (in definitions, events and run records) and
// webhooks' custom header values in events. Sent back in a workflow definition, it
// keeps the value it stands for.
const MaskedSecret = "[redacted]"

// Limits on a definition, so that one workflow cannot hog the workers.
const (
	MaxWorkflowSteps  = 50
	MaxWorkflowRoutes = 20
	MaxWaitTimeout    = 90 * 24 * time.Hour
	// MaxRunDepth bounds chains of runs started by other runs' writes (a workflow that
	// reacts to its own changes): the run that would be deeper is not started.
	MaxRunDepth = 5
)

// Workflow automates work on cases and the objects they gather. Definition is the draft
// being edited; Version is the newest published version (0 if none), the one that runs.
type Workflow struct {
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Description string             `json:"description"`
	Status      string             `json:"status"`
	Definition  WorkflowDefinition `json:"definition"`
	Version     int                `json:"version"`
	PublishedAt *time.Time         `json:"published-at"`
	CreatedAt   time.Time          `json:"created-at"`
	UpdatedAt   time.Time          `json:"updated-at"`
	// NextRunAt is when a schedule-triggered workflow runs next.
	NextRunAt *time.Time `json:"next-run-at"`
}

// WorkflowDefinition is what a version freezes: the trigger and the steps.
type WorkflowDefinition struct {
	Trigger Trigger        `json:"trigger"`
	Steps   []WorkflowStep `json:"steps"`
}

// Trigger says when a workflow runs.
type Trigger struct {
	Type string `json:"type"`
	// Event is the event name an event trigger waits for.
	Event string `json:"event,omitempty"`
	// Condition, if set, must hold for the trigger object (an expression).
	Condition string `json:"condition,omitempty"`
	// InputSchema types the input of api and case-action triggers (template field types).
	InputSchema []FieldSchema `json:"input-schema,omitempty"`
	// Schedule is a cron expression (five fields, or @hourly, @every 15m, ...) in UTC.
	Schedule string `json:"schedule,omitempty"`
	// CaseTemplateIDs limits a case-action to cases of these templates (empty: any).
	CaseTemplateIDs []string `json:"case-template-ids,omitempty"`
}

// WorkflowStep is one step. Steps run in order; Next jumps forward to a later step (or
// "end"), so a run never repeats a step.
type WorkflowStep struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Next string `json:"next,omitempty"`
	// Action and Params for action steps. A string parameter that starts with "=" is an
	// expression, evaluated when the step runs.
	Action string         `json:"action,omitempty"`
	Params map[string]any `json:"params,omitempty"`
	// Routes of a conditional step, tried in order.
	Routes []Route `json:"routes,omitempty"`
	// Wait steps: the event to wait for on the object ObjectID evaluates to, an optional
	// condition on that event's object, the timeout and the step to go to on timeout.
	Event     string `json:"event,omitempty"`
	ObjectID  string `json:"object-id,omitempty"`
	Condition string `json:"condition,omitempty"`
	Timeout   string `json:"timeout,omitempty"`
	OnTimeout string `json:"on-timeout,omitempty"`
}

// Route is one branch of a conditional step; no condition makes it the catch-all.
type Route struct {
	Condition string `json:"condition,omitempty"`
	Next      string `json:"next"`
}

// WorkflowVersion is a published version of a workflow: the definition as it was frozen
// when it was published. Versions never change; runs keep the version they started with.
type WorkflowVersion struct {
	WorkflowID  string             `json:"workflow-id"`
	Version     int                `json:"version"`
	Definition  WorkflowDefinition `json:"definition"`
	PublishedAt time.Time          `json:"published-at"`
}

// ParseVersion reads a version number as written in an address or a cursor: a whole
// number from 1, in its plain form ("3", not "03" or "+3").
func ParseVersion(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && strconv.Itoa(n) == s
}

// stepCommonKeys and stepTypeKeys list the keys a step may have in a definition.
var (
	stepCommonKeys = []string{"id", "type", "next"}
	stepTypeKeys   = map[string][]string{
		StepAction:      {"action", "params"},
		StepConditional: {"routes"},
		StepWait:        {"event", "object-id", "condition", "timeout", "on-timeout"},
	}
)

// StepKeys lists the keys a step of type typ may have in a definition: every step's, then
// its type's own. A key of another type's step (a condition on an action step) means
// nothing there, so front ends refuse it rather than drop it silently. For an unknown
// type it lists every type's keys (validation then reports the type).
func StepKeys(typ string) []string {
	keys := slices.Clone(stepCommonKeys)
	if own, ok := stepTypeKeys[typ]; ok {
		return append(keys, own...)
	}
	for _, t := range []string{StepAction, StepConditional, StepWait} {
		keys = append(keys, stepTypeKeys[t]...)
	}
	return keys
}

// NewWorkflow describes a workflow to create.
type NewWorkflow struct {
	Name        string
	Description string
	Definition  WorkflowDefinition
}

// WorkflowUpdate holds what a PATCH may change; a new definition replaces the draft.
type WorkflowUpdate struct {
	Name        *string
	Description *string
	Definition  *WorkflowDefinition
}

// WorkflowFilter narrows a workflow list.
type WorkflowFilter struct {
	Status string
	Page   Page
}

// WorkflowRun is one execution of a published workflow version.
type WorkflowRun struct {
	ID         string     `json:"id"`
	WorkflowID string     `json:"workflow-id"`
	Version    int        `json:"version"`
	Status     string     `json:"status"`
	Trigger    RunTrigger `json:"trigger"`
	// Input is the API or case-action input.
	Input map[string]any `json:"input"`
	// Depth counts the runs whose writes led to this one (0: started by a person or system).
	Depth       int       `json:"depth"`
	CurrentStep string    `json:"current-step"`
	Steps       []StepRun `json:"steps"`
	Error       *string   `json:"error"`
	// A waiting run waits for the event WaitEvent on the object WaitObjectID until WaitUntil.
	WaitEvent    string     `json:"wait-event,omitempty"`
	WaitObjectID string     `json:"wait-object-id,omitempty"`
	WaitUntil    *time.Time `json:"wait-until"`
	Creator      Actor      `json:"creator"`
	CreatedAt    time.Time  `json:"created-at"`
	UpdatedAt    time.Time  `json:"updated-at"`
	CompletedAt  *time.Time `json:"completed-at"`
	// RedactedAt is when a redaction erased the run's data (a redacted object's personal
	// data may have reached any of it): ids, statuses and times remain.
	RedactedAt *time.Time `json:"redacted-at"`
}

// RunTrigger records what started a run: the trigger type, the event, and the object the
// run is about (the event's object or the case of a case-action).
type RunTrigger struct {
	Type       string          `json:"type"`
	EventID    string          `json:"event-id,omitempty"`
	EventName  string          `json:"event-name,omitempty"`
	ObjectType string          `json:"object-type,omitempty"`
	ObjectID   string          `json:"object-id,omitempty"`
	Object     json.RawMessage `json:"object,omitempty"`
}

// StepRun records one step's execution.
type StepRun struct {
	StepID     string     `json:"step-id"`
	Type       string     `json:"type"`
	Status     string     `json:"status"` // StepRunCompleted, StepRunErrored or StepRunWaiting
	Attempts   int        `json:"attempts"`
	Input      any        `json:"input"`
	Output     any        `json:"output"`
	Error      *string    `json:"error"`
	StartedAt  time.Time  `json:"started-at"`
	FinishedAt *time.Time `json:"finished-at"`
}

// RunStart asks for a run of an api trigger (Input) or a case-action (CaseID and Input).
type RunStart struct {
	TriggerType string
	CaseID      string
	Input       map[string]any
}

// WorkflowRunFilter narrows a run list.
type WorkflowRunFilter struct {
	WorkflowID string
	Status     string
	ObjectID   string
	Page       Page
}

// FinishWait completes the waiting step's record with output and sets the run running.
func (r *WorkflowRun) FinishWait(output any, now time.Time) {
	for i := len(r.Steps) - 1; i >= 0; i-- {
		if s := &r.Steps[i]; s.StepID == r.CurrentStep && s.Status == StepRunWaiting {
			s.Status, s.Output, s.FinishedAt = StepRunCompleted, output, &now
			break
		}
	}
	r.Status, r.WaitUntil, r.WaitEvent, r.WaitObjectID = RunRunning, nil, "", ""
}

// Step finds a step of the definition by id.
func (d *WorkflowDefinition) Step(id string) (*WorkflowStep, int) {
	for i := range d.Steps {
		if d.Steps[i].ID == id {
			return &d.Steps[i], i
		}
	}
	return nil, -1
}

// After returns the step that follows step i when it names no next ("" ends the run).
func (d *WorkflowDefinition) After(i int) string {
	s := d.Steps[i]
	if s.Next != "" {
		if s.Next == StepEnd {
			return ""
		}
		return s.Next
	}
	if i+1 < len(d.Steps) {
		return d.Steps[i+1].ID
	}
	return ""
}

// FirstStep is where a run starts ("" for a workflow with no steps).
func (d *WorkflowDefinition) FirstStep() string {
	if len(d.Steps) == 0 {
		return ""
	}
	return d.Steps[0].ID
}

// WorkflowService manages workflows and reads their runs.
type WorkflowService interface {
	CreateWorkflow(ctx context.Context, actor Actor, n NewWorkflow) (*Workflow, error)
	FindWorkflow(ctx context.Context, id string) (*Workflow, error)
	ListWorkflows(ctx context.Context, f WorkflowFilter) ([]*Workflow, PageResult, error)
	UpdateWorkflow(ctx context.Context, actor Actor, id string, u WorkflowUpdate) (*Workflow, error)
	PublishWorkflow(ctx context.Context, actor Actor, id string) (*Workflow, error)
	// ListWorkflowVersions returns a page of a workflow's published versions, newest
	// first; the page's cursors are version numbers ("3").
	ListWorkflowVersions(ctx context.Context, workflowID string, p Page) ([]*WorkflowVersion, PageResult, error)
	// FindWorkflowVersion returns one published version.
	FindWorkflowVersion(ctx context.Context, workflowID string, version int) (*WorkflowVersion, error)
	PauseWorkflow(ctx context.Context, actor Actor, id string) (*Workflow, error)
	ArchiveWorkflow(ctx context.Context, actor Actor, id string) (*Workflow, error)
	// StartWorkflowRun runs an api or case-action workflow now: its published version,
	// with the input checked against the trigger's input schema.
	StartWorkflowRun(ctx context.Context, actor Actor, workflowID string, start RunStart) (*WorkflowRun, error)
	FindWorkflowRun(ctx context.Context, id string) (*WorkflowRun, error)
	ListWorkflowRuns(ctx context.Context, f WorkflowRunFilter) ([]*WorkflowRun, PageResult, error)
}
