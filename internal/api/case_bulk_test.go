package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

func TestCaseBulk(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["other"] = h.createTemplate(`{"data":{"attributes":{"name":"Other","key":"OTH",
			"statuses":[{"name":"New","type":"initial"},{"name":"Closed","type":"end"}]}}}`)
		vars["secret"] = h.createTemplate(`{"data":{"attributes":{"name":"SAR","key":"SAR","visible-to-roles":["admin"]}}}`)
		_, manager := h.userKey("mia@example.com", "manager", "*")
		_, reviewer := h.userKey("rev@example.com", "reviewer", "*")
		for _, c := range []struct{ name, tmpl string }{{"k1", "tmpl"}, {"k2", "tmpl"}, {"o1", "other"}, {"s1", "secret"}} {
			vars[c.name] = h.createCase(vars[c.tmpl], "")
		}
		vars["nocase"] = docket.NewID(docket.PrefixCase)
		as := func(auth string) []string { return []string{"Authorization", auth} }
		bulk := func(action, ids, extra string) string {
			return `{"meta":{"action":"` + action + `","case-ids":[` + ids + `]` + extra + `}}`
		}
		many := make([]string, docket.MaxBulkCases+1)
		for i := range many {
			many[i] = `"` + docket.NewID(docket.PrefixCase) + `"`
		}
		h.scenario(t, vars, []step{
			{name: "a reviewer may not", method: "POST", path: "/cases/bulk", headers: as(reviewer), status: 403,
				body: bulk("set-status", `"{{k1}}"`, `,"status":"Approved"`), want: []string{"may not run bulk actions"}},
			{name: "nothing changed", method: "GET", path: "/cases/{{k1}}", status: 200, want: []string{`"status":"Open"`}},
			{name: "set status, some refused", method: "POST", path: "/cases/bulk", headers: as(manager), status: 200,
				body: bulk("set-status", `"{{k1}}","{{o1}}","{{k2}}","{{nocase}}","{{s1}}","{{k1}}"`, `,"status":"Approved"`),
				want: []string{`"updated":2`, `"refused":3`, `"action":"set-status"`,
					`{"case-id":"{{k1}}","case-name":"KYC-1","result":"updated"}`,
					`{"case-id":"{{o1}}","case-name":"OTH-1","error":{"details":"\"Approved\" is not a status of case template Other`,
					`"source":{"pointer":"/meta/status"},"status":422,"title":"Unprocessable entity"},"result":"refused"}`,
					`{"case-id":"{{nocase}}","case-name":"{{nocase}}","error":{"details":"case {{nocase}} not found","status":404`,
					`{"case-id":"{{s1}}","case-name":"{{s1}}","error":{"details":"case {{s1}} not found","status":404`,
					`"data":[{"attributes":`},
				not: []string{`"case-name":"SAR-1"`}},
			{name: "the change is each case's own", method: "GET", path: "/cases/{{k2}}", status: 200,
				want: []string{`"status":"Approved"`, `"resolution":"Approved"`}},
			{name: "with its own event", method: "GET", path: "/events?filter[object-id]={{k2}}", status: 200,
				want: []string{`"name":"case.resolved"`}},
			{name: "the hidden case is untouched", method: "GET", path: "/cases/{{s1}}", status: 200, want: []string{`"status":"Open"`}},
			{name: "assign", method: "POST", path: "/cases/bulk", headers: as(manager), status: 200,
				body: bulk("assign", `"{{k1}}","{{o1}}"`, `,"user-email-address":"Ada@example.com"`),
				want: []string{`"updated":2`, `"refused":0`, `"assignee-id":"{{user}}"`}},
			{name: "assign to nobody we know", method: "POST", path: "/cases/bulk", headers: as(manager), status: 200,
				body: bulk("assign", `"{{k1}}"`, `,"user-email-address":"zed@example.com"`),
				want: []string{`"refused":1`, `"pointer":"/meta/user-email-address"`}},
			{name: "unassign", method: "POST", path: "/cases/bulk", headers: as(manager), status: 200,
				body: bulk("assign", `"{{o1}}"`, `,"user-email-address":null`), want: []string{`"updated":1`, `"assignee-id":null`}},
			{name: "assign needs the address", method: "POST", path: "/cases/bulk", headers: as(manager), status: 422,
				body: bulk("assign", `"{{k1}}"`, ""), want: []string{`"pointer":"/meta/user-email-address"`}},
			{name: "add a tag", method: "POST", path: "/cases/bulk", headers: as(manager), status: 200,
				body: bulk("add-tag", `"{{k1}}","{{k2}}"`, `,"tag-name":" pep "`), want: []string{`"updated":2`, `"tags":["pep"]`}},
			{name: "a tag is needed", method: "POST", path: "/cases/bulk", headers: as(manager), status: 422,
				body: bulk("add-tag", `"{{k1}}"`, ""), want: []string{`"pointer":"/meta/tag-name"`}},
			{name: "an unknown action", method: "POST", path: "/cases/bulk", headers: as(manager), status: 422,
				body: bulk("close", `"{{k1}}"`, ""), want: []string{`"pointer":"/meta/action"`}},
			{name: "no cases", method: "POST", path: "/cases/bulk", headers: as(manager), status: 422,
				body: bulk("add-tag", ``, `,"tag-name":"x"`), want: []string{`"pointer":"/meta/case-ids"`}},
			{name: "too many cases", method: "POST", path: "/cases/bulk", headers: as(manager), status: 422,
				body: bulk("add-tag", strings.Join(many, ","), `,"tag-name":"x"`), want: []string{`"pointer":"/meta/case-ids"`,
					fmt.Sprintf("at most %d cases", docket.MaxBulkCases)}},
			{name: "not a case id", method: "POST", path: "/cases/bulk", headers: as(manager), status: 422,
				body: bulk("add-tag", `"{{k1}}","{{user}}"`, `,"tag-name":"x"`), want: []string{`"pointer":"/meta/case-ids/1"`}},
			{name: "attributes are refused", method: "POST", path: "/cases/bulk", headers: as(manager), status: 422,
				body: `{"data":{"attributes":{"status":"Open"}},"meta":{"action":"add-tag","case-ids":["{{k1}}"],"tag-name":"x"}}`,
				want: []string{`"pointer":"/data/attributes/status"`}},
			{name: "an unknown key", method: "POST", path: "/cases/bulk", headers: as(manager), status: 422,
				body: `{"meta":{"action":"add-tag","case-ids":["{{k1}}"],"tag":"x"}}`, want: []string{`"pointer":"/meta/tag"`}},
			{name: "a key of nobody with case.write may", method: "POST", path: "/cases/bulk", status: 200,
				body: bulk("set-status", `"{{s1}}"`, `,"status":"Approved"`), want: []string{`"updated":1`, `"case-name":"SAR-1"`}},
		})
	})
}
