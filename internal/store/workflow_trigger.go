package store

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/workflow"
)

// startWorkflows starts the runs that events trigger and resumes the runs waiting for
// them, in the events' transaction: a run starts if and only if its event committed.
func startWorkflows(ctx context.Context, tx *Tx, events []*docket.Event) error {
	names := map[string]bool{}
	for _, e := range events {
		names[e.Name] = true
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	type match struct {
		id      string
		version int
		event   string
	}
	matches, err := queryAll(ctx, tx.reader(), `SELECT id, version, trigger_event FROM workflows
		WHERE status = '`+docket.WorkflowActive+`' AND trigger_event IN (`+placeholders(len(list))+`) ORDER BY id`, anys(list),
		func(row scanner) (match, error) {
			var m match
			return m, row.Scan(&m.id, &m.version, &m.event)
		})
	if err != nil {
		return fmt.Errorf("find triggered workflows: %w", err)
	}
	t := &triggering{tx: tx, objects: map[string]map[string]any{}, depths: map[string]int{}}
	for _, e := range events {
		for _, m := range matches {
			if m.event != e.Name {
				continue
			}
			if err := t.start(ctx, &docket.Workflow{ID: m.id, Version: m.version}, e); err != nil {
				return err
			}
		}
	}
	return resumeWaits(ctx, tx, events)
}

// triggering caches, for one batch of events, the trigger objects and run depths it loads.
type triggering struct {
	tx      *Tx
	objects map[string]map[string]any
	depths  map[string]int
}

func (t *triggering) start(ctx context.Context, w *docket.Workflow, e *docket.Event) error {
	def, err := t.tx.s.workflowVersion(ctx, t.tx.reader(), w.ID, w.Version)
	if err != nil {
		return err
	}
	depth, err := t.depth(ctx, e.Actor)
	if err != nil {
		return err
	}
	if depth > docket.MaxRunDepth {
		slog.Warn("workflow not started: too many runs in a chain (a workflow reacting to its own changes?)",
			"workflow", w.ID, "event", e.ID, "depth", depth)
		return nil
	}
	obj, ok := t.objects[e.ID]
	if !ok {
		if obj, err = triggerObject(ctx, t.tx, e.ObjectType, e.Object); err != nil {
			return err
		}
		t.objects[e.ID] = obj
	}
	var condErr error
	if c := def.Trigger.Condition; c != "" {
		x, err := workflow.Compile(c)
		if err != nil {
			return fmt.Errorf("workflow %s: %w", w.ID, err)
		}
		env := workflow.Env{Trigger: obj, Steps: map[string]any{}, Input: map[string]any{}, Now: time.Now().UTC(),
			Event: map[string]any{"id": e.ID, "name": e.Name}}
		holds, err := x.Holds(env)
		if err == nil && !holds {
			return nil
		}
		condErr = err
	}
	raw, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	trig := docket.RunTrigger{Type: docket.TriggerEvent, EventID: e.ID, EventName: e.Name, ObjectType: e.ObjectType,
		ObjectID: e.ObjectID, Object: raw}
	r, err := createRun(ctx, t.tx, w, def, trig, nil, depth, e.Actor)
	if err != nil || condErr == nil {
		return err
	}
	// A condition that cannot be evaluated (a field of the wrong type) fails the run
	// visibly rather than skipping it silently.
	msg := "trigger condition: " + condErr.Error()
	r.Status, r.Error, r.CompletedAt = docket.RunErrored, &msg, &t.tx.now
	return saveRun(ctx, t.tx, r, docket.EventWorkflowRunErrored, false)
}

// depth is how deep in a chain of runs a change by actor is: a run's own writes start
// runs one deeper.
func (t *triggering) depth(ctx context.Context, actor docket.Actor) (int, error) {
	if actor.Type != docket.ActorWorkflowRun {
		return 0, nil
	}
	if d, ok := t.depths[actor.ID]; ok {
		return d, nil
	}
	var d int
	if err := t.tx.queryRow(ctx, `SELECT depth FROM workflow_runs WHERE id = ?`, actor.ID).Scan(&d); err != nil {
		return 0, fmt.Errorf("depth of workflow run %s: %w", actor.ID, err)
	}
	t.depths[actor.ID] = d + 1
	return d + 1, nil
}

// triggerObject is an object's snapshot with the relations conditions may look at: an
// inquiry's, transaction's or report's account (and a transaction's type), a case's
// template and attached inquiries, accounts, transactions and reports.
func triggerObject(ctx context.Context, tx *Tx, objectType string, raw json.RawMessage) (map[string]any, error) {
	obj := map[string]any{}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("read %s snapshot: %w", objectType, err)
	}
	q := tx.reader()
	if acc, _ := obj["account-id"].(string); acc != "" {
		if a, err := findAccount(ctx, q, acc, ""); err == nil {
			obj["account"] = workflow.Snapshot(a)
		}
	}
	switch objectType {
	case "transaction":
		if id, _ := obj["transaction-type-id"].(string); id != "" {
			if tt, err := findTxnType(ctx, q, id, ""); err == nil {
				obj["transaction-type"] = workflow.Snapshot(tt)
			}
		}
	case "case":
		if id, _ := obj["case-template-id"].(string); id != "" {
			if tm, err := findTemplate(ctx, q, id, ""); err == nil {
				obj["case-template"] = map[string]any{"id": tm.ID, "name": tm.Name, "key": tm.Key}
			}
		}
		return obj, caseRelations(ctx, q, obj)
	}
	return obj, nil
}

func caseRelations(ctx context.Context, q querier, obj map[string]any) error {
	rel := map[string][]any{"inquiries": {}, "accounts": {}, "transactions": {}, "reports": {}}
	ids, _ := obj["object-ids"].([]any)
	for _, v := range ids {
		id, _ := v.(string)
		var o any
		var err error
		var key string
		switch docket.IDPrefix(id) {
		case docket.PrefixInquiry:
			key = "inquiries"
			o, err = findInquiry(ctx, q, id, "")
		case docket.PrefixAccount:
			key = "accounts"
			o, err = findAccount(ctx, q, id, "")
		case docket.PrefixTransaction:
			key = "transactions"
			o, err = findTxn(ctx, q, id, "")
		case docket.PrefixReport:
			key = "reports"
			o, err = findReport(ctx, q, id, "")
		default:
			continue
		}
		if docket.ErrorCode(err) == docket.ENotFound {
			continue
		}
		if err != nil {
			return err
		}
		rel[key] = append(rel[key], workflow.Snapshot(o))
	}
	for k, v := range rel {
		obj[k] = v
	}
	return nil
}

// resumeWaits moves on the runs that wait for one of these events on its object.
func resumeWaits(ctx context.Context, tx *Tx, events []*docket.Event) error {
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
	if len(ids) == 0 {
		return nil
	}
	runIDs, err := queryAll(ctx, tx.reader(), `SELECT id FROM workflow_runs WHERE status = '`+docket.RunWaiting+`'
		AND wait_object_id IN (`+placeholders(len(ids))+`) AND wait_event IN (`+placeholders(len(names))+`) ORDER BY id`,
		append(anys(ids), anys(names)...), func(row scanner) (string, error) {
			var id string
			return id, row.Scan(&id)
		})
	if err != nil {
		return fmt.Errorf("find waiting workflow runs: %w", err)
	}
	for _, id := range runIDs {
		if err := resumeRun(ctx, tx, id, events); err != nil {
			return err
		}
	}
	return nil
}

func resumeRun(ctx context.Context, tx *Tx, id string, events []*docket.Event) error {
	r, err := findRun(ctx, tx.reader(), id, tx.s.forUpdate())
	if err != nil {
		return err
	}
	def, err := tx.s.workflowVersion(ctx, tx.reader(), r.WorkflowID, r.Version)
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
			env := workflow.Environment(r)
			env.Event = event
			x, err := workflow.Compile(s.Condition)
			if err != nil {
				return err
			}
			if ok, err := x.Holds(env); err != nil || !ok {
				continue // a condition that fails or cannot be evaluated keeps the run waiting
			}
		}
		now := tx.now
		r.FinishWait(event, now)
		name := ""
		if r.CurrentStep = def.After(i); r.CurrentStep == "" {
			r.Status, r.CompletedAt, name = docket.RunCompleted, &now, docket.EventWorkflowRunCompleted
		}
		return saveRun(ctx, tx, r, name, true)
	}
	return nil
}
