package docket

import "context"

// CaseAction is a workflow offered on a case as a button: an active workflow whose
// published version is triggered by case-action and which lists the case's template (or
// no template at all). Trigger is the published version's trigger, whose InputSchema
// says what the reviewer fills in before running it.
type CaseAction struct {
	Workflow *Workflow
	Trigger  Trigger
}

// MaxCaseActions bounds the case actions offered on one case.
const MaxCaseActions = 50

// CaseActionService lists case actions.
type CaseActionService interface {
	// CaseActions returns the case actions offered on cases of the template, by name, at
	// most MaxCaseActions. Running one is WorkflowService.StartWorkflowRun.
	CaseActions(ctx context.Context, templateID string) ([]*CaseAction, error)
}
