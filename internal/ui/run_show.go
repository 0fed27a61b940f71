package ui

import (
	"net/http"
	"strconv"
	"time"

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
	// DataHidden says that the run's input and the steps' inputs and outputs are left
	// out (Principal.CanSeeRunData, as the API decides).
	DataHidden bool
	// Input is the run's input (api and case-action runs), "" when none or hidden.
	Input string
	// CanManage links the workflow's administration pages.
	CanManage bool
}

type stepView struct {
	docket.StepRun
	Started       when
	Took          string
	Input, Output string
}

// took says how long a step took: "85 ms", "2.4 s", then minutes and more.
func took(d time.Duration) string {
	switch {
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < time.Minute:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	}
	return span(d)
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
	d.CanManage = a.P.Can(docket.PermManageWorkflows)
	if !d.DataHidden && len(run.Input) > 0 {
		d.Input = formatValue(run.Input)
	}
	for _, s := range run.Steps {
		v := stepView{StepRun: s, Started: whenOf(now, s.StartedAt)}
		if s.FinishedAt != nil {
			v.Took = took(s.FinishedAt.Sub(s.StartedAt))
		}
		if !d.DataHidden {
			v.Input, v.Output = formatValue(s.Input), formatValue(s.Output)
		}
		d.Steps = append(d.Steps, v)
	}
	// A run about a case belongs with the cases; another is one of its workflow's runs.
	nav := "cases"
	if d.Case == nil && d.CanManage {
		nav = "admin"
	}
	return h.render(w, r, http.StatusOK, "run_show", &View{Title: "Workflow run", Nav: nav, Data: d})
}
