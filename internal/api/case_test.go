package api_test

import (
	"net/http"
	"testing"
	"time"
)

// caseVars prepares a template, a user and two accounts for case scenarios.
func caseVars(h *harness) map[string]string {
	vars := map[string]string{"tmpl": h.createTemplate("")}
	vars["user"] = h.must(201, "POST", "/users", `{"data":{"attributes":{"email-address":"ada@example.com","name":"Ada"}}}`).str("data.id")
	vars["act"] = h.must(201, "POST", "/accounts", `{"data":{"attributes":{"reference-id":"cust-1"}}}`).str("data.id")
	vars["act2"] = h.must(201, "POST", "/accounts", `{"data":{"attributes":{"reference-id":"cust-2"}}}`).str("data.id")
	vars["noact"] = "act_01h455vb4pex5vsknk084sn02q"
	return vars
}

func TestCaseCreate(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		h.scenario(t, vars, []step{
			{name: "create full", method: "POST", path: "/cases",
				body: `{"data":{"attributes":{"case-template-id":"{{tmpl}}","fields":{"riskScore":42,"risk_level":"high","note":"hello"},
					"tags":["a","b"],"creator-email-address":"Ada@Example.com"}},"meta":{"object-ids":["{{act}}"],"sla-expires-in-seconds":120}}`,
				status: 201, save: map[string]string{"case": "data.id"},
				want: []string{`"type":"case"`, `"id":"case_`, `"name":"KYC-1"`, `"status":"Open"`, `"resolution":null`,
					`"fields":{"note":"hello","riskScore":42,"risk_level":"high"}`, `"tags":["a","b"]`,
					`"creator-id":"{{user}}"`, `"creator-type":"user"`, `"accounts":{"data":[{"id":"{{act}}","type":"account"}]}`,
					`"case-template":{"data":{"id":"{{tmpl}}","type":"case-template"}}`},
				not: []string{`"sla-expires-at":null`}},
			{name: "second case is numbered", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}}}`,
				status: 201, want: []string{`"name":"KYC-2"`, `"creator-type":"api-key"`, `"creator-id":"api_`, `"fields":{}`, `"tags":[]`}},
			{name: "top-level field attributes", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","note":"top"}}}`,
				status: 201, want: []string{`"fields":{"note":"top"}`}},
			{name: "field given twice", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","note":"a","fields":{"note":"b"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/note"`}},
			{name: "top-level field of the wrong type", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","note":"ok","verified":"yes"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/verified"`}},
			{name: "unknown top-level attribute", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","colour":"red"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/colour"`}},
			{name: "missing template", method: "POST", path: "/cases", body: `{"data":{"attributes":{}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/case-template-id"`}},
			{name: "unknown template", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"ctmpl_01h455vb4pex5vsknk084sn02q"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/case-template-id"`}},
			{name: "field out of range", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","fields":{"riskScore":101}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/riskScore"`}},
			{name: "field not whole", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","fields":{"riskScore":1.5}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/riskScore"`}},
			{name: "field bad choice", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","fields":{"risk_level":"medium"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/risk_level"`}},
			{name: "field too long", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","fields":{"note":"123456789012345678901234567890123456789012345678901"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/note"`}},
			{name: "unknown field", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","fields":{"nope":1}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/nope"`}},
			{name: "unknown object", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"object-ids":["{{noact}}"]}}`,
				status: 422, want: []string{`"pointer":"/meta/object-ids/0"`}},
			{name: "object of a kind a case cannot hold", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"object-ids":["{{act}}","{{tmpl}}"]}}`,
				status: 422, want: []string{`"pointer":"/meta/object-ids/1"`}},
			{name: "sla out of range", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"sla-expires-in-seconds":-5}}`,
				status: 422, want: []string{`"pointer":"/meta/sla-expires-in-seconds"`}},
			{name: "sla not a number", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"sla-expires-in-seconds":"soon"}}`,
				status: 400, want: []string{`"pointer":"/meta/sla-expires-in-seconds"`}},
			{name: "unknown meta key", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"priority":1}}`,
				status: 422, want: []string{`"pointer":"/meta/priority"`}},
			{name: "blank tag", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","tags":["ok"," "]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/tags/1"`}},
			{name: "unknown creator", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","creator-email-address":"who@example.com"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/creator-email-address"`}},
			{name: "unknown queue", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","case-queue-id":"cqueue_01h455vb4pex5vsknk084sn02q"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/case-queue-id"`}},
			{name: "get", method: "GET", path: "/cases/{{case}}", status: 200,
				want: []string{`"id":"{{case}}"`, `"name":"KYC-1"`, `"riskScore":42`}, not: []string{`"included"`}},
			{name: "get unknown", method: "GET", path: "/cases/case_01h455vb4pex5vsknk084sn02q", status: 404},
			{name: "get bad include", method: "GET", path: "/cases/{{case}}?include=owner", status: 400,
				want: []string{`"parameter":"include"`}},
		})
		if n := h.caseCount(); n != 3 {
			t.Errorf("%d cases after the failed creates, want 3", n)
		}
	})
}

func TestCaseSLA(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		for _, tc := range []struct {
			name string
			meta string
			want time.Duration
		}{
			{"explicit", `"meta":{"sla-expires-in-seconds":120}`, 120 * time.Second},
			{"template default", `"meta":{}`, time.Hour},
		} {
			r := h.must(201, "POST", "/cases", `{"data":{"attributes":{"case-template-id":"`+tmpl+`"}},`+tc.meta+`}`)
			created, err1 := time.Parse(time.RFC3339, r.str("data.attributes.created-at"))
			sla, err2 := time.Parse(time.RFC3339, r.str("data.attributes.sla-expires-at"))
			if err1 != nil || err2 != nil || sla.Sub(created) != tc.want {
				t.Errorf("%s: created %v, sla %v (%v %v), want +%v", tc.name, created, sla, err1, err2, tc.want)
			}
		}
	})
}

func TestCaseActions(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["case"] = h.createCase(vars["tmpl"], `"fields":{"riskScore":10,"note":"s3cret-note"},"tags":["t1"]`)
		h.scenario(t, vars, []step{
			{name: "patch merges fields", method: "PATCH", path: "/cases/{{case}}",
				body:   `{"data":{"attributes":{"fields":{"risk_level":"low","riskScore":null}}}}`,
				status: 200, want: []string{`"fields":{"note":"s3cret-note","risk_level":"low"}`, `"updater-type":"api-key"`}},
			{name: "patch field of wrong type", method: "PATCH", path: "/cases/{{case}}",
				body:   `{"data":{"attributes":{"fields":{"verified":"yes"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/verified"`}},
			{name: "patch unknown attribute", method: "PATCH", path: "/cases/{{case}}",
				body: `{"data":{"attributes":{"status":"Approved"}}}`, status: 422, want: []string{`"pointer":"/data/attributes/status"`}},
			{name: "patch unknown queue", method: "PATCH", path: "/cases/{{case}}",
				body:   `{"data":{"attributes":{"case-queue-id":"cqueue_01h455vb4pex5vsknk084sn02q"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/case-queue-id"`}},
			{name: "patch clears sla", method: "PATCH", path: "/cases/{{case}}",
				body: `{"meta":{"sla-expires-in-seconds":null}}`, status: 200, want: []string{`"sla-expires-at":null`}},
			{name: "patch unknown case", method: "PATCH", path: "/cases/case_01h455vb4pex5vsknk084sn02q",
				body: `{"data":{"attributes":{"fields":{"note":"x"}}}}`, status: 404},
			{name: "set status resolves", method: "POST", path: "/cases/{{case}}/set-status",
				body: `{"meta":{"status":"Approved"}}`, status: 200,
				want: []string{`"status":"Approved"`, `"resolution":"Approved"`, `"resolver-type":"api-key"`},
				not:  []string{`"resolved-at":null`}},
			{name: "set status reopens", method: "POST", path: "/cases/{{case}}/set-status",
				body: `{"meta":{"status":"Pending"}}`, status: 200,
				want: []string{`"status":"Pending"`, `"resolution":null`, `"resolved-at":null`, `"resolver-id":null`}},
			{name: "set unknown status", method: "POST", path: "/cases/{{case}}/set-status",
				body: `{"meta":{"status":"Closed"}}`, status: 422, want: []string{`"pointer":"/meta/status"`}},
			{name: "set status missing", method: "POST", path: "/cases/{{case}}/set-status",
				body: `{"meta":{}}`, status: 422, want: []string{`"pointer":"/meta/status"`}},
			{name: "assign by email", method: "POST", path: "/cases/{{case}}/assign",
				body: `{"meta":{"user-email-address":"ADA@example.com"}}`, status: 200,
				want: []string{`"assignee-id":"{{user}}"`, `"assigner-type":"api-key"`}, not: []string{`"assigned-at":null`}},
			{name: "assign unknown email", method: "POST", path: "/cases/{{case}}/assign",
				body: `{"meta":{"user-email-address":"who@example.com"}}`, status: 422,
				want: []string{`"pointer":"/meta/user-email-address"`}},
			{name: "assign missing", method: "POST", path: "/cases/{{case}}/assign", body: `{}`, status: 422,
				want: []string{`"pointer":"/meta/user-email-address"`}},
			{name: "add objects", method: "POST", path: "/cases/{{case}}/add-objects",
				body: `{"meta":{"object-ids":["{{act}}","{{act2}}"]}}`, status: 200,
				want: []string{`"accounts":{"data":[{"id":"{{act}}","type":"account"},{"id":"{{act2}}","type":"account"}]}`}},
			{name: "add unknown object", method: "POST", path: "/cases/{{case}}/add-objects",
				body: `{"meta":{"object-ids":["{{noact}}"]}}`, status: 422, want: []string{`"pointer":"/meta/object-ids/0"`}},
			{name: "add no objects", method: "POST", path: "/cases/{{case}}/add-objects",
				body: `{"meta":{"object-ids":[]}}`, status: 422, want: []string{`"pointer":"/meta/object-ids"`}},
			{name: "add non-string object", method: "POST", path: "/cases/{{case}}/add-objects",
				body: `{"meta":{"object-ids":[7]}}`, status: 400, want: []string{`"pointer":"/meta/object-ids/0"`}},
			{name: "remove object", method: "POST", path: "/cases/{{case}}/remove-objects",
				body: `{"meta":{"object-ids":["{{act2}}"]}}`, status: 200,
				want: []string{`"accounts":{"data":[{"id":"{{act}}","type":"account"}]}`}},
			{name: "remove is idempotent", method: "POST", path: "/cases/{{case}}/remove-objects",
				body: `{"meta":{"object-ids":["{{act2}}"]}}`, status: 200, not: []string{`{{act2}}`}},
			{name: "add tag", method: "POST", path: "/cases/{{case}}/add-tag",
				body: `{"meta":{"tag-name":"urgent"}}`, status: 200, want: []string{`"tags":["t1","urgent"]`}},
			{name: "remove tag", method: "POST", path: "/cases/{{case}}/remove-tag",
				body: `{"meta":{"tag-name":"t1"}}`, status: 200, want: []string{`"tags":["urgent"]`}},
			{name: "set tags", method: "POST", path: "/cases/{{case}}/set-tags",
				body: `{"meta":{"tag-name":["z","y","z"]}}`, status: 200, want: []string{`"tags":["y","z"]`}},
			{name: "add two tags refused", method: "POST", path: "/cases/{{case}}/add-tag",
				body: `{"meta":{"tag-name":["a","b"]}}`, status: 422, want: []string{`"pointer":"/meta/tag-name"`}},
			{name: "tag missing", method: "POST", path: "/cases/{{case}}/add-tag",
				body: `{"meta":{}}`, status: 422, want: []string{`"pointer":"/meta/tag-name"`}},
			{name: "blank tag", method: "POST", path: "/cases/{{case}}/set-tags",
				body: `{"meta":{"tag-name":["ok",""]}}`, status: 422, want: []string{`"pointer":"/meta/tag-name/1"`}},
			{name: "comment", method: "POST", path: "/cases/{{case}}/comments",
				body: `{"meta":{"body":"looks s3cret to me"}}`, status: 201, save: map[string]string{"cm": "data.id"},
				want: []string{`"type":"case-comment"`, `"id":"cscm_`, `"message":"looks s3cret to me"`, `"case":{"data":{"id":"{{case}}","type":"case"}}`}},
			{name: "empty comment", method: "POST", path: "/cases/{{case}}/comments",
				body: `{"meta":{"body":"  "}}`, status: 422, want: []string{`"pointer":"/meta/body"`}},
			{name: "comment on unknown case", method: "POST", path: "/cases/case_01h455vb4pex5vsknk084sn02q/comments",
				body: `{"meta":{"body":"hi"}}`, status: 404},
			{name: "list comments", method: "GET", path: "/cases/{{case}}/comments", status: 200,
				want: []string{`"id":"{{cm}}"`, `"message":"looks s3cret to me"`, `"links":{"next":null,"prev":null}`}},
			{name: "list comments of unknown case", method: "GET", path: "/cases/case_01h455vb4pex5vsknk084sn02q/comments", status: 404},
			{name: "get with every include", method: "GET",
				path: "/cases/{{case}}?include=case-template,accounts,case-comments,assignee", status: 200,
				want: []string{`"included":[`, `"type":"case-template"`, `"id":"{{tmpl}}"`, `"type":"account"`,
					`"type":"case-comment"`, `"id":"{{cm}}"`, `"type":"user"`, `"email-address":"ada@example.com"`,
					`"case-comments":{"data":[{"id":"{{cm}}","type":"case-comment"}]}`}},
			{name: "include in camel case", method: "GET", path: "/cases/{{case}}?include=caseTemplate", status: 200,
				want: []string{`"included":[{`, `"type":"case-template"`}, not: []string{`"type":"user"`}},
			{name: "unassign", method: "POST", path: "/cases/{{case}}/assign",
				body: `{"meta":{"user-email-address":null}}`, status: 200, want: []string{`"assignee-id":null`, `"assigned-at":null`}},
			{name: "redact", method: "DELETE", path: "/cases/{{case}}", status: 200,
				want: []string{`"fields":{}`, `"tags":[]`, `"status":"Pending"`}, not: []string{`"redacted-at":null`, `s3cret`}},
			{name: "comments erased", method: "GET", path: "/cases/{{case}}/comments", status: 200,
				want: []string{`"id":"{{cm}}"`}, not: []string{`s3cret`, `"redacted-at":null`}},
			{name: "events scrubbed", method: "GET", path: "/events?filter[object-id]={{case}}&page[size]=100", status: 200,
				want: []string{`"name":"case.redacted"`, `"name":"case.created"`}, not: []string{`s3cret`}},
			{name: "comment events scrubbed", method: "GET", path: "/events?filter[object-id]={{cm}}", status: 200,
				want: []string{`"name":"case-comment.created"`}, not: []string{`s3cret`}},
			{name: "redacted case cannot change", method: "PATCH", path: "/cases/{{case}}",
				body: `{"data":{"attributes":{"fields":{"note":"again"}}}}`, status: 409},
			{name: "redacted case takes no comment", method: "POST", path: "/cases/{{case}}/comments",
				body: `{"meta":{"body":"again"}}`, status: 409},
			{name: "redact twice", method: "DELETE", path: "/cases/{{case}}", status: 200, not: []string{`"redacted-at":null`}},
			{name: "redact unknown", method: "DELETE", path: "/cases/case_01h455vb4pex5vsknk084sn02q", status: 404},
		})
	})
}

func TestUnknownEndpoint(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		for _, tc := range []struct{ method, path string }{
			{"GET", "/nothing"}, {"PUT", "/cases"}, {"GET", "/cases/case_01h455vb4pex5vsknk084sn02q/history"},
		} {
			r := h.do(tc.method, tc.path, "")
			if r.status != http.StatusNotFound || r.str("errors.0.title") != "Record not found" {
				t.Errorf("%s %s: %d %s", tc.method, tc.path, r.status, r.raw)
			}
		}
		if r := h.do("GET", "/healthz", ""); r.status != 200 || r.str("status") != "ok" {
			t.Errorf("healthz: %d %s", r.status, r.raw)
		}
	})
}
