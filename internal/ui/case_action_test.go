package ui_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// publish creates and publishes a workflow.
func (w *caseWorld) publish(t *testing.T, name string, def docket.WorkflowDefinition) *docket.Workflow {
	t.Helper()
	wf, err := w.store.CreateWorkflow(ctx, system, docket.NewWorkflow{Name: name, Definition: def})
	noErr(t, err)
	wf, err = w.store.PublishWorkflow(ctx, system, wf.ID)
	noErr(t, err)
	return wf
}

// untilRun reloads the case page a run's redirect leads to until the run has finished.
func untilRun(t *testing.T, b *browser, path, want string) *page {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		p := b.get(path)
		if strings.Contains(p.body, want) {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("the run never showed %q:\n%s", want, p.body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var runLinkRe = regexp.MustCompile(`<a href="(/workflow-runs/wfr_[0-9a-z]+)">Run record</a>`)

func TestCaseActions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		w.startWorkers()
		step := func(status string) []docket.WorkflowStep {
			return []docket.WorkflowStep{{ID: "park", Type: docket.StepAction, Action: "set-case-status", Params: map[string]any{"status": status}}}
		}
		park := w.publish(t, "Park the case", docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerCaseAction, CaseTemplateIDs: []string{w.tmpl.ID},
				InputSchema: []docket.FieldSchema{{Key: "reason", Type: docket.FieldString, Label: "Reason", Required: true}}},
			Steps: step("Pending")})
		broken := w.publish(t, "Broken action", docket.WorkflowDefinition{Trigger: docket.Trigger{Type: docket.TriggerCaseAction}, Steps: step("Nope")})
		elsewhere := w.publish(t, "Other template's action", docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerCaseAction, CaseTemplateIDs: []string{"ctmpl_01h455vb4pex5vsknk084sn02q"}}, Steps: step("Pending")})

		ada := w.as(w.ada)
		ada.get(w.path("")).want(t, http.StatusOK, `action="`+w.path("/actions/"+park.ID)+`"`, ">Park the case</button>",
			`name="input.reason"`, ">Broken action</button>")
		if strings.Contains(ada.get(w.path("")).body, elsewhere.ID) {
			t.Fatal("an action for another template is offered")
		}
		ada.submit(w.path(""), w.path("/actions/"+elsewhere.ID)).want(t, http.StatusNotFound)
		w.as(w.vc).submit(w.path(""), w.path("/actions/"+park.ID), "input.reason", "x").want(t, http.StatusForbidden)

		// The input is checked as the API checks it, and the message shows beside it.
		ada.submit(w.path(""), w.path("/actions/"+park.ID), "input.reason", "").want(t, http.StatusUnprocessableEntity,
			"Field &#34;reason&#34; is required", `id="in-action-`+park.ID+`-input-reason-err"`)

		p := ada.submit(w.path(""), w.path("/actions/"+park.ID), "input.reason", "waiting for documents")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), w.path("?run=wfr_")) {
			t.Fatalf("running an action: %d %q\n%s", p.status, p.location(), p.body)
		}
		done := untilRun(t, ada, p.location(), "completed.")
		done.want(t, http.StatusOK, "“Park the case” completed.", `<span class="status">Pending</span>`, `">workflow “Park the case”</a>`, "Status changed from Open to Pending")
		run := runLinkRe.FindStringSubmatch(done.body)
		if run == nil {
			t.Fatalf("no link to the run record:\n%s", done.body)
		}
		w.as(w.vc).get(run[1]).want(t, http.StatusOK, "Park the case", "completed", "park", w.c.Name)

		p = ada.submit(w.path(""), w.path("/actions/"+broken.ID))
		failed := untilRun(t, ada, p.location(), "failed.")
		failed.want(t, http.StatusOK, "“Broken action” failed.", "is not a status of case template")
	})
}

// TestRunPageHidesHiddenCases answers 404 for the run of a case the user may not see.
func TestRunPageHidesHiddenCases(t *testing.T) {
	t.Parallel()
	w := newCaseWorld(t, storetest.SQLiteURL(t))
	secret := &docket.CaseTemplate{Name: "SAR", Key: "SAR", VisibleToRoles: []string{docket.RoleAdmin}}
	noErr(t, w.store.CreateTemplate(ctx, system, secret))
	hidden, err := w.store.CreateCase(ctx, system, docket.NewCase{TemplateID: secret.ID})
	noErr(t, err)
	wf := w.publish(t, "Tag it", docket.WorkflowDefinition{Trigger: docket.Trigger{Type: docket.TriggerCaseAction},
		Steps: []docket.WorkflowStep{{ID: "tag", Type: docket.StepAction, Action: "tag-object", Params: map[string]any{"tags": []any{"x"}}}}})
	run, err := w.store.StartWorkflowRun(ctx, system, wf.ID, docket.RunStart{TriggerType: docket.TriggerCaseAction, CaseID: hidden.ID})
	noErr(t, err)
	w.as(w.ada).get("/workflow-runs/"+run.ID).want(t, http.StatusNotFound, "Not found")
	w.as(w.root).get("/workflow-runs/"+run.ID).want(t, http.StatusOK, "Tag it", hidden.Name)
	w.as(w.ada).get("/workflow-runs/wfr_01h455vb4pex5vsknk084sn02q").want(t, http.StatusNotFound)

	// A run's data copy cases and objects: someone from whom a template is hidden sees the
	// run of a case they may see, but not its steps' inputs and outputs.
	w.startWorkers()
	visible, err := w.store.StartWorkflowRun(ctx, system, wf.ID, docket.RunStart{TriggerType: docket.TriggerCaseAction, CaseID: w.c.ID})
	noErr(t, err)
	untilRun(t, w.as(w.root), "/workflow-runs/"+visible.ID, ">completed</span>")
	w.as(w.root).get("/workflow-runs/"+visible.ID).want(t, http.StatusOK, "<summary>Input</summary>")
	p := w.as(w.ada).get("/workflow-runs/" + visible.ID)
	p.want(t, http.StatusOK, "Tag it", "are not shown")
	p.lacks(t, "<summary>Input</summary>", "<summary>Output</summary>")
}
