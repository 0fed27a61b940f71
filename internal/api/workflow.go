package api

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

var workflowAttrs = []string{"name", "description", "definition"}

func (s *Server) createWorkflow(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(workflowAttrs...); err != nil {
		return err
	}
	var n docket.NewWorkflow
	if n.Name, err = g.str("name"); err != nil {
		return err
	}
	if n.Description, err = g.str("description"); err != nil {
		return err
	}
	if g.m["definition"] != nil {
		d, err := readDefinition(g.m["definition"], g.ptr("definition"))
		if err != nil {
			return err
		}
		n.Definition = *d
	}
	wf, err := s.store.CreateWorkflow(r.Context(), actor(r), n)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Workflow(wf)})
	return nil
}

// updateWorkflow edits the draft: a definition replaces the draft's whole definition.
// What runs changes only when the draft is published.
func (s *Server) updateWorkflow(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	for _, k := range []string{"status", "version"} {
		if g.has(k) {
			return invalidPointer(g.ptr(k), "%s cannot be set: use POST /workflows/{id}/publish, /pause or /archive", k)
		}
	}
	if err := g.onlyKeys(workflowAttrs...); err != nil {
		return err
	}
	var u docket.WorkflowUpdate
	if g.has("name") {
		name, err := g.str("name")
		if err != nil {
			return err
		}
		u.Name = &name
	}
	if g.has("description") {
		desc, err := g.str("description")
		if err != nil {
			return err
		}
		u.Description = &desc
	}
	if g.has("definition") {
		if u.Definition, err = readDefinition(g.m["definition"], g.ptr("definition")); err != nil {
			return err
		}
	}
	wf, err := s.store.UpdateWorkflow(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Workflow(wf)})
	return nil
}

func (s *Server) getWorkflow(w http.ResponseWriter, r *http.Request) error {
	wf, err := s.store.FindWorkflow(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Workflow(wf)})
	return nil
}

var workflowStatuses = []string{docket.WorkflowDraft, docket.WorkflowActive, docket.WorkflowPaused, docket.WorkflowArchived}

func (s *Server) listWorkflows(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixWorkflow, "status")
	if err != nil {
		return err
	}
	status := filterParam(r.URL.Query(), "status")
	if status != "" && !slices.Contains(workflowStatuses, status) {
		return badParam("filter[status]", "filter[status] must be one of %s", strings.Join(workflowStatuses, ", "))
	}
	list, pr, err := s.store.ListWorkflows(r.Context(), docket.WorkflowFilter{Status: status, Page: p})
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.Workflow))
	return nil
}

// setWorkflowStatus serves the state changes that take no parameters: publish (the
// draft becomes the next version and the workflow active), pause and archive.
func (s *Server) setWorkflowStatus(change func(ctx context.Context, actor docket.Actor, id string) (*docket.Workflow, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := noBody(r); err != nil {
			return err
		}
		wf, err := change(r.Context(), actor(r), r.PathValue("id"))
		if err != nil {
			return err
		}
		writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Workflow(wf)})
		return nil
	}
}

// readRunInput reads meta.input, the input of an api or case-action run (an object;
// absent or null is the empty input). Like every action endpoint's parameters it goes in
// meta; data.attributes.input is refused with a pointer rather than silently ignored.
func readRunInput(b *body) (map[string]any, error) {
	if _, ok := b.attrs["input"]; ok {
		return nil, invalidPointer("/data/attributes/input", "send the run's input as meta.input")
	}
	if err := b.metaOnly("input"); err != nil {
		return nil, err
	}
	m := getter{b.meta, "/meta"}
	in, err := m.object("input")
	if err != nil {
		return nil, err
	}
	if in == nil {
		in = obj{}
	}
	return in, nil
}

// triggerWorkflow starts a run of an api-triggered workflow with meta.input.
func (s *Server) triggerWorkflow(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in, err := readRunInput(b)
	if err != nil {
		return err
	}
	run, err := s.store.StartWorkflowRun(r.Context(), actor(r), r.PathValue("id"),
		docket.RunStart{TriggerType: docket.TriggerAPI, Input: in})
	if err != nil {
		return err
	}
	return s.writeRun(w, r, http.StatusCreated, run)
}

// runCaseAction starts a run of a case-action workflow on the case {id}, with meta.input.
func (s *Server) runCaseAction(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	in, err := readRunInput(b)
	if err != nil {
		return err
	}
	run, err := s.store.StartWorkflowRun(r.Context(), actor(r), r.PathValue("workflow"),
		docket.RunStart{TriggerType: docket.TriggerCaseAction, CaseID: r.PathValue("id"), Input: in})
	if err != nil {
		return err
	}
	return s.writeRun(w, r, http.StatusCreated, run)
}

// runView renders runs for the caller. A run acts with its workflow's authority (its
// steps may write what the caller could not), but the caller sees only what its own
// permissions allow: unless Principal.CanSeeRunData, the run's data are left out (null,
// the input empty) and meta.data-hidden says so; the run shows its status, steps, errors
// and ids.
func (s *Server) runView(r *http.Request) (func(run *docket.WorkflowRun) obj, error) {
	vis, err := s.visibility(r)
	if err != nil {
		return nil, err
	}
	if principal(r).CanSeeRunData(vis) {
		return jsonapi.WorkflowRun, nil
	}
	return func(run *docket.WorkflowRun) obj {
		bare := *run
		bare.Trigger.Object, bare.Input = nil, nil
		bare.Steps = make([]docket.StepRun, len(run.Steps))
		for i, st := range run.Steps {
			st.Input, st.Output = nil, nil
			bare.Steps[i] = st
		}
		res := jsonapi.WorkflowRun(&bare)
		res["meta"] = obj{"data-hidden": true}
		return res
	}, nil
}

// writeRun renders one run for the caller (see runView).
func (s *Server) writeRun(w http.ResponseWriter, r *http.Request, status int, run *docket.WorkflowRun) error {
	view, err := s.runView(r)
	if err != nil {
		return err
	}
	writeJSON(w, r, status, obj{"data": view(run)})
	return nil
}

func (s *Server) getWorkflowRun(w http.ResponseWriter, r *http.Request) error {
	run, err := s.store.FindWorkflowRun(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.writeRun(w, r, http.StatusOK, run)
}

var runStatuses = []string{docket.RunRunning, docket.RunWaiting, docket.RunCompleted, docket.RunErrored}

func (s *Server) listWorkflowRuns(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixWorkflowRun, "workflow-id", "object-id", "status")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := docket.WorkflowRunFilter{Page: p, ObjectID: filterParam(q, "object-id"), Status: filterParam(q, "status")}
	if f.WorkflowID, err = filterID(q, "workflow-id", docket.PrefixWorkflow); err != nil {
		return err
	}
	if f.Status != "" && !slices.Contains(runStatuses, f.Status) {
		return badParam("filter[status]", "filter[status] must be one of %s", strings.Join(runStatuses, ", "))
	}
	list, pr, err := s.store.ListWorkflowRuns(r.Context(), f)
	if err != nil {
		return err
	}
	view, err := s.runView(r)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, view))
	return nil
}

// triggerKeys are the keys a trigger may have; a step's are docket.StepKeys.
var triggerKeys = []string{"type", "event", "condition", "input-schema", "schedule", "case-template-ids"}

// readDefinition decodes a workflow definition found at ptr. It checks only the shape
// (objects, lists, strings, known keys), pointing at the offending value; the store
// checks the rules (workflow.Validate). Keys inside params are the action's parameter
// names and are kept as written (see opaqueKeys).
func readDefinition(v any, ptr string) (*docket.WorkflowDefinition, error) {
	m, ok := v.(obj)
	if !ok {
		return nil, badPointer(ptr, "definition must be an object with a trigger and steps")
	}
	g := getter{m, ptr}
	if err := g.onlyKeys("trigger", "steps"); err != nil {
		return nil, err
	}
	d := &docket.WorkflowDefinition{}
	tm, err := g.object("trigger")
	if err != nil {
		return nil, err
	}
	if tm != nil {
		if err := readTrigger(getter{tm, g.ptr("trigger")}, &d.Trigger); err != nil {
			return nil, err
		}
	}
	items, err := objectList(g, "steps")
	if err != nil {
		return nil, err
	}
	d.Steps = make([]docket.WorkflowStep, len(items))
	for i, sg := range items {
		if err := readStep(sg, &d.Steps[i]); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func readTrigger(g getter, t *docket.Trigger) error {
	if err := g.onlyKeys(triggerKeys...); err != nil {
		return err
	}
	if err := readStrings(g, map[string]*string{"type": &t.Type, "event": &t.Event, "condition": &t.Condition,
		"schedule": &t.Schedule}); err != nil {
		return err
	}
	if err := g.into("input-schema", &t.InputSchema); err != nil {
		return err
	}
	var err error
	t.CaseTemplateIDs, err = g.strList("case-template-ids")
	return err
}

func readStep(g getter, s *docket.WorkflowStep) error {
	typ, err := g.str("type")
	if err != nil {
		return err
	}
	if err := g.onlyKeys(docket.StepKeys(typ)...); err != nil {
		return err
	}
	if err := readStrings(g, map[string]*string{"id": &s.ID, "type": &s.Type, "next": &s.Next, "action": &s.Action,
		"event": &s.Event, "object-id": &s.ObjectID, "condition": &s.Condition, "timeout": &s.Timeout,
		"on-timeout": &s.OnTimeout}); err != nil {
		return err
	}
	if s.Params, err = g.object("params"); err != nil {
		return err
	}
	routes, err := objectList(g, "routes")
	if err != nil {
		return err
	}
	for _, rg := range routes {
		if err := rg.onlyKeys("condition", "next"); err != nil {
			return err
		}
		var route docket.Route
		if err := readStrings(rg, map[string]*string{"condition": &route.Condition, "next": &route.Next}); err != nil {
			return err
		}
		s.Routes = append(s.Routes, route)
	}
	return nil
}

// readStrings reads optional string values (null is ""), in a fixed order so that the
// first offender reported is always the same one.
func readStrings(g getter, dst map[string]*string) error {
	keys := make([]string, 0, len(dst))
	for k := range dst {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, err := g.str(k)
		if err != nil {
			return err
		}
		*dst[k] = v
	}
	return nil
}

// objectList reads a list of objects (absent or null is none), giving a getter for each
// that points at the item.
func objectList(g getter, key string) ([]getter, error) {
	v := g.m[key]
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, badPointer(g.ptr(key), "%s must be a list of objects", key)
	}
	out := make([]getter, len(list))
	for i, item := range list {
		m, ok := item.(obj)
		if !ok {
			return nil, badPointer(fmt.Sprintf("%s/%d", g.ptr(key), i), "each item of %s must be an object", key)
		}
		out[i] = getter{m, fmt.Sprintf("%s/%d", g.ptr(key), i)}
	}
	return out, nil
}
