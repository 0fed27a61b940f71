package workflow

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// HandleEvents is the workflow package's event handler (store.EventHandler): it starts
// the runs that events trigger and resumes the runs waiting for them, in the events'
// transaction, so that a run starts or moves on if and only if its event commits.
func HandleEvents(ctx context.Context, tx *store.Tx, events []*docket.Event) error {
	if err := startRuns(ctx, tx, events); err != nil {
		return err
	}
	return resumeWaits(ctx, tx, events)
}

// startRuns starts a run of every active workflow whose published trigger names an
// event, for each such event, unless its condition says no.
func startRuns(ctx context.Context, tx *store.Tx, events []*docket.Event) error {
	var names []string
	seen := map[string]bool{}
	for _, e := range events {
		if !seen[e.Name] {
			seen[e.Name] = true
			names = append(names, e.Name)
		}
	}
	workflows, err := tx.ActiveWorkflowsFor(ctx, names)
	if err != nil || len(workflows) == 0 {
		return err
	}
	t := &triggering{tx: tx, objects: map[string]map[string]any{}, depths: map[string]int{}}
	for _, e := range events {
		for _, w := range workflows {
			def, err := tx.WorkflowVersion(ctx, w.ID, w.Version)
			if err != nil {
				return err
			}
			if def.Trigger.Event != e.Name {
				continue
			}
			if err := t.start(ctx, w, def, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// triggering caches, for one batch of events, the trigger objects and run depths it loads.
type triggering struct {
	tx      *store.Tx
	objects map[string]map[string]any
	depths  map[string]int
}

func (t *triggering) start(ctx context.Context, w *docket.Workflow, def *docket.WorkflowDefinition, e *docket.Event) error {
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
		x, err := Compile(c)
		if err != nil {
			return fmt.Errorf("workflow %s: %w", w.ID, err)
		}
		env := Env{Trigger: obj, Steps: map[string]any{}, Input: map[string]any{}, Now: time.Now().UTC(),
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
	r, err := t.tx.CreateWorkflowRun(ctx, w, def, trig, nil, depth, e.Actor)
	if err != nil || condErr == nil {
		return err
	}
	// A condition that cannot be evaluated (a field of the wrong type) fails the run
	// visibly rather than skipping it silently.
	msg := "trigger condition: " + condErr.Error()
	now := t.tx.Now()
	r.Status, r.Error, r.CompletedAt = docket.RunErrored, &msg, &now
	return t.tx.SaveWorkflowRun(ctx, r, docket.EventWorkflowRunErrored)
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
	d, err := t.tx.RunDepth(ctx, actor.ID)
	if err != nil {
		return 0, err
	}
	t.depths[actor.ID] = d + 1
	return d + 1, nil
}

// triggerObject is an object's snapshot with the relations conditions may look at: an
// inquiry's, transaction's or report's account (and a transaction's type), a case's
// template and attached inquiries, accounts, transactions and reports.
func triggerObject(ctx context.Context, tx *store.Tx, objectType string, raw json.RawMessage) (map[string]any, error) {
	obj := map[string]any{}
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("read %s snapshot: %w", objectType, err)
	}
	// A relation that cannot be read is left out: the run still starts on what is known.
	if a, err := find(ctx, tx, obj["account-id"], docket.PrefixAccount); err == nil && a != nil {
		obj["account"] = Snapshot(a)
	}
	switch objectType {
	case "transaction":
		if tt, err := find(ctx, tx, obj["transaction-type-id"], docket.PrefixTxnType); err == nil && tt != nil {
			obj["transaction-type"] = Snapshot(tt)
		}
	case "case":
		if tm, err := find(ctx, tx, obj["case-template-id"], docket.PrefixTemplate); err == nil && tm != nil {
			t := tm.(*docket.CaseTemplate)
			obj["case-template"] = map[string]any{"id": t.ID, "name": t.Name, "key": t.Key}
		}
		return obj, caseRelations(ctx, tx, obj)
	}
	return obj, nil
}

// find reads the object an id names if the id is a non-empty string of the given kind
// (nil, nil otherwise).
func find(ctx context.Context, tx *store.Tx, id any, prefix string) (any, error) {
	s, _ := id.(string)
	if s == "" || docket.IDPrefix(s) != prefix {
		return nil, nil
	}
	return tx.FindObject(ctx, s)
}

// caseRelations adds a case's attached objects, listed by kind under the kind's plural
// ("inquiries"). Objects deleted since they were attached are skipped.
func caseRelations(ctx context.Context, tx *store.Tx, obj map[string]any) error {
	rel := map[string][]any{}
	for _, k := range docket.ObjectKinds {
		if k.Stored() {
			rel[k.Plural] = []any{}
		}
	}
	ids, _ := obj["object-ids"].([]any)
	for _, v := range ids {
		id, _ := v.(string)
		kind, ok := docket.KindOf(id)
		if !ok || !kind.Stored() {
			continue
		}
		o, err := tx.FindObject(ctx, id)
		if docket.ErrorCode(err) == docket.ENotFound {
			continue
		}
		if err != nil {
			return err
		}
		rel[kind.Plural] = append(rel[kind.Plural], Snapshot(o))
	}
	for k, v := range rel {
		obj[k] = v
	}
	return nil
}
