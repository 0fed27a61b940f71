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

// TestFieldEditableByRoles: a field that lists editable-by-roles is changed through
// PATCH /cases/{id} only by keys of users with one of those roles (403 at the field
// otherwise) and by keys without a user; anyone who creates a case fills it in.
func TestFieldEditableByRoles(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate(`{"data":{"attributes":{"name":"KYC","key":"KYC","field-schemas":[
			{"key":"note","type":"string"},{"key":"risk","type":"choices","config":{"options":["low","high"]},"editable-by-roles":["manager"]}]}}}`)
		_, reviewer := h.userKey("rev@example.com", "reviewer", "*")
		_, manager := h.userKey("man@example.com", "manager", "*")
		vars := map[string]string{"tmpl": tmpl}
		patch := func(field, value string) string {
			return `{"data":{"attributes":{"fields":{"` + field + `":"` + value + `"}}}}`
		}
		h.scenario(t, vars, []step{
			{name: "the template shows it", method: "GET", path: "/case-templates/{{tmpl}}", status: 200,
				want: []string{`"editable-by-roles":["manager"]`, `"editable-by-roles":[]`}},
			{name: "a reviewer creates a case with it", method: "POST", path: "/cases", headers: []string{"Authorization", reviewer},
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","fields":{"risk":"low"}}}}`,
				status: 201, save: map[string]string{"case": "data.id"}},
			{name: "a reviewer changes another field", method: "PATCH", path: "/cases/{{case}}", headers: []string{"Authorization", reviewer},
				body: patch("note", "seen"), status: 200},
			{name: "a reviewer may not change it", method: "PATCH", path: "/cases/{{case}}", headers: []string{"Authorization", reviewer},
				body: patch("risk", "high"), status: 403,
				want: []string{`"pointer":"/data/attributes/fields/risk"`, `field \"risk\" may be changed only by manager`}},
			{name: "a manager may", method: "PATCH", path: "/cases/{{case}}", headers: []string{"Authorization", manager},
				body: patch("risk", "high"), status: 200, want: []string{`"risk":"high"`}},
			{name: "a key without a user may", method: "PATCH", path: "/cases/{{case}}",
				body: patch("risk", "low"), status: 200, want: []string{`"risk":"low"`}},
			{name: "an unknown role is refused", method: "PATCH", path: "/case-templates/{{tmpl}}",
				body:   `{"data":{"attributes":{"field-schemas":[{"key":"risk","type":"string","editable-by-roles":["boss"]}]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/field-schemas/0/editable-by-roles/0"`}},
			{name: "transaction types do not take it", method: "POST", path: "/transaction-types",
				body:   `{"data":{"attributes":{"name":"Alert","field-schemas":[{"key":"amount","type":"float","editable-by-roles":["admin"]}]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/field-schemas/0/editable-by-roles"`}},
		})
	})
}
