package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// runPage is a workflow run's record: what the case page and the timeline link to.
type runPage struct {
	Run          *docket.WorkflowRun
	WorkflowName string
	Creator      actorView
	Case         *docket.Case
	Started      when
	Completed    *when
	Steps        []stepView
	// DataHidden says that the steps' inputs and outputs are left out
	// (Principal.CanSeeRunData, as the API decides).
	DataHidden bool
}

type stepView struct {
	docket.StepRun
	Started       when
	Input, Output string
}

// runShow serves GET /workflow-runs/{id}. A run about a case the user may not see is
// not found, as the case is.
func (h *Handler) runShow(w http.ResponseWriter, r *http.Request) error {
	a, err := h.access(r)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermReadWorkflows) {
		return refusal(a.P, docket.PermReadWorkflows)
	}
	run, err := h.store.FindWorkflowRun(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	now := h.now()
	d := &runPage{Run: run, Started: whenOf(now, run.CreatedAt)}
	if run.Trigger.ObjectType == "case" {
		if d.Case, err = h.visibleCase(r, a, run.Trigger.ObjectID); err != nil {
			if docket.ErrorCode(err) == docket.ENotFound {
				return docket.NotFound("workflow run", run.ID)
			}
			return err
		}
	}
	if wf, err := h.store.FindWorkflow(r.Context(), run.WorkflowID); err == nil {
		d.WorkflowName = wf.Name
	}
	if run.CompletedAt != nil {
		c := whenOf(now, *run.CompletedAt)
		d.Completed = &c
	}
	names, err := h.store.NameActors(r.Context(), []docket.Actor{run.Creator})
	if err != nil {
		return err
	}
	d.Creator = actorOf(run.Creator, names)
	d.DataHidden = !a.P.CanSeeRunData(a.Vis)
	for _, s := range run.Steps {
		v := stepView{StepRun: s, Started: whenOf(now, s.StartedAt)}
		if !d.DataHidden {
			v.Input, v.Output = formatValue(s.Input), formatValue(s.Output)
		}
		d.Steps = append(d.Steps, v)
	}
	return h.render(w, r, http.StatusOK, "run_show", &View{Title: "Workflow run", Nav: "cases", Data: d})
}
