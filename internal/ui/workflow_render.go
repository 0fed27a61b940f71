package ui

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// definitionView is a definition in words, shown beside the editor: what starts a run,
// then each step, where it goes next, and what a wait waits for.
type definitionView struct {
	Trigger triggerView
	Steps   []stepRender
}

type triggerView struct {
	Type string
	// Summary says in words what starts a run.
	Summary   string
	Event     string
	Condition string
	Schedule  string
	Templates []string
	Inputs    []docket.FieldSchema
}

// stepRender is one step in words. Then is where the run goes after it (StepEnd for
// the end of the run); a conditional step goes where its routes say instead.
type stepRender struct {
	N          int
	ID, Type   string
	Action     string
	Params     []paramRender
	Routes     []routeRender
	Wait       *waitRender
	Then       string
	ThenMarked bool // Then was written as next (rather than being the following step)
}

// paramRender is one parameter; Expr marks a value computed when the step runs.
type paramRender struct {
	Name, Value string
	Expr        bool
}

type routeRender struct {
	Condition, Next string
}

type waitRender struct {
	Event, ObjectID, Condition, Timeout, OnTimeout string
}

// renderDefinition describes d in words.
func renderDefinition(d *docket.WorkflowDefinition) *definitionView {
	v := &definitionView{Trigger: renderTrigger(d.Trigger)}
	for i := range d.Steps {
		s := &d.Steps[i]
		r := stepRender{N: i + 1, ID: s.ID, Type: s.Type, ThenMarked: s.Next != ""}
		r.Then = cmp.Or(d.After(i), docket.StepEnd)
		switch s.Type {
		case docket.StepAction:
			r.Action = s.Action
			for _, k := range slices.Sorted(maps.Keys(s.Params)) {
				val := formatValue(s.Params[k])
				expr := strings.HasPrefix(val, "=")
				r.Params = append(r.Params, paramRender{Name: k, Value: strings.TrimPrefix(val, "="), Expr: expr})
			}
		case docket.StepConditional:
			for _, rt := range s.Routes {
				r.Routes = append(r.Routes, routeRender{Condition: rt.Condition, Next: rt.Next})
			}
		case docket.StepWait:
			r.Wait = &waitRender{Event: s.Event, ObjectID: s.ObjectID, Condition: s.Condition, Timeout: s.Timeout, OnTimeout: s.OnTimeout}
		}
		v.Steps = append(v.Steps, r)
	}
	return v
}

func renderTrigger(t docket.Trigger) triggerView {
	v := triggerView{Type: t.Type, Event: t.Event, Condition: t.Condition, Schedule: t.Schedule,
		Templates: t.CaseTemplateIDs, Inputs: t.InputSchema}
	switch t.Type {
	case docket.TriggerEvent:
		v.Summary = "Runs when an event happens"
	case docket.TriggerAPI:
		v.Summary = "Runs when called through the API (or Run now)"
	case docket.TriggerCaseAction:
		v.Summary = "Offered on cases as an action a reviewer runs"
	case docket.TriggerSchedule:
		v.Summary = "Runs on a schedule (UTC)"
	default:
		v.Summary = "No trigger yet: set trigger.type to event, api, case-action or schedule"
	}
	return v
}
