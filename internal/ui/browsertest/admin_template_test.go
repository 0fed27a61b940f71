package browsertest

import (
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

// TestAdminTemplateScenario: an admin creates a template with a custom status set and a
// required choices field, opens a case of it from the case list and sees the message
// beside the missing field, then adds a status to the template and moves it into place.
func TestAdminTemplateScenario(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		admin := s.user(t, "admin")
		key := strings.ToUpper(unique("ONB"))
		name := "Onboarding " + key
		save := `#tmpl-form .form-actions button.primary`

		b := s.tab(t)
		b.signIn(admin.Email)
		b.openOK("/admin")
		b.clickOK(`a[href="/admin/templates"]`)
		b.clickOK(`a[href="/admin/templates/new"]`)
		b.fits("new template form")
		b.fill("#t-name", name)
		b.fill("#t-key", key)
		for i, status := range []string{"New", "Review", "Passed", "Failed"} {
			b.fill("#status-"+string(rune('0'+i))+"-name", status)
		}
		b.fill("#field-0-key", "risk")
		b.fill("#field-0-label", "Risk level")
		b.fill("#field-0-type", docket.FieldChoices)
		b.do("tick required", clickOn("#field-0-required"))
		b.fill("#field-0-options", "low\nhigh")
		b.clickOK(save)
		b.wantText(".flash", "Template “"+name+"” created.")
		tmplPath := b.path()
		id := strings.TrimPrefix(tmplPath, "/admin/templates/")
		tm, err := s.store.FindTemplate(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := statusOrder(tm); got != "New Review Passed Failed" {
			t.Fatalf("statuses %s", got)
		}

		// A case of it, opened from the case list without the required field, is refused.
		b.openOK("/cases")
		b.fill("#new-case-template", id)
		b.clickOK(`form.new-case button[type=submit]`)
		b.wantText("h1", name)
		if st := b.click(`#new-case-form button[type=submit]`); st != 422 {
			t.Fatalf("a case without its required field: status %d, want 422", st)
		}
		b.wantText("#in-fields-risk-err", `Field "risk" is required`)
		b.fill("#in-fields-risk", "high")
		b.clickOK(`#new-case-form button[type=submit]`)
		b.wantText(".flash", "Case "+key+"-1 created.")
		b.wantText(".case-facts", "New")

		// Add a status in a blank row, then move it up twice, above Passed.
		b.openOK(tmplPath)
		b.fill("#status-4-name", "Escalated")
		b.clickOK(save)
		b.wantText(".flash", "saved")
		b.clickOK(`button[name=move][value="status.4.up"]`)
		b.wantText(".flash", "Moved. Save to keep the new order.")
		b.clickOK(`button[name=move][value="status.3.up"]`)
		if got := eval[string](b, `Array.from(document.querySelectorAll('input[name$=".name"][name^="status."]')).map(i => i.value).filter(v => v).join(" ")`); got != "New Review Escalated Passed Failed" {
			t.Fatalf("the form shows the statuses as %q", got)
		}
		tm, _ = s.store.FindTemplate(ctx, id)
		if got := statusOrder(tm); got != "New Review Passed Failed Escalated" {
			t.Fatalf("moving saved already: %s", got)
		}
		b.clickOK(save)
		b.wantText(".flash", "saved")
		tm, _ = s.store.FindTemplate(ctx, id)
		if got := statusOrder(tm); got != "New Review Escalated Passed Failed" {
			t.Fatalf("statuses after reordering: %s", got)
		}
		b.fits("template form")
	})
}

func statusOrder(tm *docket.CaseTemplate) string {
	var names []string
	for _, s := range tm.Statuses {
		names = append(names, s.Name)
	}
	return strings.Join(names, " ")
}
