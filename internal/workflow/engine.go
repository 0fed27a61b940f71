package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

// RunStore keeps runs: it locks one inside a transaction, saves it, and queues its jobs.
type RunStore interface {
	Store
	Atomically(ctx context.Context, fn func(ctx context.Context) error) error
	// LockWorkflowRun reads a run and its version's definition, locking the run until
	// the transaction ends (inside Atomically) or without a lock (outside).
	LockWorkflowRun(ctx context.Context, id string) (*docket.WorkflowRun, *docket.WorkflowDefinition, error)
	// SaveWorkflowRun writes a run back (with the event named, if any).
	SaveWorkflowRun(ctx context.Context, r *docket.WorkflowRun, event string) error
	// InsertJobs queues jobs (a wait's timeout) in the transaction.
	InsertJobs(ctx context.Context, params []river.InsertManyParams) error
}

// Engine runs workflow steps as River jobs.
type Engine struct {
	river.WorkerDefaults[jobs.WorkflowRun]
	store RunStore
	http  Doer
	log   *slog.Logger
	// RetryBase is the wait before a failed step's second try; it doubles after.
	RetryBase time.Duration
	// AllowHTTP reports whether https-request steps may call a host over plain http (the
	// rule Rules.AllowHTTP applies when a workflow is saved); nil allows no host.
	AllowHTTP func(host string) bool
}

// NewEngine returns the workflow worker. httpClient sends https-request actions.
func NewEngine(s RunStore, httpClient Doer, log *slog.Logger) *Engine {
	return &Engine{store: s, http: httpClient, log: log, RetryBase: 2 * time.Second}
}

// NextRetry backs off from RetryBase, doubling.
func (e *Engine) NextRetry(job *river.Job[jobs.WorkflowRun]) time.Time {
	return time.Now().Add(e.RetryBase << min(max(job.Attempt-1, 0), 10))
}

// errStop ends the job's loop: the run waits, ended, or another job moved it on.
var errStop = errors.New("stop")

// Work advances the run until it waits or ends. Each step commits in its own transaction
// together with the run's record, so a crash repeats at most the step in flight, and that
// step's database changes were rolled back with it.
func (e *Engine) Work(ctx context.Context, job *river.Job[jobs.WorkflowRun]) error {
	if job.Args.TimeoutStep != "" {
		if err := e.expire(ctx, job.Args); err != nil {
			return e.failed(ctx, job, err)
		}
	}
	var pre *preResult
	for {
		err := e.step(ctx, job.Args.RunID, pre)
		pre = nil
		var ext needExternal
		if errors.As(err, &ext) {
			// An external action runs outside the transaction: a database transaction must
			// not stay open (holding SQLite's one writer) while an outside service answers.
			// The step is then tried again with its outcome.
			pre, err = e.external(ctx, job.Args.RunID, string(ext))
		}
		if errors.Is(err, errStop) {
			return nil
		}
		if err != nil {
			return e.failed(ctx, job, err)
		}
	}
}

// needExternal asks for the external action of the named step to be run first.
type needExternal string

func (n needExternal) Error() string { return "step " + string(n) + " needs its external action first" }

// failed decides what a step's error means: retry later, or fail the run for good.
func (e *Engine) failed(ctx context.Context, job *river.Job[jobs.WorkflowRun], stepErr error) error {
	if !permanent(stepErr) && job.Attempt < job.MaxAttempts {
		e.log.Warn("workflow step failed, will retry", "run", job.Args.RunID, "attempt", job.Attempt, "err", stepErr)
		return stepErr
	}
	err := e.store.Atomically(ctx, func(ctx context.Context) error {
		r, _, err := e.store.LockWorkflowRun(ctx, job.Args.RunID)
		if err != nil {
			return err
		}
		if r.Status != docket.RunRunning && r.Status != docket.RunWaiting {
			return nil
		}
		now := time.Now().UTC()
		msg := stepErr.Error()
		r.Steps = append(r.Steps, docket.StepRun{StepID: r.CurrentStep, Status: docket.StepRunErrored, Attempts: job.Attempt,
			Error: &msg, StartedAt: now, FinishedAt: &now})
		r.Status, r.Error, r.CompletedAt = docket.RunErrored, &msg, &now
		return e.store.SaveWorkflowRun(ctx, r, docket.EventWorkflowRunErrored)
	})
	if err != nil {
		return fmt.Errorf("record failure of run %s: %w (step error: %v)", job.Args.RunID, err, stepErr)
	}
	// The error's code only: its text may quote the values that failed (an address), and
	// no redaction reaches the log. The run's record holds the text.
	e.log.Warn("workflow run errored", "run", job.Args.RunID, "code", docket.ErrorCode(stepErr))
	return nil
}

// step runs the run's current step and commits its outcome.
func (e *Engine) step(ctx context.Context, runID string, pre *preResult) error {
	return e.store.Atomically(ctx, func(ctx context.Context) error {
		r, def, err := e.store.LockWorkflowRun(ctx, runID)
		if err != nil {
			return err
		}
		if r.Status != docket.RunRunning {
			return errStop
		}
		s, i := def.Step(r.CurrentStep)
		if s == nil {
			return fmt.Errorf("run %s: step %q is not in version %d", r.ID, r.CurrentStep, r.Version)
		}
		if s.Type == docket.StepAction && actions[s.Action].external && (pre == nil || pre.step != s.ID) {
			return needExternal(s.ID)
		}
		started := time.Now().UTC()
		rec := docket.StepRun{StepID: s.ID, Type: s.Type, Status: docket.StepRunCompleted, Attempts: 1, StartedAt: started}
		next, err := e.execute(ctx, r, def, s, i, &rec, pre)
		if err != nil {
			return fmt.Errorf("step %s: %w", s.ID, err)
		}
		finished := time.Now().UTC()
		rec.FinishedAt = &finished
		r.Steps = append(r.Steps, rec)
		event := ""
		switch {
		case r.Status == docket.RunWaiting:
		case next == "":
			r.Status, r.CurrentStep, r.CompletedAt = docket.RunCompleted, "", &finished
			event = docket.EventWorkflowRunCompleted
		default:
			r.CurrentStep = next
		}
		if err := e.store.SaveWorkflowRun(ctx, r, event); err != nil {
			return err
		}
		if r.Status == docket.RunWaiting {
			return e.queueTimeout(ctx, r)
		}
		return nil
	})
}

// preResult is an external action's outcome, made before the step's transaction.
type preResult struct {
	step   string
	params map[string]any
	out    any
}

// external runs the external action of step, if the run is still there.
func (e *Engine) external(ctx context.Context, runID, step string) (*preResult, error) {
	r, def, err := e.store.LockWorkflowRun(ctx, runID) // outside a transaction: no lock
	if err != nil {
		return nil, err
	}
	if r.Status != docket.RunRunning {
		return nil, errStop
	}
	s, _ := def.Step(r.CurrentStep)
	if s == nil || s.ID != step {
		return nil, nil // another job moved the run on meanwhile; look again
	}
	params, err := e.params(s, Environment(r))
	if err != nil {
		return nil, err
	}
	x := &Exec{Store: e.store, Actor: actorOf(r), Run: r, Params: params, HTTP: e.http}
	out, err := actions[s.Action].run(ctx, x)
	if err != nil {
		return nil, err
	}
	return &preResult{step: s.ID, params: params, out: out}, nil
}

func actorOf(r *docket.WorkflowRun) docket.Actor {
	return docket.Actor{Type: docket.ActorWorkflowRun, ID: r.ID}
}

// execute performs one step and returns the id of the next ("" ends the run).
func (e *Engine) execute(ctx context.Context, r *docket.WorkflowRun, def *docket.WorkflowDefinition, s *docket.WorkflowStep, i int, rec *docket.StepRun, pre *preResult) (string, error) {
	env := Environment(r)
	switch s.Type {
	case docket.StepAction:
		// The record shows the parameters with their secrets masked (secret.go): a run's
		// record is read through the API, in events and by webhooks.
		if pre != nil {
			rec.Input, rec.Output = maskParams(s.Action, pre.params), pre.out
			return def.After(i), nil
		}
		params, err := e.params(s, env)
		if err != nil {
			return "", err
		}
		rec.Input = maskParams(s.Action, params)
		out, err := actions[s.Action].run(ctx, &Exec{Store: e.store, Actor: actorOf(r), Run: r, Params: params, HTTP: e.http})
		if err != nil {
			return "", err
		}
		rec.Output = out
		return def.After(i), nil
	case docket.StepConditional:
		for j, route := range s.Routes {
			ok := route.Condition == ""
			if !ok {
				x, err := Compile(route.Condition)
				if err != nil {
					return "", docket.Invalid("", "route %d: %v", j, err)
				}
				if ok, err = x.Holds(env); err != nil {
					return "", docket.Invalid("", "route %d: %v", j, err)
				}
			}
			if ok {
				rec.Output = map[string]any{"route": j, "condition": route.Condition}
				return endless(route.Next), nil
			}
		}
		rec.Output = map[string]any{"route": nil}
		return "", nil // no route matched: the run ends
	case docket.StepWait:
		return "", e.wait(r, s, rec, env)
	}
	return "", fmt.Errorf("unknown step type %q", s.Type)
}

func endless(next string) string {
	if next == docket.StepEnd {
		return ""
	}
	return next
}

// params resolves a step's parameter expressions and checks the values' types: an
// expression's value is known only now, and a definition saved before a rule existed
// may hold a literal that breaks it.
func (e *Engine) params(s *docket.WorkflowStep, env Env) (map[string]any, error) {
	out, err := Resolve(s.Params, env)
	if err != nil {
		return nil, docket.Invalid("", "params: %v", err)
	}
	m, _ := out.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	a := actions[s.Action]
	for _, name := range slices.Sorted(maps.Keys(m)) {
		if err := a.check(name, m[name], false, e.AllowHTTP, "params"); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Environment is what a run's expressions see. Numbers in the run's input and its steps'
// outputs, read back from the store as json.Number, become Go numbers (plainNumbers), so
// that input.amount > 100 compares numbers.
func Environment(r *docket.WorkflowRun) Env {
	env := Env{Trigger: map[string]any{}, Steps: map[string]any{}, Input: map[string]any{}, Now: time.Now().UTC(),
		Event: map[string]any{"id": r.Trigger.EventID, "name": r.Trigger.EventName}}
	_ = decode(r.Trigger.Object, &env.Trigger)
	for _, s := range r.Steps {
		if s.Status == docket.StepRunCompleted {
			env.Steps[s.StepID] = plainNumbers(s.Output)
		}
	}
	if r.Input != nil {
		env.Input = plainNumbers(r.Input).(map[string]any)
	}
	return env
}
