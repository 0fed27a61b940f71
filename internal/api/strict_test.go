package api_test

import (
	"testing"
)

// TestStrictRequests: what a client sends wrongly is refused, naming the problem (a
// pointer or a parameter), never taken as something else: a body without its data
// envelope, an attribute in two inflections, an unknown or repeated filter, bytes that
// are not UTF-8, a malformed body or unknown meta on an action endpoint, meta where an
// endpoint reads none. Nothing refused is written. (Issue 11, item 12.)
func TestStrictRequests(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["case"] = h.createCase(vars["tmpl"], "")
		vars["wfl"] = h.must(201, "POST", "/workflows",
			definition(`[{"id":"tag","type":"action","action":"tag-object","params":{"tags":["x"]}}]`)).str("data.id")
		refused := func(name, method, path, body string, status int, where, fragment string) step {
			st := step{name: name, method: method, path: path, body: body, status: status, want: []string{fragment}}
			switch {
			case where == "":
				st.not = []string{`"source"`}
			case where[0] == '/':
				st.want = append(st.want, `"source":{"pointer":"`+where+`"}`)
			default:
				st.want = append(st.want, `"source":{"parameter":"`+where+`"}`)
			}
			return st
		}
		accounts := func(name string, n int) step {
			st := step{name: name, method: "GET", path: "/accounts?page[size]=100", status: 200}
			if n == 2 {
				st.want, st.not = []string{`"reference-id":"cust-1"`, `"reference-id":"cust-2"`}, []string{`"reference-id":"x"`, `"reference-id":null`}
			}
			return st
		}
		h.scenario(t, vars, []step{
			// A document without its envelope, or with members JSON:API does not have.
			refused("bare attributes", "POST", "/accounts", `{"reference-id":"x","tags":["a"]}`, 400, "/reference-id", "data.attributes"),
			refused("bare attributes in a patch", "PATCH", "/accounts/{{act}}", `{"tags":["a"]}`, 400, "/tags", "data.attributes"),
			refused("attributes beside data.attributes", "POST", "/accounts", `{"data":{"reference-id":"x"}}`, 400, "/data/reference-id", "data.attributes"),
			refused("relationships", "POST", "/accounts", `{"data":{"attributes":{},"relationships":{}}}`, 400, "/data/relationships", "relationships"),
			refused("data.type not a string", "POST", "/accounts", `{"data":{"type":1,"attributes":{}}}`, 400, "/data/type", "string"),
			// One attribute, two spellings.
			refused("two inflections", "POST", "/accounts", `{"data":{"attributes":{"reference-id":"x","referenceId":"y"}}}`, 400,
				"/data/attributes/reference-id", "two inflections"),
			refused("two inflections in meta", "POST", "/cases/{{case}}/set-status", `{"meta":{"status":"Approved","Status":"Declined"}}`, 400,
				"/meta/status", "two inflections"),
			// Bytes that are not UTF-8 are not replaced.
			refused("invalid UTF-8", "POST", "/accounts", "{\"data\":{\"attributes\":{\"reference-id\":\"x\xff\"}}}", 400, "", "UTF-8"),
			// Meta where the endpoint reads none.
			refused("meta on a create", "POST", "/accounts", `{"data":{"attributes":{"reference-id":"x"}},"meta":{"notify":true}}`, 422, "/meta/notify", "notify"),
			accounts("nothing was written", 2),
			// Action endpoints.
			refused("malformed action body", "POST", "/cases/{{case}}/set-status", `status=Approved`, 400, "", "not valid JSON"),
			refused("unknown meta on an action", "POST", "/cases/{{case}}/set-status", `{"meta":{"status":"Approved","reason":"ok"}}`, 422, "/meta/reason", "reason"),
			refused("attributes on an action", "POST", "/cases/{{case}}/set-status", `{"data":{"attributes":{"status":"Approved"}}}`, 422, "/data/attributes/status", "meta"),
			refused("unknown meta on assign", "POST", "/cases/{{case}}/assign", `{"meta":{"user-email-address":null,"notify":false}}`, 422, "/meta/notify", "notify"),
			refused("tag-names on add-tag", "POST", "/cases/{{case}}/add-tag", `{"meta":{"tag-names":["a"]}}`, 422, "/meta/tag-names", "tag-names"),
			refused("malformed body on publish", "POST", "/workflows/{{wfl}}/publish", `{"meta":`, 400, "", "not valid JSON"),
			refused("meta on publish", "POST", "/workflows/{{wfl}}/publish", `{"meta":{"force":true}}`, 422, "/meta/force", "force"),
			refused("meta on archive", "POST", "/case-templates/{{tmpl}}/archive", `{"meta":{"reason":"old"}}`, 422, "/meta/reason", "reason"),
			{name: "the refused actions changed nothing", method: "GET", path: "/cases/{{case}}", status: 200,
				want: []string{`"status":"Open"`, `"tags":[]`}},
			{name: "publish with an empty document", method: "POST", path: "/workflows/{{wfl}}/publish", body: `{}`, status: 200},
			{name: "an action with type and id in data", method: "POST", path: "/cases/{{case}}/set-status",
				body: `{"data":{"type":"case","id":"{{case}}"},"meta":{"status":"Approved"}}`, status: 200, want: []string{`"status":"Approved"`}},
			// Filters and paging parameters the list does not have.
			refused("unknown filter", "GET", "/cases?filter[statuss]=Declined", "", 400, "filter[statuss]", "unknown filter"),
			refused("filter on a list without filters", "GET", "/users?filter[role]=admin", "", 400, "filter[role]", "no filters"),
			refused("filter twice", "GET", "/cases?filter[status]=Open&filter[status]=Approved", "", 400, "filter[status]", "2 times"),
			refused("filter in two inflections", "GET", "/cases?filter[reference-id]=cust-1&filter[referenceId]=cust-2", "", 400,
				"filter[referenceId]", "same filter"),
			refused("malformed filter", "GET", "/cases?filter[status=Open", "", 400, "filter[status", "filter[name]"),
			refused("unknown page parameter", "GET", "/cases?page[number]=2", "", 400, "page[number]", "page[size]"),
			{name: "a known filter in camel case", method: "GET", path: "/cases?filter[caseTemplateId]={{tmpl}}", status: 200,
				want: []string{`"id":"{{case}}"`}},
		})
	})
}
