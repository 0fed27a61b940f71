package api_test

import "testing"

// TestWorkflowVersions reads the published versions of a workflow: each keeps the
// definition it was published with (secrets masked), newest first, paged by number.
func TestWorkflowVersions(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		v1 := `{"data":{"attributes":{"name":"Call out","definition":{"trigger":{"type":"api"},"steps":[
			{"id":"call","type":"action","action":"https-request","params":{"url":"https://example.com/hook","headers":{"Authorization":"Bearer s3cret"}}}]}}}}`
		v2 := `{"data":{"attributes":{"definition":{"trigger":{"type":"api"},"steps":[
			{"id":"tag","type":"action","action":"tag-object","params":{"tags":["second"]}}]}}}}`
		vars := map[string]string{"none": "wfl_01h455vb4pex5vsknk084sn02q", "wfl": h.must(201, "POST", "/workflows", v1).str("data.id"),
			"reader": "Bearer " + h.keyWithScopes("workflow.read"), "cases": "Bearer " + h.keyWithScopes("case.read")}
		h.scenario(t, vars, []step{
			{name: "a draft has no versions", method: "GET", path: "/workflows/{{wfl}}/versions", status: 200,
				want: []string{`"data":[]`, `"links":{"next":null,"prev":null}`}},
			{name: "publish 1", method: "POST", path: "/workflows/{{wfl}}/publish", status: 200, want: []string{`"version":1`}},
			{name: "edit the draft", method: "PATCH", path: "/workflows/{{wfl}}", body: v2, status: 200},
			{name: "publish 2", method: "POST", path: "/workflows/{{wfl}}/publish", status: 200, want: []string{`"version":2`}},
			{name: "list, newest first", method: "GET", path: "/workflows/{{wfl}}/versions", status: 200,
				want: []string{`"type":"workflow-version"`, `"id":"{{wfl}}:2"`, `"id":"{{wfl}}:1"`, `"version":2`, `"published-at":"`,
					`"workflow":{"data":{"id":"{{wfl}}","type":"workflow"}}`, `"Authorization":"[redacted]"`},
				not: []string{"s3cret"}},
			{name: "page of one", method: "GET", path: "/workflows/{{wfl}}/versions?page[size]=1", status: 200,
				want: []string{`"id":"{{wfl}}:2"`, `"next":"/api/v1/workflows/{{wfl}}/versions?page%5Bafter%5D=2&page%5Bsize%5D=1"`},
				not:  []string{`"id":"{{wfl}}:1"`}},
			{name: "page after 2", method: "GET", path: "/workflows/{{wfl}}/versions?page[after]=2", status: 200,
				want: []string{`"id":"{{wfl}}:1"`, `"prev":"/api/v1/workflows/{{wfl}}/versions?page%5Bbefore%5D=1"`},
				not:  []string{`"id":"{{wfl}}:2"`}},
			{name: "page before 1", method: "GET", path: "/workflows/{{wfl}}/versions?page[before]=1", status: 200,
				want: []string{`"id":"{{wfl}}:2"`}, not: []string{`"id":"{{wfl}}:1"`}},
			{name: "bad cursor", method: "GET", path: "/workflows/{{wfl}}/versions?page[after]=wfl_x", status: 400,
				want: []string{`"parameter":"page[after]"`, "must be a version number"}},
			{name: "filters refused", method: "GET", path: "/workflows/{{wfl}}/versions?filter[status]=active", status: 400,
				want: []string{`"parameter":"filter[status]"`}},
			{name: "versions of an unknown workflow", method: "GET", path: "/workflows/{{none}}/versions", status: 404},
			{name: "get version 1", method: "GET", path: "/workflows/{{wfl}}/versions/1", status: 200,
				want: []string{`"id":"{{wfl}}:1"`, `"version":1`, `"action":"https-request"`, `"Authorization":"[redacted]"`},
				not:  []string{"s3cret", `"tag-object"`}},
			{name: "get version 2", method: "GET", path: "/workflows/{{wfl}}/versions/2", status: 200,
				want: []string{`"action":"tag-object"`, `"tags":["second"]`}},
			{name: "no version 3", method: "GET", path: "/workflows/{{wfl}}/versions/3", status: 404, want: []string{"has no version 3"}},
			{name: "no version 0", method: "GET", path: "/workflows/{{wfl}}/versions/0", status: 404},
			{name: "not a number", method: "GET", path: "/workflows/{{wfl}}/versions/one", status: 404},
			{name: "unknown workflow", method: "GET", path: "/workflows/{{none}}/versions/1", status: 404},
			{name: "workflow.read may list", method: "GET", path: "/workflows/{{wfl}}/versions", headers: []string{"Authorization", "{{reader}}"},
				status: 200},
			{name: "workflow.read may get", method: "GET", path: "/workflows/{{wfl}}/versions/1", headers: []string{"Authorization", "{{reader}}"},
				status: 200},
			{name: "case.read may not list", method: "GET", path: "/workflows/{{wfl}}/versions", headers: []string{"Authorization", "{{cases}}"},
				status: 403, want: []string{"scope"}},
			{name: "case.read may not get", method: "GET", path: "/workflows/{{wfl}}/versions/1", headers: []string{"Authorization", "{{cases}}"},
				status: 403, want: []string{"scope"}},
		})
	})
}
