package api_test

import (
	"testing"
)

// TestTemplateStatusInUse: PATCH refuses to remove or rename away a status that open
// cases are in, with a 422 that names the status and its open cases and points at the
// statuses (or at the renamed status's name); once the cases have moved on, it goes.
func TestTemplateStatusInUse(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate(`{"data":{"attributes":{"name":"AML","key":"AML","statuses":[
			{"name":"New","type":"initial"},{"name":"Review","type":"intermediate"},{"name":"Filed","type":"end"}]}}}`)
		vars := map[string]string{"tmpl": tmpl, "case": h.createCase(tmpl, "")}
		h.must(200, "POST", "/cases/"+vars["case"]+"/set-status", `{"meta":{"status":"Review"}}`)
		h.scenario(t, vars, []step{
			{name: "remove a status an open case is in", method: "PATCH", path: "/case-templates/{{tmpl}}",
				body:   `{"data":{"attributes":{"statuses":[{"name":"New","type":"initial"},{"name":"Filed","type":"end"}]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/statuses"`,
					`status \"Review\" holds 1 open case: move it to another status before removing or renaming it`}},
			{name: "rename it in place", method: "PATCH", path: "/case-templates/{{tmpl}}",
				body:   `{"data":{"attributes":{"statuses":[{"name":"New","type":"initial"},{"name":"In review","type":"intermediate"},{"name":"Filed","type":"end"}]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/statuses/1/name"`, `status \"Review\" holds 1 open case`}},
			{name: "nothing changed", method: "GET", path: "/case-templates/{{tmpl}}", status: 200,
				want: []string{`{"name":"Review","type":"intermediate"}`}},
			{name: "resolve the case", method: "POST", path: "/cases/{{case}}/set-status",
				body: `{"meta":{"status":"Filed"}}`, status: 200},
			{name: "now the status may go", method: "PATCH", path: "/case-templates/{{tmpl}}",
				body:   `{"data":{"attributes":{"statuses":[{"name":"New","type":"initial"},{"name":"Filed","type":"end"}]}}}`,
				status: 200, not: []string{`"Review"`}},
		})
	})
}
