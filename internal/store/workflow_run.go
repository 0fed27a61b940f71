package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

const runCols = `id, workflow_id, version, status, trigger, input, depth, current_step, steps, error,
	wait_event, wait_object_id, wait_until, creator_type, creator_id, created_at, updated_at, completed_at, redacted_at`

func scanRun(row scanner) (*docket.WorkflowRun, error) {
	var r docket.WorkflowRun
	var trig, input, steps []byte
	var errMsg, waitEvent, waitObject sql.NullString
	var waitUntil, completed, redacted sql.NullInt64
	var created, updated int64
	if err := row.Scan(&r.ID, &r.WorkflowID, &r.Version, &r.Status, &trig, &input, &r.Depth, &r.CurrentStep, &steps, &errMsg,
		&waitEvent, &waitObject, &waitUntil, &r.Creator.Type, &r.Creator.ID, &created, &updated, &completed, &redacted); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		raw []byte
		v   any
	}{{trig, &r.Trigger}, {input, &r.Input}, {steps, &r.Steps}} {
		if err := decodeJSON(f.raw, f.v); err != nil {
			return nil, fmt.Errorf("workflow run %s: %w", r.ID, err)
		}
	}
	if errMsg.Valid {
		r.Error = &errMsg.String
	}
	r.WaitEvent, r.WaitObjectID = waitEvent.String, waitObject.String
	r.WaitUntil, r.CompletedAt, r.RedactedAt = fromNullMS(waitUntil), fromNullMS(completed), fromNullMS(redacted)
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	return &r, nil
}

// FindWorkflowRun returns one run.
func (s *Store) FindWorkflowRun(ctx context.Context, id string) (*docket.WorkflowRun, error) {
	return findRun(ctx, s.reader(), id, "")
}

func findRun(ctx context.Context, q querier, id, lock string) (*docket.WorkflowRun, error) {
	r, err := scanRun(q.QueryRowContext(ctx, `SELECT `+runCols+` FROM workflow_runs WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("workflow run", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find workflow run %s: %w", id, err)
	}
	return r, nil
}

// ListWorkflowRuns returns a page of runs, newest first.
func (s *Store) ListWorkflowRuns(ctx context.Context, f docket.WorkflowRunFilter) ([]*docket.WorkflowRun, docket.PageResult, error) {
	var where []string
	var args []any
	for _, c := range []struct{ col, v string }{{"workflow_id", f.WorkflowID}, {"status", f.Status}, {"object_id", f.ObjectID}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	q, args := listSQL(`SELECT `+runCols+` FROM workflow_runs`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanRun)
	if err != nil {
		return nil, r, fmt.Errorf("list workflow runs: %w", err)
	}
	return items, r, nil
}

// LockWorkflowRun reads a run and its version's definition; inside Atomically the run
// stays locked until the transaction ends.
func (s *Store) LockWorkflowRun(ctx context.Context, id string) (*docket.WorkflowRun, *docket.WorkflowDefinition, error) {
	if tx, ok := s.inTx(ctx); ok {
		return tx.LockWorkflowRun(ctx, id)
	}
	r, err := findRun(ctx, s.reader(), id, "")
	if err != nil {
		return nil, nil, err
	}
	def, err := s.workflowVersion(ctx, s.reader(), r.WorkflowID, r.Version)
	if err != nil {
		return nil, nil, err
	}
	return r, def, nil
}

// LockWorkflowRun reads a run and its version's definition, locking the run until the
// transaction ends.
func (t *Tx) LockWorkflowRun(ctx context.Context, id string) (*docket.WorkflowRun, *docket.WorkflowDefinition, error) {
	r, err := findRun(ctx, t.reader(), id, t.s.forUpdate())
	if err != nil {
		return nil, nil, err
	}
	def, err := t.WorkflowVersion(ctx, r.WorkflowID, r.Version)
	if err != nil {
		return nil, nil, err
	}
	return r, def, nil
}

// SaveWorkflowRun writes a run back inside Atomically, with the event named (if any).
func (s *Store) SaveWorkflowRun(ctx context.Context, r *docket.WorkflowRun, event string) error {
	tx, ok := s.inTx(ctx)
	if !ok {
		return errors.New("save workflow run: not inside Atomically")
	}
	return tx.SaveWorkflowRun(ctx, r, event)
}

// SaveWorkflowRun updates a run's row and records the event named (if any). Jobs to
// continue the run or to time its wait out are the caller's to queue. A run a redaction
// erased stays erased: what the engine records on it is erased as it is saved, since a
// step in flight (an https-request) may have read the data before they went.
func (t *Tx) SaveWorkflowRun(ctx context.Context, r *docket.WorkflowRun, event string) error {
	if r.RedactedAt != nil {
		eraseRunData(r)
	}
	r.UpdatedAt = t.now
	steps, input, err := jsonArgs(r.Steps, r.Input)
	if err != nil {
		return err
	}
	if _, err := t.exec(ctx, `UPDATE workflow_runs SET status = ?, current_step = ?, steps = ?, input = ?, error = ?,
		wait_event = ?, wait_object_id = ?, wait_until = ?, updated_at = ?, completed_at = ? WHERE id = ?`,
		r.Status, r.CurrentStep, steps, input, strPtrArg(r.Error), nullStr(r.WaitEvent), nullStr(r.WaitObjectID),
		msPtr(r.WaitUntil), ms(t.now), msPtr(r.CompletedAt), r.ID); err != nil {
		return fmt.Errorf("update workflow run %s: %w", r.ID, err)
	}
	if err := linkRunObjects(ctx, t, r.ID, steps, input); err != nil {
		return err
	}
	if event != "" {
		_, err := recordEvent(ctx, t, runActor(r), event, "workflow-run", r.ID, r)
		return err
	}
	return nil
}

func runActor(r *docket.WorkflowRun) docket.Actor {
	return docket.Actor{Type: docket.ActorWorkflowRun, ID: r.ID}
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateWorkflowRun writes a new run of a published version and queues its first step,
// in the transaction: a run exists if and only if what started it committed.
func (t *Tx) CreateWorkflowRun(ctx context.Context, w *docket.Workflow, def *docket.WorkflowDefinition, trig docket.RunTrigger,
	input map[string]any, depth int, creator docket.Actor) (*docket.WorkflowRun, error) {
	if input == nil {
		input = map[string]any{}
	}
	r := &docket.WorkflowRun{ID: docket.NewID(docket.PrefixWorkflowRun), WorkflowID: w.ID, Version: w.Version,
		Status: docket.RunRunning, Trigger: trig, Input: input, Depth: depth, CurrentStep: def.FirstStep(),
		Steps: []docket.StepRun{}, Creator: creator, CreatedAt: t.now, UpdatedAt: t.now}
	trigJSON, inputJSON, err := jsonArgs(r.Trigger, r.Input)
	if err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `INSERT INTO workflow_runs (id, workflow_id, version, status, trigger, object_id, input, depth,
		current_step, steps, creator_type, creator_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)`,
		r.ID, r.WorkflowID, r.Version, r.Status, trigJSON, nullStr(trig.ObjectID), inputJSON, r.Depth, r.CurrentStep,
		creator.Type, creator.ID, ms(t.now), ms(t.now)); err != nil {
		return nil, fmt.Errorf("insert workflow run: %w", err)
	}
	if err := linkRunObjects(ctx, t, r.ID, trigJSON, inputJSON); err != nil {
		return nil, err
	}
	if _, err := t.s.jobClient().InsertTx(ctx, t.tx, jobs.WorkflowRun{RunID: r.ID}, nil); err != nil {
		return nil, fmt.Errorf("queue workflow run %s: %w", r.ID, err)
	}
	if _, err := recordEvent(ctx, t, runActor(r), docket.EventWorkflowRunCreated, "workflow-run", r.ID, r); err != nil {
		return nil, err
	}
	return r, nil
}

// RunDepth is how deep in a chain of runs a run is (0 for one a person or a schedule
// started).
func (t *Tx) RunDepth(ctx context.Context, runID string) (int, error) {
	var d int
	if err := t.queryRow(ctx, `SELECT depth FROM workflow_runs WHERE id = ?`, runID).Scan(&d); err != nil {
		return 0, fmt.Errorf("depth of workflow run %s: %w", runID, err)
	}
	return d, nil
}

// WaitingRunIDs lists the runs that wait for one of the events on one of the objects.
func (t *Tx) WaitingRunIDs(ctx context.Context, objectIDs, events []string) ([]string, error) {
	if len(objectIDs) == 0 || len(events) == 0 {
		return nil, nil
	}
	ids, err := queryAll(ctx, t.reader(), `SELECT id FROM workflow_runs WHERE status = 'waiting'
		AND wait_object_id IN (`+placeholders(len(objectIDs))+`) AND wait_event IN (`+placeholders(len(events))+`) ORDER BY id`,
		append(anys(objectIDs), anys(events)...), func(row scanner) (string, error) {
			var id string
			return id, row.Scan(&id)
		})
	if err != nil {
		return nil, fmt.Errorf("find waiting workflow runs: %w", err)
	}
	return ids, nil
}
