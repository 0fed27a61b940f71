package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// escalationText is a workflow as an admin types it: an api trigger asking for a reason,
// and one step whose action is on line 12.
func escalationText(action, templateID string) string {
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
      "params": {"case-template-id": "` + templateID + `", "tags": ["=input.reason"]}
    }
  ]
}`
}

// TestAdminWorkflow: an admin writes a workflow with a mistake, sees the message at the
// line it is on, fixes it, publishes it, runs it from its input form and reads the run's
// steps.
func TestAdminWorkflow(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		admin := s.user(t, "admin")
		tm := s.template(t, nil)
		name := unique("Escalate ")
		b := s.tab(t)
		b.signIn(admin.Email)
		b.openOK("/admin")
		b.clickOK(`a[href="/admin/workflows"]`)
		b.clickOK(`a[href="/admin/workflows/new"]`)

		b.fill("#wf-name", name)
		b.fill("#wf-definition", escalationText("open-case", tm.ID))
		if st := b.click(`.wf-editor-form button.primary`); st != 422 {
			b.fail("create with a mistake", fmt.Errorf("status %d", st))
		}
		b.wantText("#wf-definition-err", `Line 12: Unknown action "open-case"`)
		if got := b.text(".gutter .bad"); got != "12" {
			b.fail("the marked line", fmt.Errorf("is %q", got))
		}
		// The marked number sits beside line 12 of the text: the gutter and the textarea
		// share their font, line height and top padding.
		offset := eval[float64](b, `(() => {
			const ta = document.querySelector("#wf-definition"), st = getComputedStyle(ta);
			const line12 = ta.getBoundingClientRect().top + parseFloat(st.paddingTop) + 11 * parseFloat(st.lineHeight);
			return Math.abs(document.querySelector(".gutter .bad").getBoundingClientRect().top - line12);
		})()`)
		if offset > 2 {
			b.fail("the marked line", fmt.Errorf("is %.1fpx off line 12 of the text", offset))
		}

		b.fill("#wf-definition", escalationText("create-case", tm.ID))
		b.clickOK(`.wf-editor-form button.primary`)
		b.wantText(".flash", "created as a draft")
		b.wantText(".wf-render", "create-case", "Then → end of the run", "reason")
		b.clickOK(`button[name="then"][value="publish"]`)
		b.wantText(".flash", "Version 1 published")
		b.wantText(".wf-meta", "active", "version 1 runs")

		b.clickOK(`.tabs a[href$="/run"]`)
		if st := b.click(`.wf-run-form button[type=submit]`); st != 422 {
			b.fail("run without its input", fmt.Errorf("status %d", st))
		}
		b.wantText("#in-input-reason-err", `Field "reason" is required`)
		b.fill("#in-input-reason", "fraud")
		b.clickOK(`.wf-run-form button[type=submit]`)
		if !strings.HasPrefix(b.path(), "/workflow-runs/wfr_") {
			b.fail("run now", fmt.Errorf("went to %s", b.path()))
		}
		runPath := b.path()
		eventually(t, 20*time.Second, func() (bool, string) {
			b.openOK(runPath)
			return b.has(".status.run-completed"), "the run is " + b.text(".case-facts .status")
		})
		b.wantText(".run-page table", "open", "completed")
		b.do("open the step's output", clickOn(".run-page table details:last-of-type summary"))
		b.wantText(".run-page table details[open]", tm.Key, "fraud")

		b.clickOK(`.case-facts a[href$="/runs"]`)
		b.wantText(".wf-page table", strings.TrimPrefix(runPath, "/workflow-runs/"), "completed")
	})
}
