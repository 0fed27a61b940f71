package ui

import (
	"net/http"
	"strconv"

	"github.com/docket-hq/docket"
)

// runNowPage is what templates/admin_workflow_run.html shows: a form built from the
// input schema of the published version's api trigger.
type runNowPage struct {
	Workflow *docket.Workflow
	Tab      string
	Inputs   []fieldView
	// Refusal says why the workflow cannot run now (not api-triggered, never published).
	Refusal string
}

// runNowSchema reads the input schema the workflow's published version takes. A
// workflow that cannot be run from here gets refusal instead.
func (h *Handler) runNowSchema(r *http.Request, wf *docket.Workflow) (schema []docket.FieldSchema, refusal string, err error) {
	if wf.Version == 0 {
		return nil, "This workflow has no published version yet: publish it first.", nil
	}
	v, err := h.store.FindWorkflowVersion(r.Context(), wf.ID, wf.Version)
	if err != nil {
		return nil, "", err
	}
	if v.Definition.Trigger.Type != docket.TriggerAPI {
		return nil, "Only a workflow with an api trigger runs on demand; version " + strconv.Itoa(wf.Version) +
			" has a " + v.Definition.Trigger.Type + " trigger.", nil
	}
	return v.Definition.Trigger.InputSchema, "", nil
}

// adminWorkflowRunForm serves GET /admin/workflows/{id}/run.
func (h *Handler) adminWorkflowRunForm(w http.ResponseWriter, r *http.Request) error {
	_, wf, err := h.workflowFor(r)
	if err != nil {
		return err
	}
	schema, refusal, err := h.runNowSchema(r, wf)
	if err != nil {
		return err
	}
	return h.runNowForm(w, r, http.StatusOK, wf, schema, refusal, &View{})
}

func (h *Handler) runNowForm(w http.ResponseWriter, r *http.Request, status int, wf *docket.Workflow, schema []docket.FieldSchema, refusal string, v *View) error {
	d := &runNowPage{Workflow: wf, Tab: "run", Refusal: refusal}
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	d.Inputs = schemaInputs(schema, "input", "", nil, v, true)
	v.Title, v.Nav, v.Data = wf.Name+": run now", "admin", d
	return h.render(w, r, status, "admin_workflow_run", v)
}

// adminWorkflowRunNow serves POST /admin/workflows/{id}/run: StartWorkflowRun with the
// form's input, as POST /api/v1/workflows/{id}/trigger; the input is checked against
// the schema there, and a refusal shows beside its input. A run started goes to its
// record.
func (h *Handler) adminWorkflowRunNow(w http.ResponseWriter, r *http.Request) error {
	a, wf, err := h.workflowFor(r)
	if err != nil {
		return err
	}
	schema, refusal, err := h.runNowSchema(r, wf)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "the form could not be read")
	}
	input, typed, errs := readSchemaForm(r, schema, "input", "", false)
	if len(errs) > 0 {
		return h.runNowForm(w, r, http.StatusUnprocessableEntity, wf, schema, refusal, &View{Form: typed, Errors: errs})
	}
	run, err := h.store.StartWorkflowRun(r.Context(), a.P.Actor(), wf.ID, docket.RunStart{TriggerType: docket.TriggerAPI, Input: input})
	if err != nil {
		status, ok := refusalStatus(err)
		if !ok {
			return err
		}
		field, msg := docket.ErrorField(err)
		key := inputFor(field, schemaInputNames(schema, "input", ""))
		return h.runNowForm(w, r, status, wf, schema, refusal, &View{Form: typed, Errors: map[string]string{key: sentence(msg)}})
	}
	h.setFlash(w, r, secretFrom(r.Context()), "“"+wf.Name+"” is running.")
	http.Redirect(w, r, "/workflow-runs/"+run.ID, http.StatusSeeOther)
	return nil
}
