package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// runsPage is what templates/admin_workflow_runs.html shows: a workflow's runs, newest
// first, filtered by status.
type runsPage struct {
	statusList
	Workflow *docket.Workflow
	Tab      string
	Status   string
	Runs     []runRow
	Pager    pager
}

type runRow struct {
	*docket.WorkflowRun
	Started  when
	Finished *when
}

var runStatuses = []string{docket.RunRunning, docket.RunWaiting, docket.RunCompleted, docket.RunErrored}

// adminWorkflowRuns serves GET /admin/workflows/{id}/runs?status= (ListWorkflowRuns, as
// GET /api/v1/workflow-runs?filter[workflow-id]=...&filter[status]=...). The list shows
// statuses, times, errors and ids, which every reader of runs may see; each run's data
// are on its page, for those who may see them (Principal.CanSeeRunData).
func (h *Handler) adminWorkflowRuns(w http.ResponseWriter, r *http.Request) error {
	_, wf, err := h.workflowFor(r)
	if err != nil {
		return err
	}
	l := readStatusList(r, "/admin/workflows/"+wf.ID+"/runs", docket.PrefixWorkflowRun, runStatuses)
	list, pr, err := h.store.ListWorkflowRuns(r.Context(), docket.WorkflowRunFilter{WorkflowID: wf.ID, Status: l.status, Page: l.page})
	if err != nil {
		return err
	}
	d := &runsPage{statusList: l, Workflow: wf, Tab: "runs", Status: l.status}
	now := h.now()
	for _, run := range list {
		row := runRow{WorkflowRun: run, Started: whenOf(now, run.CreatedAt)}
		if run.CompletedAt != nil {
			f := whenOf(now, *run.CompletedAt)
			row.Finished = &f
		}
		d.Runs = append(d.Runs, row)
	}
	if len(list) > 0 {
		d.Pager = l.pager(list[0].ID, list[len(list)-1].ID, pr)
	}
	return h.render(w, r, http.StatusOK, "admin_workflow_runs", &View{Title: wf.Name + ": runs", Nav: "admin", Data: d})
}
