package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// openCaseText is a definition as an admin types it in the editor: an api trigger that
// asks for a reason, and one step on line 12 (its action) and 13 (its parameters).
func openCaseText(action, params string) string {
	return `{
  "trigger": {
    "type": "api",
    "input-schema": [
      {"key": "reason", "type": "string", "label": "Reason", "required": true}
    ]
  },
  "steps": [
    {
      "id": "open",
      "type": "action",
      "action": "` + action + `",
      "params": ` + params + `
    }
  ]
}`
}

// workflowSite is a dashboard whose store runs workflows, with an admin, a manager and
// a reviewer, and a case template for workflows to open cases of.
func workflowSite(t *testing.T, dbURL string) (*site, *docket.CaseTemplate) {
	t.Helper()
	s := newWorkSite(t, dbURL)
	for _, role := range []string{docket.RoleAdmin, docket.RoleManager, docket.RoleReviewer} {
		s.user(role+"@example.com", role)
	}
	return s, s.template("Escalation", "ESC")
}

// flowPost posts a form of one of a workflow's pages (its CSRF token from the editor).
func flowPost(b *browser, path string, fields ...string) *page {
	b.t.Helper()
	form := url.Values{}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Add(fields[i], fields[i+1])
	}
	return b.post("/admin/workflows/new", path, form)
}

var workflowPathRe = regexp.MustCompile(`^/admin/workflows/(wfl_[0-9a-z]+)$`)

// TestAdminWorkflowEditor: an admin writes a workflow with a mistake, sees it at its
// line, fixes it, publishes it, changes it and compares the versions.
func TestAdminWorkflowEditor(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s, tm := workflowSite(t, dbURL)
		b := s.browser()
		b.signIn("admin@example.com")
		b.get("/admin/workflows").want(t, http.StatusOK, "No workflows yet", `href="/admin/workflows/new"`)
		starter := b.get("/admin/workflows/new")
		starter.want(t, http.StatusOK, `<textarea id="wf-definition" name="definition"`, "&#34;tag-object&#34;")
		// The definition a new workflow starts with is one the store accepts.
		text := html.UnescapeString(regexp.MustCompile(`(?s)<textarea id="wf-definition"[^>]*>\n(.*?)</textarea>`).FindStringSubmatch(starter.body)[1])
		p := flowPost(b, "/admin/workflows", "name", "Starter", "definition", text)
		p.want(t, http.StatusSeeOther)
		_, err := s.store.ArchiveWorkflow(ctx, sysActor, strings.TrimPrefix(p.location(), "/admin/workflows/"))
		noErr(t, err)

		good := `{"case-template-id": "` + tm.ID + `", "tags": ["first"]}`
		for _, tt := range []struct {
			name, text string
			line       string
			msg        string
		}{
			{"unknown action", openCaseText("launch-rocket", good), "12", "Line 12: Unknown action &#34;launch-rocket&#34;"},
			{"missing parameter", openCaseText("create-case", `{"tags": ["first"]}`), "13",
				"Line 13: Action create-case needs the parameter &#34;case-template-id&#34;"},
			{"not JSON", openCaseText("create-case", `{"tags": ["first"],}`), "13", "Line 13: Not valid JSON"},
			{"wrong type", openCaseText("create-case", `{"case-template-id": "`+tm.ID+`", "sla-expires-in-seconds": "soon"}`), "13", "Line 13: Sla-expires-in-seconds "},
			{"not an object", strings.Replace(openCaseText("create-case", good), `"type": "api",`, `"type": ["api"],`, 1), "3",
				"Line 3: &#34;type&#34; must be a string"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				p := flowPost(b, "/admin/workflows", "name", "Escalate", "definition", tt.text)
				p.want(t, http.StatusUnprocessableEntity, tt.msg, `<span class="bad">`+tt.line+`</span>`,
					`aria-describedby="wf-definition-err"`)
			})
		}
		if list, _, _ := s.store.ListWorkflows(ctx, docket.WorkflowFilter{}); len(list) != 1 {
			t.Fatalf("a refused workflow was written: %d", len(list))
		}
		flowPost(b, "/admin/workflows", "name", "", "definition", openCaseText("create-case", good)).
			want(t, http.StatusUnprocessableEntity, `id="wf-name-err"`, "Name is required")

		p = flowPost(b, "/admin/workflows", "name", "Escalate", "definition", strings.ReplaceAll(openCaseText("create-case", good), "\n", "\r\n"))
		m := workflowPathRe.FindStringSubmatch(p.location())
		if p.status != http.StatusSeeOther || m == nil {
			t.Fatalf("create: %d %q\n%s", p.status, p.location(), p.body)
		}
		path, id := m[0], m[1]
		show := b.follow(p)
		show.want(t, http.StatusOK, "created as a draft", `<span class="status wf-draft">draft</span>`, "never published",
			`<li id="step-open">`, "<strong>create-case</strong>", "Runs when called through the API", "<code>reason</code>", "Then → end of the run")
		show.lacks(t, ">Pause</button>")

		// Save and publish checks the draft as publishing does; the message points at its line.
		flowPost(b, path, "name", "Escalate", "definition", openCaseText("create-case", `{}`), "then", "publish").
			want(t, http.StatusUnprocessableEntity, "Line 13: Action create-case needs the parameter")
		p = flowPost(b, path, "name", "Escalate", "definition", openCaseText("create-case", good), "then", "publish")
		b.follow(p).want(t, http.StatusOK, "Version 1 published", `<span class="status wf-active">active</span>`, "version 1 runs", ">Pause</button>")

		second := `{"case-template-id": "` + tm.ID + `", "tags": ["second"]}`
		b.follow(flowPost(b, path, "name", "Escalate", "definition", openCaseText("create-case", second))).
			want(t, http.StatusOK, "Draft saved. Version 1 still runs")
		b.get(path+"/versions").want(t, http.StatusOK, "Published versions", `<option value="1" selected>version 1</option>`,
			`<option value="draft" selected>the draft</option>`)
		b.follow(flowPost(b, path+"/publish")).want(t, http.StatusOK, "Version 2 published")

		diff := b.get(path + "/versions?from=1&to=2")
		diff.want(t, http.StatusOK, "Changes from version 1 to version 2", `href="/admin/workflows/`+id+`/versions?from=1&amp;to=2"`)
		for _, row := range []string{`<tr class="diff-del">[^\n]*&#34;first&#34;</td></tr>`, `<tr class="diff-add">[^\n]*&#34;second&#34;</td></tr>`} {
			if !regexp.MustCompile(row).MatchString(diff.body) {
				t.Errorf("the diff lacks %s:\n%s", row, diff.body)
			}
		}
		if regexp.MustCompile(`<tr class="diff-(add|del)">[^\n]*case-template-id`).MatchString(diff.body) {
			t.Error("an unchanged line is marked")
		}
		b.get(path+"/versions?from=2&to=draft").want(t, http.StatusOK, "The two definitions are the same")
		b.get(path+"/versions?from=1&to=9").want(t, http.StatusNotFound)

		// Pause, and the API's message when there is nothing to pause.
		b.follow(flowPost(b, path+"/pause")).want(t, http.StatusOK, "Paused: no new runs start", `<span class="status wf-paused">paused</span>`)
		flowPost(b, path+"/pause").want(t, http.StatusConflict, "is paused; only an active workflow can be paused")
		b.get("/admin/workflows?status=paused").want(t, http.StatusOK, `<a href="/admin/workflows/`+id+`">Escalate</a>`)
		b.get("/admin/workflows?status=draft").want(t, http.StatusOK, "No draft workflows")
		b.get("/admin/workflows").want(t, http.StatusOK, ">Starter</a>", ">Escalate</a>")
		b.follow(flowPost(b, path+"/archive")).want(t, http.StatusOK, "Archived", `readonly`)
		flowPost(b, path, "name", "x", "definition", "{}").want(t, http.StatusConflict, "is archived")
	})
}

// TestAdminWorkflowRunNow runs an api-triggered workflow from its input form, and reads
// its runs; the run's data show only to whom may see every template's cases.
func TestAdminWorkflowRunNow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s, tm := workflowSite(t, dbURL)
		s.startWorkers()
		b := s.browser()
		b.signIn("admin@example.com")
		p := flowPost(b, "/admin/workflows", "name", "Escalate",
			"definition", openCaseText("create-case", `{"case-template-id": "`+tm.ID+`", "fields": {}, "tags": ["=input.reason"]}`))
		path := p.location()
		b.get(path+"/run").want(t, http.StatusOK, "no published version yet")
		b.follow(flowPost(b, path+"/publish")).want(t, http.StatusOK, "Version 1 published")

		form := b.get(path + "/run")
		form.want(t, http.StatusOK, "Run version 1 now", `<label for="in-input-reason">Reason <span class="req">(required)</span></label>`,
			`name="input.reason"`)
		flowPost(b, path+"/run", "input.reason", "").want(t, http.StatusUnprocessableEntity,
			`id="in-input-reason-err"`, "Field &#34;reason&#34; is required", `aria-describedby="in-input-reason-err"`)

		p = flowPost(b, path+"/run", "input.reason", "fraud")
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/workflow-runs/wfr_") {
			t.Fatalf("run now: %d %q\n%s", p.status, p.location(), p.body)
		}
		runPath := p.location()
		b.follow(p).want(t, http.StatusOK, "“Escalate” is running.")
		done := untilRun(t, b, runPath, `<span class="status run-completed">completed</span>`)
		done.want(t, http.StatusOK, "<code>open</code>", "<summary>Run input</summary>", "<summary>Output</summary>", "fraud",
			`<a href="/admin/workflows/`+strings.TrimPrefix(path, "/admin/workflows/")+`">Escalate</a>`, " ms</td>")
		runID := strings.TrimPrefix(runPath, "/workflow-runs/")

		b.get(path+"/runs").want(t, http.StatusOK, runID, `<span class="status run-completed">completed</span>`)
		b.get(path+"/runs?status=completed").want(t, http.StatusOK, runID)
		errored := b.get(path + "/runs?status=errored")
		errored.want(t, http.StatusOK, "No errored runs")
		errored.lacks(t, runID)

		// Once a template is hidden from admins, a run may hold its cases: its data are
		// left out, as the API leaves them out.
		s.hideFrom(s.template("Secret", "SEC"), docket.RoleManager)
		hidden := b.get(runPath)
		hidden.want(t, http.StatusOK, "are not shown", "<code>open</code>")
		hidden.lacks(t, "<summary>Run input</summary>", "<summary>Output</summary>", "fraud")
	})
}

// TestAdminWorkflowRefusals: only those who manage workflows reach the pages, and a form
// posted by hand by anyone else changes nothing.
func TestAdminWorkflowRefusals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s, tm := workflowSite(t, dbURL)
		wf, err := s.store.CreateWorkflow(ctx, sysActor, docket.NewWorkflow{Name: "Escalate", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerAPI},
			Steps: []docket.WorkflowStep{{ID: "open", Type: docket.StepAction, Action: "create-case",
				Params: map[string]any{"case-template-id": tm.ID}}}}})
		noErr(t, err)
		base := "/admin/workflows/" + wf.ID
		for _, role := range []string{docket.RoleReviewer, docket.RoleManager} {
			t.Run(role, func(t *testing.T) {
				b := s.browser()
				b.signIn(role + "@example.com")
				for _, path := range []string{"/admin/workflows", "/admin/workflows/new", base, base + "/versions", base + "/runs", base + "/run"} {
					b.get(path).want(t, http.StatusForbidden, "manage workflows")
				}
				token := b.get("/").csrf(t)
				for _, path := range []string{"/admin/workflows", base, base + "/publish", base + "/pause", base + "/archive", base + "/run"} {
					form := url.Values{"csrf_token": {token}, "name": {"Hijacked"}, "definition": {"{}"}}
					b.do(http.MethodPost, path, form).want(t, http.StatusForbidden, "manage workflows")
				}
			})
		}
		after, err := s.store.FindWorkflow(ctx, wf.ID)
		noErr(t, err)
		if after.Name != "Escalate" || after.Status != docket.WorkflowDraft || after.UpdatedAt != wf.UpdatedAt {
			t.Errorf("a refused form changed the workflow: %+v", after)
		}
		if list, _, _ := s.store.ListWorkflows(ctx, docket.WorkflowFilter{}); len(list) != 1 {
			t.Errorf("a refused form created a workflow: %d workflows", len(list))
		}
		admin := s.browser()
		admin.signIn("admin@example.com")
		admin.get(base).want(t, http.StatusOK, "Escalate")
		admin.get("/admin/workflows/wfl_01h455vb4pex5vsknk084sn02q").want(t, http.StatusNotFound)
	})
}
