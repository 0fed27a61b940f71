package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// eventWorkflow is a valid workflow on case.created: tag the case, branch on its tags,
// mail someone, and wait for its resolution.
const eventWorkflow = `{"data":{"attributes":{"name":"Big cases","description":"Tag and escalate",
	"definition":{"trigger":{"type":"event","event":"case.created","condition":"trigger.status == \"Open\""},
	"steps":[
		{"id":"tag","type":"action","action":"tag-object","params":{"tags":["big"]}},
		{"id":"branch","type":"conditional","routes":[{"condition":"\"big\" in trigger.tags","next":"notify"},{"next":"end"}]},
		{"id":"notify","type":"action","action":"send-email","params":{"to":"ada@example.com","subject":"Big case","body":"=trigger.name"}},
		{"id":"wait","type":"wait","event":"case.resolved","object-id":"=trigger.id","timeout":"72h","on-timeout":"end"}
	]}}}}`

// definition wraps steps (a JSON list) in a create body with an api trigger.
func definition(steps string) string {
	return `{"data":{"attributes":{"name":"x","definition":{"trigger":{"type":"api"},"steps":` + steps + `}}}}`
}

func TestWorkflows(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"tmpl": h.createTemplate(""), "none": "wfl_01h455vb4pex5vsknk084sn02q"}
		p := "/data/attributes/definition"
		h.scenario(t, vars, []step{
			{name: "create", method: "POST", path: "/workflows", body: eventWorkflow, status: 201,
				save: map[string]string{"wfl": "data.id"},
				want: []string{`"type":"workflow"`, `"id":"wfl_`, `"name":"Big cases"`, `"description":"Tag and escalate"`,
					`"status":"draft"`, `"version":0`, `"published-at":null`, `"next-run-at":null`, `"created-at":"`,
					`"trigger":{"case-template-ids":[],"condition":"trigger.status == \"Open\"","event":"case.created","input-schema":[],"schedule":null,"type":"event"}`,
					`{"action":"tag-object","id":"tag","next":null,"params":{"tags":["big"]},"type":"action"}`,
					`"routes":[{"condition":"\"big\" in trigger.tags","next":"notify"},{"condition":null,"next":"end"}]`,
					`{"condition":null,"event":"case.resolved","id":"wait","next":null,"object-id":"=trigger.id","on-timeout":"end","timeout":"72h","type":"wait"}`}},
			{name: "create in camel case keeps parameter names", method: "POST", path: "/workflows", headers: []string{"Key-Inflection", "camel"},
				body: `{"data":{"attributes":{"name":"Open a case","definition":{"trigger":{"type":"case-action","caseTemplateIds":["{{tmpl}}"],
					"inputSchema":[{"key":"riskScore","type":"string","config":{"maxLength":3}}]},
					"steps":[{"id":"open","type":"action","action":"create-case","params":{"case-template-id":"{{tmpl}}","fields":{"riskScore":"=input.riskScore"}}},
					{"id":"wait","type":"wait","event":"case.resolved","objectId":"=steps.open.id","timeout":"7d","onTimeout":"end"}]}}}}`,
				status: 201,
				want: []string{`"caseTemplateIds":["{{tmpl}}"]`, `"inputSchema":[{"config":{"maxLength":3},"key":"riskScore"`,
					`"params":{"case-template-id":"{{tmpl}}","fields":{"riskScore":"=input.riskScore"}}`,
					`"objectId":"=steps.open.id"`, `"onTimeout":"end"`, `"publishedAt":null`},
				not: []string{`"caseTemplateId"`, `"case_template_id"`, `"on-timeout"`}},
			{name: "parameter names are not re-inflected", method: "POST", path: "/workflows",
				body:   definition(`[{"id":"open","type":"action","action":"create-case","params":{"case_template_id":"{{tmpl}}"}}]`),
				status: 422, want: []string{`"pointer":"` + p + `/steps/0/params/case_template_id"`}},
			{name: "unknown action", method: "POST", path: "/workflows",
				body:   definition(`[{"id":"a","type":"action","action":"launch-rocket"}]`),
				status: 422, want: []string{`"pointer":"` + p + `/steps/0/action"`, `launch-rocket`}},
			{name: "condition that does not compile", method: "POST", path: "/workflows",
				body:   `{"data":{"attributes":{"name":"x","definition":{"trigger":{"type":"event","event":"case.created","condition":"trigger.status =="},"steps":[]}}}}`,
				status: 422, want: []string{`"pointer":"` + p + `/trigger/condition"`}},
			{name: "route to an unknown step", method: "POST", path: "/workflows",
				body: definition(`[{"id":"a","type":"action","action":"tag-object","params":{"tags":["x"]}},
					{"id":"b","type":"conditional","routes":[{"condition":"true","next":"end"},{"next":"nowhere"}]}]`),
				status: 422, want: []string{`"pointer":"` + p + `/steps/1/routes/1/next"`}},
			{name: "missing name", method: "POST", path: "/workflows",
				body:   `{"data":{"attributes":{"definition":{"trigger":{"type":"api"},"steps":[]}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/name"`}},
			{name: "unknown attribute", method: "POST", path: "/workflows", body: `{"data":{"attributes":{"name":"x","colour":"red"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/colour"`}},
			{name: "definition not an object", method: "POST", path: "/workflows", body: `{"data":{"attributes":{"name":"x","definition":[]}}}`,
				status: 400, want: []string{`"pointer":"` + p + `"`}},
			{name: "unknown definition key", method: "POST", path: "/workflows",
				body:   `{"data":{"attributes":{"name":"x","definition":{"trigger":{"type":"api"},"steps":[],"colour":"red"}}}}`,
				status: 422, want: []string{`"pointer":"` + p + `/colour"`}},
			{name: "trigger not an object", method: "POST", path: "/workflows",
				body:   `{"data":{"attributes":{"name":"x","definition":{"trigger":"api"}}}}`,
				status: 400, want: []string{`"pointer":"` + p + `/trigger"`}},
			{name: "unknown trigger key", method: "POST", path: "/workflows",
				body:   `{"data":{"attributes":{"name":"x","definition":{"trigger":{"type":"api","when":"now"}}}}}`,
				status: 422, want: []string{`"pointer":"` + p + `/trigger/when"`}},
			{name: "malformed input schema", method: "POST", path: "/workflows",
				body:   `{"data":{"attributes":{"name":"x","definition":{"trigger":{"type":"api","input-schema":[{"key":"a","type":"string"},{"key":5}]}}}}}`,
				status: 400, want: []string{`"pointer":"` + p + `/trigger/input-schema/1`}},
			{name: "steps not a list", method: "POST", path: "/workflows", body: definition(`{"id":"a"}`),
				status: 400, want: []string{`"pointer":"` + p + `/steps"`}},
			{name: "step not an object", method: "POST", path: "/workflows", body: definition(`[{"id":"a","type":"action","action":"tag-object","params":{"tags":[]}},"b"]`),
				status: 400, want: []string{`"pointer":"` + p + `/steps/1"`}},
			{name: "step id not a string", method: "POST", path: "/workflows", body: definition(`[{"id":1,"type":"action"}]`),
				status: 400, want: []string{`"pointer":"` + p + `/steps/0/id"`}},
			{name: "params not an object", method: "POST", path: "/workflows", body: definition(`[{"id":"a","type":"action","action":"tag-object","params":["x"]}]`),
				status: 400, want: []string{`"pointer":"` + p + `/steps/0/params"`}},
			{name: "key of another step type", method: "POST", path: "/workflows",
				body:   definition(`[{"id":"a","type":"action","action":"tag-object","params":{"tags":["x"]},"condition":"true"}]`),
				status: 422, want: []string{`"pointer":"` + p + `/steps/0/condition"`}},
			{name: "route not an object", method: "POST", path: "/workflows", body: definition(`[{"id":"a","type":"conditional","routes":[{"next":"end"},"end"]}]`),
				status: 400, want: []string{`"pointer":"` + p + `/steps/0/routes/1"`}},
			{name: "route next not a string", method: "POST", path: "/workflows", body: definition(`[{"id":"a","type":"conditional","routes":[{"next":true}]}]`),
				status: 400, want: []string{`"pointer":"` + p + `/steps/0/routes/0/next"`}},
			{name: "unknown route key", method: "POST", path: "/workflows", body: definition(`[{"id":"a","type":"conditional","routes":[{"next":"end","when":"x"}]}]`),
				status: 422, want: []string{`"pointer":"` + p + `/steps/0/routes/0/when"`}},

			{name: "get", method: "GET", path: "/workflows/{{wfl}}", status: 200, want: []string{`"id":"{{wfl}}"`, `"status":"draft"`}},
			{name: "get unknown", method: "GET", path: "/workflows/{{none}}", status: 404},
			{name: "pause a draft", method: "POST", path: "/workflows/{{wfl}}/pause", status: 409},
			{name: "rename", method: "PATCH", path: "/workflows/{{wfl}}", body: `{"data":{"attributes":{"name":"Renamed"}}}`,
				status: 200, want: []string{`"name":"Renamed"`, `"description":"Tag and escalate"`, `"id":"notify"`}},
			{name: "patch an invalid definition", method: "PATCH", path: "/workflows/{{wfl}}", body: definition(`[{"id":"a","type":"action","action":"nope"}]`),
				status: 422, want: []string{`"pointer":"` + p + `/steps/0/action"`}},
			{name: "the invalid patch wrote nothing", method: "GET", path: "/workflows/{{wfl}}", status: 200,
				want: []string{`"name":"Renamed"`, `"id":"notify"`}},
			{name: "patch status", method: "PATCH", path: "/workflows/{{wfl}}", body: `{"data":{"attributes":{"status":"active"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/status"`}},
			{name: "patch null definition", method: "PATCH", path: "/workflows/{{wfl}}", body: `{"data":{"attributes":{"definition":null}}}`,
				status: 400, want: []string{`"pointer":"` + p + `"`}},
			{name: "replace the draft", method: "PATCH", path: "/workflows/{{wfl}}",
				body: `{"data":{"attributes":{"description":null,"definition":{"trigger":{"type":"event","event":"case.created"},
					"steps":[{"id":"only","type":"action","action":"tag-object","params":{"tags":["new"]}}]}}}}`,
				status: 200, want: []string{`"description":""`, `"id":"only"`, `"condition":null`, `"status":"draft"`, `"version":0`},
				not: []string{`"id":"notify"`, `"id":"tag"`}},
			{name: "patch unknown", method: "PATCH", path: "/workflows/{{none}}", body: `{"data":{"attributes":{"name":"x"}}}`, status: 404},
			{name: "publish", method: "POST", path: "/workflows/{{wfl}}/publish", status: 200,
				want: []string{`"status":"active"`, `"version":1`}, not: []string{`"published-at":null`}},
			{name: "edit the draft of a published workflow", method: "PATCH", path: "/workflows/{{wfl}}",
				body:   `{"data":{"attributes":{"name":"Edited"}}}`,
				status: 200, want: []string{`"name":"Edited"`, `"status":"active"`, `"version":1`}},
			{name: "publish again", method: "POST", path: "/workflows/{{wfl}}/publish", status: 200,
				want: []string{`"status":"active"`, `"version":2`}},
			{name: "pause", method: "POST", path: "/workflows/{{wfl}}/pause", status: 200,
				want: []string{`"status":"paused"`, `"version":2`}},
			{name: "list", method: "GET", path: "/workflows", status: 200,
				want: []string{`"id":"{{wfl}}"`, `"links":{"next":null,"prev":null}`}},
			{name: "list paused", method: "GET", path: "/workflows?filter[status]=paused", status: 200,
				want: []string{`"id":"{{wfl}}"`}, not: []string{`"status":"draft"`}},
			{name: "list drafts", method: "GET", path: "/workflows?filter[status]=draft", status: 200,
				want: []string{`"status":"draft"`}, not: []string{`"id":"{{wfl}}"`}},
			{name: "list page size 1", method: "GET", path: "/workflows?page[size]=1", status: 200,
				want: []string{`"next":"/api/v1/workflows?page%5Bafter%5D=wfl_`}},
			{name: "list bad status", method: "GET", path: "/workflows?filter[status]=gone", status: 400,
				want: []string{`"parameter":"filter[status]"`}},
			{name: "list bad cursor", method: "GET", path: "/workflows?page[after]={{tmpl}}", status: 400,
				want: []string{`"parameter":"page[after]"`}},
			{name: "archive", method: "POST", path: "/workflows/{{wfl}}/archive", status: 200, want: []string{`"status":"archived"`}},
			{name: "edit an archived workflow", method: "PATCH", path: "/workflows/{{wfl}}", body: `{"data":{"attributes":{"name":"x"}}}`,
				status: 409},
			{name: "events", method: "GET", path: "/events?filter[object-id]={{wfl}}", status: 200,
				want: []string{`"name":"workflow.created"`, `"name":"workflow.published"`, `"name":"workflow.archived"`}},
		})
	})
}

func TestWorkflowRunEndpoints(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"none": "wfr_01h455vb4pex5vsknk084sn02q", "wfl": h.must(201, "POST", "/workflows", eventWorkflow).str("data.id")}
		h.scenario(t, vars, []step{
			{name: "get unknown run", method: "GET", path: "/workflow-runs/{{none}}", status: 404},
			{name: "list none", method: "GET", path: "/workflow-runs?filter[workflow-id]={{wfl}}&filter[status]=running&filter[object-id]=case_x",
				status: 200, want: []string{`"data":[]`, `"links":{"next":null,"prev":null}`}},
			{name: "bad workflow filter", method: "GET", path: "/workflow-runs?filter[workflow-id]={{none}}", status: 400,
				want: []string{`"parameter":"filter[workflow-id]"`}},
			{name: "bad status filter", method: "GET", path: "/workflow-runs?filter[status]=done", status: 400,
				want: []string{`"parameter":"filter[status]"`}},
			{name: "bad cursor", method: "GET", path: "/workflow-runs?page[before]={{wfl}}", status: 400,
				want: []string{`"parameter":"page[before]"`}},
			{name: "input in attributes", method: "POST", path: "/workflows/{{wfl}}/trigger", body: `{"data":{"attributes":{"input":{}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/input"`, `meta.input`}},
			{name: "input not an object", method: "POST", path: "/workflows/{{wfl}}/trigger", body: `{"meta":{"input":[1]}}`,
				status: 400, want: []string{`"pointer":"/meta/input"`}},
			{name: "unknown meta", method: "POST", path: "/workflows/{{wfl}}/trigger", body: `{"meta":{"inputs":{}}}`,
				status: 422, want: []string{`"pointer":"/meta/inputs"`}},
			{name: "trigger a draft", method: "POST", path: "/workflows/{{wfl}}/trigger", body: `{"meta":{"input":{}}}`, status: 409},
			{name: "trigger unknown", method: "POST", path: "/workflows/wfl_01h455vb4pex5vsknk084sn02q/trigger", body: ``, status: 404},
		})
	})
}

// TestWorkflowRunStart starts runs through both endpoints and checks how a run renders;
// what runs do is tested with the engine. No worker runs here, so runs stay running.
func TestWorkflowRunStart(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["case"] = h.createCase(vars["tmpl"], "")
		create := func(trigger string) string {
			id := h.must(201, "POST", "/workflows", `{"data":{"attributes":{"name":"x","definition":{"trigger":`+trigger+`,
				"steps":[{"id":"tag","type":"action","action":"tag-object","params":{"tags":["x"]}}]}}}}`).str("data.id")
			h.must(200, "POST", "/workflows/"+id+"/publish", "")
			return id
		}
		vars["api"] = create(`{"type":"api","input-schema":[{"key":"riskScore","type":"integer"},{"key":"order-id","type":"string"}]}`)
		vars["action"] = create(`{"type":"case-action","case-template-ids":["` + vars["tmpl"] + `"]}`)
		h.scenario(t, vars, []step{
			{name: "trigger", method: "POST", path: "/workflows/{{api}}/trigger", headers: []string{"Key-Inflection", "camel"},
				body: `{"meta":{"input":{"riskScore":5,"order-id":"o-1"}}}`, status: 201, save: map[string]string{"run": "data.id"},
				want: []string{`"type":"workflow-run"`, `"id":"wfr_`, `"status":"running"`, `"version":1`,
					`"input":{"order-id":"o-1","riskScore":5}`, `"currentStep":"tag"`, `"depth":0`, `"creatorType":"api-key"`,
					`"trigger":{"eventId":null,"eventName":null,"object":null,"objectId":null,"objectType":null,"type":"api"}`,
					`"workflow":{"data":{"id":"{{api}}","type":"workflow"}}`, `"triggerObject":{"data":null}`, `"completedAt":null`}},
			{name: "input against the schema", method: "POST", path: "/workflows/{{api}}/trigger",
				body: `{"meta":{"input":{"riskScore":"high"}}}`, status: 422, want: []string{`"pointer":"/meta/input/riskScore"`}},
			{name: "trigger a case-action workflow", method: "POST", path: "/workflows/{{action}}/trigger", body: ``, status: 422},
			{name: "case action", method: "POST", path: "/cases/{{case}}/actions/{{action}}", body: ``, status: 201,
				headers: []string{"Key-Inflection", "camel"}, // the trigger object is shown as expressions see it
				want: []string{`"type":"workflow-run"`, `"objectId":"{{case}}"`, `"objectType":"case"`, `"type":"case-action"`,
					`"object":{"accounts":[],"assigned-at":null,`, `"case-template-id":"{{tmpl}}"`,
					`"triggerObject":{"data":{"id":"{{case}}","type":"case"}}`, `"input":{}`}},
			{name: "case action of an api workflow", method: "POST", path: "/cases/{{case}}/actions/{{api}}", body: ``, status: 422},
			{name: "get", method: "GET", path: "/workflow-runs/{{run}}", status: 200, want: []string{`"id":"{{run}}"`}},
			{name: "list by workflow", method: "GET", path: "/workflow-runs?filter[workflow-id]={{api}}", status: 200,
				want: []string{`"id":"{{run}}"`}, not: []string{`"object-id":"{{case}}"`}},
			{name: "list by object", method: "GET", path: "/workflow-runs?filter[object-id]={{case}}", status: 200,
				want: []string{`"object-id":"{{case}}"`}, not: []string{`"id":"{{run}}"`}},
			{name: "list by status", method: "GET", path: "/workflow-runs?filter[status]=completed", status: 200,
				want: []string{`"data":[]`}},
		})
	})
}

func TestWorkflowScopes(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["case"] = h.createCase(vars["tmpl"], "")
		vars["wfl"] = h.must(201, "POST", "/workflows", eventWorkflow).str("data.id")
		vars["reader"] = "Bearer " + h.keyWithScopes("workflow.read")
		vars["writer"] = "Bearer " + h.keyWithScopes("workflow.write")
		vars["cases"] = "Bearer " + h.keyWithScopes("case.read", "case.write")
		var steps []step
		for _, tc := range []struct {
			method, path, body string
			ok, denied         []string // keys that pass the scope check and keys that get 403
		}{
			{"GET", "/workflows", "", []string{"reader"}, []string{"writer", "cases"}},
			{"GET", "/workflows/{{wfl}}", "", []string{"reader"}, []string{"writer", "cases"}},
			{"GET", "/workflow-runs", "", []string{"reader"}, []string{"writer", "cases"}},
			{"GET", "/workflow-runs/wfr_01h455vb4pex5vsknk084sn02q", "", nil, []string{"writer", "cases"}},
			{"POST", "/workflows", eventWorkflow, []string{"writer"}, []string{"reader", "cases"}},
			{"PATCH", "/workflows/{{wfl}}", `{"data":{"attributes":{"name":"y"}}}`, []string{"writer"}, []string{"reader", "cases"}},
			{"POST", "/workflows/{{wfl}}/publish", "", nil, []string{"reader", "cases"}},
			{"POST", "/workflows/{{wfl}}/pause", "", nil, []string{"reader", "cases"}},
			{"POST", "/workflows/{{wfl}}/archive", "", nil, []string{"reader", "cases"}},
			{"POST", "/workflows/{{wfl}}/trigger", "", nil, []string{"reader", "cases"}},
			{"POST", "/cases/{{case}}/actions/{{wfl}}", "", nil, []string{"reader", "writer"}},
		} {
			for _, key := range tc.denied {
				steps = append(steps, step{name: tc.method + " " + tc.path + " as " + key, method: tc.method, path: tc.path,
					body: tc.body, headers: []string{"Authorization", "{{" + key + "}}"}, status: 403, want: []string{"scope"}})
			}
			for _, key := range tc.ok {
				status := 200
				if tc.method == "POST" {
					status = 201
				}
				steps = append(steps, step{name: tc.method + " " + tc.path + " as " + key, method: tc.method, path: tc.path,
					body: tc.body, headers: []string{"Authorization", "{{" + key + "}}"}, status: status})
			}
		}
		h.scenario(t, vars, steps)
		// The case action passes the scope check with case.write: it fails later, on the
		// workflow (a draft).
		if r := h.do("POST", "/cases/"+vars["case"]+"/actions/"+vars["wfl"], "", "Authorization", vars["cases"]); r.status != 409 {
			t.Errorf("case action with case.write: %d, want 409 (a draft does not run)\n%s", r.status, r.raw)
		}
	})
}

// TestWorkflowParameterTypes: a parameter of the wrong type, or an https-request to a
// plain http URL the operator did not allow, is refused when the workflow is saved (422
// pointing at the parameter), not when a run reaches it; numbers given as plain JSON
// numbers are taken. (Issue 11, items 10 and 11.)
func TestWorkflowParameterTypes(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		p := "/data/attributes/definition/steps/0/params"
		vars := map[string]string{"tmpl": h.createTemplate("")}
		action := func(name, params string) string {
			return definition(`[{"id":"a","type":"action","action":"` + name + `","params":` + params + `}]`)
		}
		refused := func(name, body, pointer, fragment string) step {
			return step{name: name, method: "POST", path: "/workflows", body: body, status: 422,
				want: []string{`"pointer":"` + p + pointer + `"`, fragment}}
		}
		accepted := func(name, body string) step {
			return step{name: name, method: "POST", path: "/workflows", body: body, status: 201}
		}
		h.scenario(t, vars, []step{
			accepted("sla in seconds as a number", action("set-case-sla", `{"expires-in-seconds":3600}`)),
			accepted("sla null clears", action("set-case-sla", `{"expires-in-seconds":null}`)),
			accepted("sla from an expression", action("set-case-sla", `{"expires-in-seconds":"=input.seconds"}`)),
			accepted("create-case sla as a number", action("create-case", `{"case-template-id":"{{tmpl}}","sla-expires-in-seconds":3600,"tags":["a","=input.tag"]}`)),
			accepted("https url", action("https-request", `{"url":"https://example.com/hook","method":"put","headers":{"X-Token":"=input.token"},"body":{"n":1}}`)),
			accepted("url from an expression", action("https-request", `{"url":"=input.url"}`)),
			refused("sla as a string", action("set-case-sla", `{"expires-in-seconds":"3600"}`), "/expires-in-seconds", "whole number of seconds"),
			refused("sla not whole", action("set-case-sla", `{"expires-in-seconds":1.5}`), "/expires-in-seconds", "whole number"),
			refused("sla zero", action("set-case-sla", `{"expires-in-seconds":0}`), "/expires-in-seconds", "from 1"),
			refused("create-case sla as text", action("create-case", `{"case-template-id":"{{tmpl}}","sla-expires-in-seconds":"1h"}`), "/sla-expires-in-seconds", "seconds"),
			refused("tags as a number", action("tag-object", `{"tags":5}`), "/tags", "list of strings"),
			refused("a tag that is not a string", action("tag-object", `{"tags":["a",{"b":1}]}`), "/tags/1", "only strings"),
			refused("fields not an object", action("create-case", `{"case-template-id":"{{tmpl}}","fields":"x"}`), "/fields", "an object"),
			refused("template id as a number", action("create-case", `{"case-template-id":7}`), "/case-template-id", "a string"),
			refused("required parameter null", action("set-case-status", `{"status":null}`), "/status", "a string"),
			refused("http url", action("https-request", `{"url":"http://example.com/hook"}`), "/url", "must use https"),
			refused("url with credentials", action("https-request", `{"url":"https://u:p@example.com/"}`), "/url", "without credentials"),
			refused("url not a string", action("https-request", `{"url":["https://example.com"]}`), "/url", "https URL"),
			refused("unknown method", action("https-request", `{"url":"https://example.com","method":"FETCH"}`), "/method", "GET, POST"),
			refused("header not a string", action("https-request", `{"url":"https://example.com","headers":{"X-Count":3}}`), "/headers/X-Count", "must be a string"),
		})
	})
}

// FuzzWorkflowDefinition sends arbitrary definitions to POST /workflows on a real server
// over SQLite. Bad input is a 400 or 422 pointing into the definition, never a 500; a
// definition that is accepted renders in a form that PATCH accepts back unchanged.
func FuzzWorkflowDefinition(f *testing.F) {
	fs := newFuzzServer(f)
	for _, seed := range []string{
		`{"trigger":{"type":"api"},"steps":[]}`, `{"trigger":{"type":"api","inputSchema":[{"key":"a_b","type":"integer"}]}}`,
		`{"trigger":{"type":"event","event":"case.created","condition":"trigger.status == \"Open\""},"steps":[{"id":"a","type":"action","action":"tag-object","params":{"tags":["x"],"object_id":"=trigger.id"}}]}`,
		`{"trigger":{"type":"schedule","schedule":"@every 15m"},"steps":[{"id":"b","type":"conditional","routes":[{"condition":"now.Hour() > 1","next":"c"},{"next":"end"}]},{"id":"c","type":"wait","event":"case.resolved","objectId":"=input.id","timeout":"7d","on_timeout":"end"}]}`,
		`{"trigger":{"type":"case-action","case-template-ids":["ctmpl_01h455vb4pex5vsknk084sn02q"]},"steps":[{"id":"a","type":"action","action":"send-email","params":{"to":"a@b.c","subject":"s","body":"=1 +"}}]}`,
		`{"trigger":null,"steps":null}`, `[]`, `{"steps":[{"routes":[{}]}]}`, `{"trigger":{"type":"api"},"steps":[{"id":"a","type":"action","next":"a"}]}`,
	} {
		f.Add(seed)
	}
	send := func(t *testing.T, method, path, body string) (int, map[string]any) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", fs.auth)
		rec := httptest.NewRecorder()
		fs.h.ServeHTTP(rec, req)
		var doc map[string]any
		d := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
		d.UseNumber()
		if err := d.Decode(&doc); err != nil {
			t.Fatalf("%s %s: %d, body is not JSON: %v\n%s", method, path, rec.Code, err, rec.Body)
		}
		return rec.Code, doc
	}
	f.Fuzz(func(t *testing.T, def string) {
		if !json.Valid([]byte(def)) {
			return
		}
		body := `{"data":{"attributes":{"name":"fuzz","definition":` + def + `}}}`
		status, doc := send(t, "POST", "/api/v1/workflows", body)
		switch status {
		case http.StatusCreated:
		case http.StatusBadRequest, http.StatusUnprocessableEntity:
			p, _ := get(doc, "errors.0.source.pointer").(string)
			if p != "" && !strings.HasPrefix(p, "/data/attributes/definition") {
				t.Fatalf("%s: %d points at %q: %v", def, status, p, doc)
			}
			return
		default:
			t.Fatalf("%s: status %d: %v", def, status, doc)
		}
		id, _ := get(doc, "data.id").(string)
		rendered := get(doc, "data.attributes.definition")
		back, err := json.Marshal(map[string]any{"data": map[string]any{"attributes": map[string]any{"definition": rendered}}})
		if err != nil {
			t.Fatal(err)
		}
		status, again := send(t, "PATCH", "/api/v1/workflows/"+id, string(back))
		if status != http.StatusOK {
			t.Fatalf("%s: the rendered definition %s is refused: %d %v", def, back, status, again)
		}
		if got := get(again, "data.attributes.definition"); !reflect.DeepEqual(got, rendered) {
			t.Fatalf("%s: definition changed on a round trip:\n%v\n%v", def, rendered, got)
		}
	})
}
