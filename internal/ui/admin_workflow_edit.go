package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/docket-hq/docket"
)

// workflowPage is what templates/admin_workflow.html shows: the workflow (nil while a
// new one is written), its editor, and the definition in words beside it.
type workflowPage struct {
	Workflow *docket.Workflow
	Tab      string
	Editor   editorView
	// Render is the definition in words: the text being edited if it reads, else the
	// saved draft.
	Render *definitionView
	// Which status changes the workflow's status allows (the store decides again).
	CanPublish, CanPause, CanArchive bool
}

// editorView is the definition's textarea with its line numbers. ErrorLine marks the
// line a refusal points at (0 for none); its message is View.Errors["definition"].
type editorView struct {
	Text      string
	Lines     []int
	Rows      int
	ErrorLine int
	ReadOnly  bool
}

// newWorkflowText is what a new workflow's editor starts with: an api trigger and one
// step, to edit rather than to write from nothing.
const newWorkflowText = `{
  "trigger": {
    "type": "api",
    "input-schema": [
      {"key": "case-id", "type": "string", "label": "Case", "required": true}
    ]
  },
  "steps": [
    {
      "id": "tag",
      "type": "action",
      "action": "tag-object",
      "params": {"object-id": "=input[\"case-id\"]", "tags": ["checked"]}
    }
  ]
}`

func newEditor(text string, errLine int) editorView {
	n := strings.Count(text, "\n") + 1
	e := editorView{Text: text, Rows: max(n+2, 12), ErrorLine: errLine}
	for i := 1; i <= n; i++ {
		e.Lines = append(e.Lines, i)
	}
	return e
}

// adminWorkflowNew serves GET /admin/workflows/new: the editor for a new workflow.
func (h *Handler) adminWorkflowNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageWorkflows); err != nil {
		return err
	}
	return h.workflowEditor(w, r, http.StatusOK, nil, &View{Form: map[string]string{"definition": newWorkflowText}}, 0)
}

// adminWorkflowCreate serves POST /admin/workflows: CreateWorkflow, as POST
// /api/v1/workflows; the workflow starts as a draft.
func (h *Handler) adminWorkflowCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageWorkflows)
	if err != nil {
		return err
	}
	form := workflowForm(r)
	def, prob := parseDefinition(form["definition"])
	if prob != nil {
		return h.workflowProblem(w, r, nil, form, prob)
	}
	wf, err := h.store.CreateWorkflow(r.Context(), a.P.Actor(), docket.NewWorkflow{Name: form["name"],
		Description: form["description"], Definition: *def})
	if err != nil {
		return h.workflowRefused(w, r, nil, form, err)
	}
	return h.workflowDone(w, r, wf.ID, "", "Workflow “"+wf.Name+"” created as a draft: publish it to make it run.")
}

// adminWorkflowShow serves GET /admin/workflows/{id}: the draft in the editor.
func (h *Handler) adminWorkflowShow(w http.ResponseWriter, r *http.Request) error {
	_, wf, err := h.workflowFor(r)
	if err != nil {
		return err
	}
	return h.workflowEditor(w, r, http.StatusOK, wf, &View{}, 0)
}

// workflowFor starts every handler of one workflow's pages: needAdmin first (the 403
// page for anyone who may not manage workflows), then the workflow {id}.
func (h *Handler) workflowFor(r *http.Request) (*access, *docket.Workflow, error) {
	a, err := h.needAdmin(r, docket.PermManageWorkflows)
	if err != nil {
		return nil, nil, err
	}
	wf, err := h.store.FindWorkflow(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	return a, wf, nil
}

// adminWorkflowSave serves POST /admin/workflows/{id}: UpdateWorkflow, as PATCH
// /api/v1/workflows/{id}. It changes the draft; what runs changes when it is published,
// which then=publish does next (as POST /api/v1/workflows/{id}/publish).
func (h *Handler) adminWorkflowSave(w http.ResponseWriter, r *http.Request) error {
	a, wf, err := h.workflowFor(r)
	if err != nil {
		return err
	}
	form := workflowForm(r)
	def, prob := parseDefinition(form["definition"])
	if prob != nil {
		return h.workflowProblem(w, r, wf, form, prob)
	}
	name, desc := form["name"], form["description"]
	saved, err := h.store.UpdateWorkflow(r.Context(), a.P.Actor(), wf.ID,
		docket.WorkflowUpdate{Name: &name, Description: &desc, Definition: def})
	if err != nil {
		return h.workflowRefused(w, r, wf, form, err)
	}
	if r.PostFormValue("then") == "publish" {
		c := h.workflowChanges()["publish"]
		published, err := c.change(r.Context(), a.P.Actor(), wf.ID)
		if err != nil {
			return h.workflowRefused(w, r, saved, form, err)
		}
		return h.workflowDone(w, r, wf.ID, "", "Draft saved. "+c.done(published))
	}
	msg := "Draft saved."
	if wf.Version > 0 {
		msg = "Draft saved. Version " + strconv.Itoa(wf.Version) + " still runs until you publish the draft."
	}
	return h.workflowDone(w, r, wf.ID, "", msg)
}

// workflowForm reads the editor's form. Browsers send a textarea's line breaks as CRLF;
// the text is kept with LF so that its lines are the lines the editor numbers.
func workflowForm(r *http.Request) map[string]string {
	return map[string]string{"name": r.PostFormValue("name"), "description": r.PostFormValue("description"),
		"definition": crlf.Replace(r.PostFormValue("definition"))}
}

// workflowDone redirects to one of the workflow's pages (suffix "" for the editor) with
// a message.
func (h *Handler) workflowDone(w http.ResponseWriter, r *http.Request, id, suffix, msg string) error {
	h.setFlash(w, r, secretFrom(r.Context()), msg)
	http.Redirect(w, r, "/admin/workflows/"+id+suffix, http.StatusSeeOther)
	return nil
}

// workflowProblem shows the editor again with what is wrong with its text, at its line.
func (h *Handler) workflowProblem(w http.ResponseWriter, r *http.Request, wf *docket.Workflow, form map[string]string, p *defProblem) error {
	msg := p.Message
	if p.Line > 0 {
		msg = "Line " + strconv.Itoa(p.Line) + ": " + msg
	}
	v := &View{Form: form, Errors: map[string]string{"definition": msg}}
	return h.workflowEditor(w, r, http.StatusUnprocessableEntity, wf, v, p.Line)
}

// workflowRefused shows the editor again with the store's refusal beside the input it
// names: the name, or the line of the definition its field path points at.
func (h *Handler) workflowRefused(w http.ResponseWriter, r *http.Request, wf *docket.Workflow, form map[string]string, err error) error {
	status, ok := refusalStatus(err)
	if !ok {
		return err
	}
	field, msg := docket.ErrorField(err)
	msg = sentence(msg)
	v := &View{Form: form, Errors: map[string]string{}}
	line := 0
	switch {
	case field == "name" || field == "description":
		v.Errors[field] = msg
	case strings.HasPrefix(field, "definition"):
		if line = fieldLine(form["definition"], field); line > 0 {
			msg = "Line " + strconv.Itoa(line) + ": " + msg
		}
		v.Errors["definition"] = msg
	default:
		v.Errors[""] = msg
	}
	return h.workflowEditor(w, r, status, wf, v, line)
}

// refusalStatus is the status of a page that shows a refusal again: 422 for invalid
// input, 409 for a conflict, 400 for a bad request; ok is false for any other error.
func refusalStatus(err error) (int, bool) {
	switch docket.ErrorCode(err) {
	case docket.EInvalid:
		return http.StatusUnprocessableEntity, true
	case docket.EConflict:
		return http.StatusConflict, true
	case docket.EBadRequest:
		return http.StatusBadRequest, true
	}
	return 0, false
}

// workflowEditor renders the editor: the draft of wf (nil for a new workflow), or the
// text v.Form holds after a refusal.
func (h *Handler) workflowEditor(w http.ResponseWriter, r *http.Request, status int, wf *docket.Workflow, v *View, errLine int) error {
	if v.Form == nil {
		v.Form = map[string]string{}
	}
	d := &workflowPage{Workflow: wf, Tab: "definition"}
	if _, typed := v.Form["definition"]; !typed && wf != nil {
		v.Form["name"], v.Form["description"], v.Form["definition"] = wf.Name, wf.Description, definitionText(wf.Definition)
	}
	d.Editor = newEditor(v.Form["definition"], errLine)
	if def, prob := parseDefinition(v.Form["definition"]); prob == nil {
		d.Render = renderDefinition(def)
	} else if wf != nil {
		d.Render = renderDefinition(&wf.Definition)
	}
	v.Title, v.Nav, v.Data = "New workflow", "admin", d
	if wf != nil {
		v.Title = wf.Name
		workflowActions(d)
	}
	return h.render(w, r, status, "admin_workflow", v)
}

// workflowActions decides which status changes the page offers.
func workflowActions(d *workflowPage) {
	wf := d.Workflow
	archived := wf.Status == docket.WorkflowArchived
	d.Editor.ReadOnly = archived
	d.CanPublish, d.CanArchive = !archived, !archived
	d.CanPause = wf.Status == docket.WorkflowActive
}
