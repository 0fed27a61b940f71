package jsonapi

import (
	"encoding/json"
	"strconv"

	"github.com/docket-hq/docket"
)

// Workflow renders a workflow. definition is the draft, in the shape a PATCH
// takes, so that a client can read it, edit it and send it back.
func Workflow(wf *docket.Workflow) Object {
	return resource("workflow", wf.ID, Object{
		"name": wf.Name, "description": wf.Description, "status": wf.Status,
		"definition": definitionObj(&wf.Definition), "version": wf.Version,
		"published-at": tsPtr(wf.PublishedAt), "next-run-at": tsPtr(wf.NextRunAt),
		"created-at": ts(wf.CreatedAt), "updated-at": ts(wf.UpdatedAt),
	}, nil)
}

// WorkflowVersion renders a published version. Its id joins the workflow's id and the
// version number (wfl_...:3); the list's cursors are version numbers.
func WorkflowVersion(v *docket.WorkflowVersion) Object {
	return resource("workflow-version", v.WorkflowID+":"+strconv.Itoa(v.Version), Object{
		"version": v.Version, "definition": definitionObj(&v.Definition), "published-at": ts(v.PublishedAt),
	}, Object{"workflow": one("workflow", &v.WorkflowID)})
}

func definitionObj(d *docket.WorkflowDefinition) Object {
	t := d.Trigger
	schemas := make([]any, len(t.InputSchema))
	for i, f := range t.InputSchema {
		schemas[i] = fieldSchemaObj(f)
	}
	steps := make([]any, len(d.Steps))
	for i := range d.Steps {
		steps[i] = stepObj(&d.Steps[i])
	}
	return Object{
		"trigger": Object{"type": t.Type, "event": nilIfEmpty(t.Event), "condition": nilIfEmpty(t.Condition),
			"input-schema": schemas, "schedule": nilIfEmpty(t.Schedule), "case-template-ids": orEmpty(t.CaseTemplateIDs)},
		"steps": steps,
	}
}

// stepObj renders a step with the keys of its type (and any other key that is set).
func stepObj(s *docket.WorkflowStep) Object {
	o := Object{"id": s.ID, "type": s.Type, "next": nilIfEmpty(s.Next)}
	set := func(key string, v any, empty bool, typ string) {
		if !empty || s.Type == typ {
			o[key] = v
		}
	}
	params := s.Params
	if params == nil {
		params = map[string]any{}
	}
	set("action", s.Action, s.Action == "", docket.StepAction)
	set("params", params, len(s.Params) == 0, docket.StepAction)
	routes := make([]any, len(s.Routes))
	for i, r := range s.Routes {
		routes[i] = Object{"condition": nilIfEmpty(r.Condition), "next": r.Next}
	}
	set("routes", routes, len(s.Routes) == 0, docket.StepConditional)
	for _, f := range []struct{ key, v string }{{"event", s.Event}, {"object-id", s.ObjectID},
		{"condition", s.Condition}, {"timeout", s.Timeout}, {"on-timeout", s.OnTimeout}} {
		set(f.key, nilIfEmpty(f.v), f.v == "", docket.StepWait)
	}
	return o
}

// WorkflowRun renders a workflow run. Its input, each step's input and output, and the
// trigger object are shown as stored, their keys never re-inflected (see opaqueKeys).
func WorkflowRun(run *docket.WorkflowRun) Object {
	t := run.Trigger
	input := run.Input
	if input == nil {
		input = map[string]any{}
	}
	steps := make([]any, len(run.Steps))
	for i, s := range run.Steps {
		steps[i] = Object{"step-id": s.StepID, "type": s.Type, "status": s.Status, "attempts": s.Attempts,
			"input": s.Input, "output": s.Output, "error": strOrNil(s.Error),
			"started-at": ts(s.StartedAt), "finished-at": tsPtr(s.FinishedAt)}
	}
	attrs := Object{
		"status": run.Status, "version": run.Version,
		"trigger": Object{"type": t.Type, "event-id": nilIfEmpty(t.EventID), "event-name": nilIfEmpty(t.EventName),
			"object-type": nilIfEmpty(t.ObjectType), "object-id": nilIfEmpty(t.ObjectID), "object": rawOrNil(t.Object)},
		"input": input, "depth": run.Depth, "current-step": nilIfEmpty(run.CurrentStep), "steps": steps,
		"error": strOrNil(run.Error), "wait-event": nilIfEmpty(run.WaitEvent), "wait-object-id": nilIfEmpty(run.WaitObjectID),
		"wait-until": tsPtr(run.WaitUntil), "creator-id": nilIfEmpty(run.Creator.ID), "creator-type": nilIfEmpty(run.Creator.Type),
		"created-at": ts(run.CreatedAt), "updated-at": ts(run.UpdatedAt), "completed-at": tsPtr(run.CompletedAt),
		"redacted-at": tsPtr(run.RedactedAt),
	}
	rels := Object{"workflow": one("workflow", &run.WorkflowID), "trigger-object": Object{"data": nil}}
	if t.ObjectID != "" && t.ObjectType != "" {
		rels["trigger-object"] = Object{"data": ref(t.ObjectType, t.ObjectID)}
	}
	return resource("workflow-run", run.ID, attrs, rels)
}

// rawOrNil renders stored JSON as it is (it was decoded from the database, so it is
// valid); nothing is null.
func rawOrNil(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return raw
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
