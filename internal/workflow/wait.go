package workflow

// A wait step parks its run until an event on an object arrives or a timeout passes.
// Both ends live here: resumeWaits moves a run on when its event is recorded (inside the
// event's transaction), and expire takes the timeout route when the timeout job runs.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
	"github.com/docket-hq/docket/internal/store"
)

// wait parks the run until the event arrives (HandleEvents resumes it) or its timeout
// job comes (expire), whichever is first.
func (e *Engine) wait(r *docket.WorkflowRun, s *docket.WorkflowStep, rec *docket.StepRun, env Env) error {
	obj, err := Resolve(s.ObjectID, env)
	if err != nil {
		return docket.Invalid("", "object-id: %v", err)
	}
	id, ok := obj.(string)
	if !ok || id == "" {
		return docket.Invalid("", "object-id evaluated to %v, not an object id", obj)
	}
	d, err := ParseTimeout(s.Timeout)
	if err != nil {
		return docket.Invalid("", "timeout: %v", err)
	}
	until := time.Now().UTC().Add(d).Truncate(time.Millisecond)
	r.Status, r.WaitUntil, r.WaitEvent, r.WaitObjectID = docket.RunWaiting, &until, s.Event, id
	rec.Status = docket.StepRunWaiting
	rec.Input = map[string]any{"event": s.Event, "object-id": id, "until": until}
	return nil
}

// queueTimeout queues the job that ends a wait at its deadline, in the step's transaction.
func (e *Engine) queueTimeout(ctx context.Context, r *docket.WorkflowRun) error {
	args := jobs.WorkflowRun{RunID: r.ID, TimeoutStep: r.CurrentStep}
	opts := args.InsertOpts()
	opts.ScheduledAt = *r.WaitUntil
	if err := e.store.InsertJobs(ctx, []river.InsertManyParams{{Args: args, InsertOpts: &opts}}); err != nil {
		return fmt.Errorf("queue timeout of workflow run %s: %w", r.ID, err)
	}
	return nil
}

// expire takes a wait step's timeout route if the run still waits there.
func (e *Engine) expire(ctx context.Context, a jobs.WorkflowRun) error {
	return e.store.Atomically(ctx, func(ctx context.Context) error {
		r, def, err := e.store.LockWorkflowRun(ctx, a.RunID)
		if err != nil {
			return err
		}
		if r.Status != docket.RunWaiting || r.CurrentStep != a.TimeoutStep || r.WaitUntil == nil || time.Now().Before(*r.WaitUntil) {
			return nil // the event came first, or the job ran early
		}
		s, _ := def.Step(a.TimeoutStep)
		if s == nil {
			return fmt.Errorf("run %s: step %q is not in version %d", r.ID, a.TimeoutStep, r.Version)
		}
		now := time.Now().UTC()
		r.FinishWait(map[string]any{"timed-out": true}, now)
		event := ""
		if r.CurrentStep = endless(s.OnTimeout); r.CurrentStep == "" {
			r.Status, r.CompletedAt = docket.RunCompleted, &now
			event = docket.EventWorkflowRunCompleted
		}
		return e.store.SaveWorkflowRun(ctx, r, event)
	})
}

// resumeWaits moves on the runs that wait for one of these events on its object.
func resumeWaits(ctx context.Context, tx *store.Tx, events []*docket.Event) error {
	var ids, names []string
	for _, e := range events {
		if strings.HasSuffix(e.Name, ".created") {
			continue // nothing can wait on an object before it exists
		}
		if !slices.Contains(ids, e.ObjectID) {
			ids = append(ids, e.ObjectID)
		}
		if !slices.Contains(names, e.Name) {
			names = append(names, e.Name)
		}
	}
	runIDs, err := tx.WaitingRunIDs(ctx, ids, names)
	if err != nil {
		return err
	}
	for _, id := range runIDs {
		if err := resumeRun(ctx, tx, id, events); err != nil {
			return err
		}
	}
	return nil
}

// resumeRun moves a waiting run past its wait step with the first event it waits for
// (and whose step condition holds), and queues the job that runs its next step.
func resumeRun(ctx context.Context, tx *store.Tx, id string, events []*docket.Event) error {
	r, def, err := tx.LockWorkflowRun(ctx, id)
	if err != nil {
		return err
	}
	s, i := def.Step(r.CurrentStep)
	for _, e := range events {
		if r.Status != docket.RunWaiting || s == nil || e.ObjectID != r.WaitObjectID || e.Name != r.WaitEvent {
			continue
		}
		object := map[string]any{}
		_ = json.Unmarshal(e.Object, &object)
		event := map[string]any{"id": e.ID, "name": e.Name, "object": object}
		if s.Condition != "" {
			env := Environment(r)
			env.Event = event
			x, err := Compile(s.Condition)
			if err != nil {
				return err
			}
			if ok, err := x.Holds(env); err != nil || !ok {
				continue // a condition that fails or cannot be evaluated keeps the run waiting
			}
		}
		now := tx.Now()
		r.FinishWait(event, now)
		name := ""
		if r.CurrentStep = def.After(i); r.CurrentStep == "" {
			r.Status, r.CompletedAt, name = docket.RunCompleted, &now, docket.EventWorkflowRunCompleted
		}
		if err := tx.SaveWorkflowRun(ctx, r, name); err != nil {
			return err
		}
		if r.Status != docket.RunRunning {
			return nil
		}
		if err := tx.InsertJobs(ctx, []river.InsertManyParams{{Args: jobs.WorkflowRun{RunID: r.ID}}}); err != nil {
			return fmt.Errorf("queue workflow run %s: %w", r.ID, err)
		}
		return nil
	}
	return nil
}
