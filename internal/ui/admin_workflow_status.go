package ui

import (
	"context"
	"net/http"
	"strconv"

	"github.com/docket-hq/docket"
)

// workflowChange is a status change of a workflow: the store method its API endpoint
// calls, and what the page says once it is done.
type workflowChange struct {
	change func(ctx context.Context, actor docket.Actor, id string) (*docket.Workflow, error)
	done   func(wf *docket.Workflow) string
}

// workflowChanges are the changes POST /admin/workflows/{id}/{change} makes, as POST
// /api/v1/workflows/{id}/publish, /pause and /archive do.
func (h *Handler) workflowChanges() map[string]workflowChange {
	return map[string]workflowChange{
		"publish": {h.store.PublishWorkflow, func(wf *docket.Workflow) string {
			return "Version " + strconv.Itoa(wf.Version) + " published: the workflow is active, and new runs use this version."
		}},
		"pause": {h.store.PauseWorkflow, func(*docket.Workflow) string {
			return "Paused: no new runs start. Runs already started go on."
		}},
		"archive": {h.store.ArchiveWorkflow, func(*docket.Workflow) string {
			return "Archived: the workflow no longer runs. Its versions and runs stay readable."
		}},
	}
}

// adminWorkflowStatus serves POST /admin/workflows/{id}/{publish,pause,archive}. A
// refusal (a draft that does not validate, pausing a workflow that is not active) shows
// the editor again with the store's message, at the line of the draft it points at.
func (h *Handler) adminWorkflowStatus(name string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, wf, err := h.workflowFor(r)
		if err != nil {
			return err
		}
		c := h.workflowChanges()[name]
		changed, err := c.change(r.Context(), a.P.Actor(), wf.ID)
		if err != nil {
			form := map[string]string{"name": wf.Name, "description": wf.Description, "definition": definitionText(wf.Definition)}
			return h.workflowRefused(w, r, wf, form, err)
		}
		return h.workflowDone(w, r, wf.ID, "", c.done(changed))
	}
}
