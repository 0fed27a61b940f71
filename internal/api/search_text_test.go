package api_test

import (
	"testing"
)

// TestCaseSearchText: free text through POST /cases/search and the list's filter[q], a
// field made searchable through the template's schema, and meta.not-indexed.
func TestCaseSearchText(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["idx"] = h.createTemplate(`{"data":{"attributes":{"name":"Indexed","key":"IDX","field-schemas":[
			{"key":"amount","type":"float","label":"Amount","searchable":true}]}}}`)
		vars["c1"] = h.must(201, "POST", "/cases", `{"data":{"attributes":{"case-template-id":"`+vars["tmpl"]+`","fields":{"note":"Wire to Zürich"}}},
			"meta":{"object-ids":["`+vars["act"]+`"]}}`).str("data.id")
		vars["c2"] = h.createCase(vars["idx"], `"fields":{"amount":999}`)
		h.must(201, "POST", "/cases/"+vars["c2"]+"/comments", `{"meta":{"body":"Refund asked by phone"}}`)
		eq := func(attr, value string) string {
			return `{"attribute":"` + attr + `","operator":"eq","value":` + value + `}`
		}
		h.scenario(t, vars, []step{
			{name: "a word's start, any case", method: "POST", path: "/cases/search", body: `{"text":"ZÜR"}`, status: 200,
				want: []string{`"id":"{{c1}}"`}, not: []string{`"id":"{{c2}}"`, `not-indexed`}},
			{name: "a comment's word, read after write", method: "POST", path: "/cases/search", body: `{"text":"refund"}`, status: 200,
				want: []string{`"id":"{{c2}}"`}, not: []string{`"id":"{{c1}}"`}},
			{name: "an account's reference id", method: "POST", path: "/cases/search", body: `{"text":"cust-1"}`, status: 200,
				want: []string{`"id":"{{c1}}"`}, not: []string{`"id":"{{c2}}"`}},
			{name: "text and a query", method: "POST", path: "/cases/search",
				body: `{"text":"refund","query":` + eq("status", `"Approved"`) + `}`, status: 200, not: []string{`"id":"{{c2}}"`}},
			{name: "text in another order", method: "POST", path: "/cases/search", body: `{"text":"zürich","sort":"-created-at"}`, status: 200,
				want: []string{`"id":"{{c1}}"`}},
			{name: "reference id", method: "POST", path: "/cases/search", body: `{"query":` + eq("reference-id", `"cust-1"`) + `}`, status: 200,
				want: []string{`"id":"{{c1}}"`}, not: []string{`"id":"{{c2}}"`}},
			// amount is searchable on IDX but not on KYC, which declares it too.
			{name: "a field not indexed everywhere", method: "POST", path: "/cases/search", body: `{"query":` + eq("fields.amount", `999`) + `}`,
				status: 200, want: []string{`"id":"{{c2}}"`, `"not-indexed":["fields.amount"]`}},
			{name: "a field searchable nowhere", method: "POST", path: "/cases/search", body: `{"query":` + eq("fields.riskScore", `1`) + `}`,
				status: 200, want: []string{`"not-indexed":["fields.riskScore"]`}},
			{name: "the search box", method: "GET", path: "/cases?filter[q]=zurich", status: 200, not: []string{`"id":"{{c1}}"`}},
			{name: "the search box's words", method: "GET", path: "/cases?filter[q]=wire%20z%C3%BC", status: 200, want: []string{`"id":"{{c1}}"`}},
			{name: "the template says searchable", method: "GET", path: "/case-templates/{{idx}}", status: 200, want: []string{`"searchable":true`}},
			{name: "text not a string", method: "POST", path: "/cases/search", body: `{"text":1}`, status: 400, want: []string{`"pointer":"/text"`}},
			{name: "rank without text", method: "POST", path: "/cases/search", body: `{"sort":"rank"}`, status: 400, want: []string{`"pointer":"/sort"`}},
			{name: "searchable on a json field", method: "POST", path: "/case-templates", status: 422,
				body: `{"data":{"attributes":{"name":"J","key":"JJ","field-schemas":[{"key":"j","type":"json","label":"J","searchable":true}]}}}`,
				want: []string{`"pointer":"/data/attributes/field-schemas/0/searchable"`}},
		})
	})
}
