package ui

import (
	"net/http"
	"net/url"

	"github.com/docket-hq/docket"
)

// actionView is a case action offered as a button, with the inputs its trigger asks for.
type actionView struct {
	ID, Name, Description string
	// FormKey keys the action's own messages in View.Errors.
	FormKey string
	Inputs  []fieldView
}

// actionScope keys a case action's inputs on the page: several actions may ask for an
// input of the same name.
func actionScope(workflowID string) string { return "action:" + workflowID + ":" }

// actionViews lists the case actions offered on c.
func (h *Handler) actionViews(r *http.Request, c *docket.Case, v *View) ([]actionView, error) {
	list, err := h.store.CaseActions(r.Context(), c.TemplateID)
	if err != nil {
		return nil, err
	}
	out := make([]actionView, len(list))
	for i, a := range list {
		scope := actionScope(a.Workflow.ID)
		out[i] = actionView{ID: a.Workflow.ID, Name: a.Workflow.Name, Description: a.Workflow.Description, FormKey: scope,
			Inputs: schemaInputs(a.Trigger.InputSchema, "input", scope, nil, v, true)}
	}
	return out, nil
}

// caseAction serves POST /cases/{id}/actions/{workflow}: it starts a run of the case
// action (StartWorkflowRun, as the API's POST /cases/{id}/actions/{workflow-id}) and
// shows the case again with the run's result.
func (h *Handler) caseAction(w http.ResponseWriter, r *http.Request) error {
	cc, err := h.caseFor(r)
	if err != nil {
		return err
	}
	if err := cc.need(docket.PermWorkCases); err != nil {
		return err
	}
	actions, err := h.store.CaseActions(r.Context(), cc.c.TemplateID)
	if err != nil {
		return err
	}
	id := r.PathValue("workflow")
	var a *docket.CaseAction
	for _, x := range actions {
		if x.Workflow.ID == id {
			a = x
		}
	}
	if a == nil {
		return docket.NotFound("case action", id)
	}
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "the form could not be read")
	}
	scope := actionScope(id)
	input, typed, errs := readSchemaForm(r, a.Trigger.InputSchema, "input", scope, false)
	if len(errs) > 0 {
		return h.renderCase(w, r, cc, http.StatusUnprocessableEntity, &View{Form: typed, Errors: errs})
	}
	run, err := h.store.StartWorkflowRun(r.Context(), cc.p.Actor(), id,
		docket.RunStart{TriggerType: docket.TriggerCaseAction, CaseID: cc.c.ID, Input: input})
	if err != nil {
		return h.caseRefused(w, r, cc, err, scope, typed, schemaInputNames(a.Trigger.InputSchema, "input", scope))
	}
	return h.caseDone(w, r, cc.c.ID, "“"+a.Workflow.Name+"” is running.", url.Values{"run": {run.ID}}, "#run")
}

// runResult is the outcome of a case action run, shown on the case page after the run
// was started (?run=wfr_...).
type runResult struct {
	*docket.WorkflowRun
	WorkflowName string
	Finished     bool
}

// runResult reads the run named by ?run= if it is a run on the case that the user may
// read; anything else shows nothing. The caller checks that the user may see the case.
func (h *Handler) runResult(r *http.Request, caseID string) (*runResult, error) {
	id := r.URL.Query().Get("run")
	if id == "" || !docket.ValidID(docket.PrefixWorkflowRun, id) {
		return nil, nil
	}
	a, err := h.access(r)
	if err != nil || !a.P.Can(docket.PermReadWorkflows) {
		return nil, err
	}
	run, err := h.store.FindWorkflowRun(r.Context(), id)
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if run.Trigger.ObjectID != caseID {
		return nil, nil
	}
	res := &runResult{WorkflowRun: run, Finished: run.Status == docket.RunCompleted || run.Status == docket.RunErrored}
	if wf, err := h.store.FindWorkflow(r.Context(), run.WorkflowID); err == nil {
		res.WorkflowName = wf.Name
	}
	return res, nil
}
