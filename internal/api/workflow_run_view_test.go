package api_test

import (
	"net/http"
	"testing"
)

// TestCaseActionShowsWhatTheCallerMayRead (issue 11, item 7): a run acts with its
// workflow's authority, but what the caller gets back is what its own permissions allow.
// A case.write key that runs a case action gets the run without its data (the trigger
// object holds the case's accounts' fields); so does a workflow.read key reading runs
// without the permission to read objects. A caller who may read workflows, cases and
// objects sees the data.
func TestCaseActionShowsWhatTheCallerMayRead(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		h.must(http.StatusOK, "PATCH", "/accounts/"+vars["act"], `{"data":{"attributes":{"fields":{"name":"Jane Secret"}}}}`)
		vars["case"] = h.createCase(vars["tmpl"], `"fields":{"note":"mine"}`)
		h.must(http.StatusOK, "POST", "/cases/"+vars["case"]+"/add-objects", `{"meta":{"object-ids":["`+vars["act"]+`"]}}`)
		vars["wfl"] = h.must(http.StatusCreated, "POST", "/workflows", `{"data":{"attributes":{"name":"Screen","definition":{
			"trigger":{"type":"case-action"},
			"steps":[{"id":"screen","type":"action","action":"create-report","params":{"report-type":"report/watchlist"}}]}}}}`).str("data.id")
		h.must(http.StatusOK, "POST", "/workflows/"+vars["wfl"]+"/publish", "")
		vars["cases"] = "Bearer " + h.keyWithScopes("case.read", "case.write")
		vars["runs"] = "Bearer " + h.keyWithScopes("workflow.read", "case.read")
		vars["all-read"] = "Bearer " + h.keyWithScopes("workflow.read", "case.read", "object.read")
		// A viewer may read workflows, cases and objects, but not the cases of a template
		// for admins only; a run may hold such a case, so the viewer sees no run's data.
		h.createTemplate(`{"data":{"attributes":{"name":"SAR","key":"SAR","visible-to-roles":["admin"]}}}`)
		_, viewer := h.userKey("vera@example.com", "viewer", "*")
		vars["viewer"] = viewer
		hidden := []string{`"data-hidden":true`, `"object-id":"{{case}}"`, `"status":"running"`, `"input":{}`, `"object":null`}
		h.scenario(t, vars, []step{
			{name: "case action by a case key", method: "POST", path: "/cases/{{case}}/actions/{{wfl}}",
				headers: []string{"Authorization", "{{cases}}"}, status: http.StatusCreated,
				want: hidden, not: []string{"Jane Secret", `"note"`}, save: map[string]string{"run": "data.id"}},
			{name: "the run is read without objects", method: "GET", path: "/workflow-runs/{{run}}",
				headers: []string{"Authorization", "{{runs}}"}, status: http.StatusOK, want: hidden, not: []string{"Jane Secret"}},
			{name: "runs are listed without objects", method: "GET", path: "/workflow-runs?filter[object-id]={{case}}",
				headers: []string{"Authorization", "{{runs}}"}, status: http.StatusOK, want: hidden, not: []string{"Jane Secret"}},
			{name: "read with every permission", method: "GET", path: "/workflow-runs/{{run}}",
				headers: []string{"Authorization", "{{all-read}}"}, status: http.StatusOK, want: []string{"Jane Secret", `"note":"mine"`},
				not: []string{"data-hidden"}},
			{name: "read by a viewer who may not see every template", method: "GET", path: "/workflow-runs/{{run}}",
				headers: []string{"Authorization", "{{viewer}}"}, status: http.StatusOK, want: hidden, not: []string{"Jane Secret"}},
			{name: "case action by a key that may read all", method: "POST", path: "/cases/{{case}}/actions/{{wfl}}",
				status: http.StatusCreated, want: []string{"Jane Secret"}, not: []string{"data-hidden"}},
		})
	})
}
