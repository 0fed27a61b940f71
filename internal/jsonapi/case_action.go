package jsonapi

import "github.com/docket-hq/docket"

// CaseAction renders a case action as its workflow, with the published version's trigger
// in meta (the workflow's definition is its draft, which may differ).
func CaseAction(a *docket.CaseAction) Object {
	o := Workflow(a.Workflow)
	o["meta"] = Object{"trigger": definitionObj(&docket.WorkflowDefinition{Trigger: a.Trigger})["trigger"]}
	return o
}
