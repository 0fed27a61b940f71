package api_test

import (
	"strings"
	"testing"
)

// TestCaseTimelineEndpoint reads a case's timeline (its events, its comments' and its
// objects'), newest first with who did each, and the case actions offered on it.
func TestCaseTimelineEndpoint(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		hidden := h.createTemplate(`{"data":{"attributes":{"name":"SAR","key":"SAR","visible-to-roles":["admin"]}}}`)
		acct := h.must(201, "POST", "/accounts", `{"data":{"attributes":{"reference-id":"cust-1"}}}`).str("data.id")
		vars := map[string]string{"tmpl": tmpl, "acct": acct, "hidden": h.createCase(hidden, "")}
		_, reviewer := h.userKey("rev@example.com", "reviewer", "*")
		wf := `{"data":{"attributes":{"name":"Park","definition":{"trigger":{"type":"case-action","case-template-ids":["{{tmpl}}"],
			"input-schema":[{"key":"why","type":"string","required":true}]},
			"steps":[{"id":"a","type":"action","action":"set-case-status","params":{"status":"Pending"}}]}}}}`
		h.scenario(t, vars, []step{
			{name: "a case", method: "POST", path: "/cases", status: 201,
				body: `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"object-ids":["{{acct}}"]}}`, save: map[string]string{"case": "data.id"}},
			{name: "a comment", method: "POST", path: "/cases/{{case}}/comments", body: `{"meta":{"body":"hello"}}`, status: 201},
			{name: "a decision with its reason", method: "POST", path: "/cases/{{case}}/set-status", status: 200,
				body: `{"meta":{"status":"Approved","comment":"documents match"}}`, want: []string{`"status":"Approved"`}},
			{name: "a comment too long changes nothing", method: "POST", path: "/cases/{{case}}/set-status", status: 422,
				body: `{"meta":{"status":"Declined","comment":"` + strings.Repeat("x", 20001) + `"}}`, want: []string{`"pointer":"/meta/comment"`}},
			{name: "an account change", method: "PATCH", path: "/accounts/{{acct}}", body: `{"data":{"attributes":{"fields":{"a":1}}}}`, status: 200},
			{name: "the timeline", method: "GET", path: "/cases/{{case}}/timeline?page[size]=3", status: 200,
				want: []string{`"name":"account.updated"`, `"actor":{"id":"api_`, `"name":"test"`, `"type":"api-key"`, `"next":"/api/v1/cases/{{case}}/timeline?page%5Bafter%5D=evt_`},
				not:  []string{`"name":"case.created"`, `"status":"Declined"`}},
			{name: "the timeline's last page", method: "GET", path: "/cases/{{case}}/timeline?page[size]=100", status: 200,
				want: []string{`"name":"case.created"`, `"name":"account.created"`, `"message":"hello"`, `"message":"documents match"`, `"name":"case.resolved"`}},
			{name: "a bad cursor", method: "GET", path: "/cases/{{case}}/timeline?page[after]=case_x", status: 400},
			{name: "no filters", method: "GET", path: "/cases/{{case}}/timeline?filter[name]=case.created", status: 400,
				want: []string{"this list has no filters"}},
			{name: "a missing case", method: "GET", path: "/cases/case_01h455vb4pex5vsknk084sn02q/timeline", status: 404},
			{name: "a hidden case for a user's key", method: "GET", path: "/cases/{{hidden}}/timeline", headers: []string{"Authorization", reviewer}, status: 404},
			{name: "a visible case for a user's key", method: "GET", path: "/cases/{{case}}/timeline", headers: []string{"Authorization", reviewer}, status: 200},

			{name: "a case action", method: "POST", path: "/workflows", body: wf, status: 201, save: map[string]string{"wf": "data.id"}},
			{name: "no action before it is published", method: "GET", path: "/cases/{{case}}/actions", status: 200, want: []string{`"data":[]`}},
			{name: "publish", method: "POST", path: "/workflows/{{wf}}/publish", status: 200},
			{name: "the case's actions", method: "GET", path: "/cases/{{case}}/actions", status: 200,
				want: []string{`"id":"{{wf}}"`, `"name":"Park"`, `"meta":{"trigger":{`, `"input-schema":[{`}},
			{name: "none on a hidden case", method: "GET", path: "/cases/{{hidden}}/actions", headers: []string{"Authorization", reviewer}, status: 404},
		})
	})
}
