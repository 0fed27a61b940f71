package api_test

import (
	"net/http"
	"testing"
)

func TestObjectAPIReports(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"norep": "rep_01h455vb4pex5vsknk084sn02q", "noinq": "inq_01h455vb4pex5vsknk084sn02q"}
		h.scenario(t, vars, []step{
			{name: "inquiry", method: "POST", path: "/inquiries", body: `{"data":{"attributes":{"reference-id":"cust-5"}}}`,
				status: 201, save: map[string]string{"inq": "data.id", "act": "data.relationships.account.data.id"}},
			{name: "create pending", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-type":"report/watchlist","inquiry-id":"{{inq}}","tags":["screen"]}}}`,
				status: 201, save: map[string]string{"rep": "data.id"},
				want: []string{`"type":"report/watchlist"`, `"id":"rep_`, `"status":"pending"`, `"matched":false`, `"completed-at":null`,
					`"account":{"data":{"id":"{{act}}","type":"account"}}`, `"inquiry":{"data":{"id":"{{inq}}","type":"inquiry"}}`}},
			{name: "create another pending", method: "POST", path: "/reports",
				body: `{"data":{"attributes":{"report-type":"report/adverse-media"}}}`, status: 201, save: map[string]string{"rep2": "data.id"},
				want: []string{`"account":{"data":null}`}},
			{name: "create finished", method: "POST", path: "/reports",
				body:   `{"data":{"attributes":{"report-type":"report/sanctions","status":"ready","matched":true,"result":{"hits":1},"reference-id":"cust-5"}}}`,
				status: 201, save: map[string]string{"rep3": "data.id"},
				want: []string{`"status":"ready"`, `"matched":true`, `"result":{"hits":1}`, `"account":{"data":{"id":"{{act}}","type":"account"}}`},
				not:  []string{`"completed-at":null`}},
			{name: "unknown type", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-type":"report/horoscope"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/report-type"`}},
			{name: "unknown status", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-type":"report/watchlist","status":"done"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/status"`}},
			{name: "unknown inquiry", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-type":"report/watchlist","inquiry-id":"{{noinq}}"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/inquiry-id"`}},
			{name: "malformed inquiry id", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-type":"report/watchlist","inquiry-id":"act_x"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/inquiry-id"`}},
			{name: "ready and matched", method: "POST", path: "/reports/{{rep}}/ready", body: `{"meta":{"matched":true,"result":{"lists":["OFAC"]}}}`,
				status: 200, want: []string{`"status":"ready"`, `"matched":true`, `"result":{"lists":["OFAC"]}`}, not: []string{`"completed-at":null`}},
			{name: "ready twice", method: "POST", path: "/reports/{{rep}}/ready", body: `{"meta":{"matched":false}}`, status: 422},
			{name: "errored after ready", method: "POST", path: "/reports/{{rep}}/errored", status: 422},
			{name: "unknown meta key", method: "POST", path: "/reports/{{rep2}}/ready", body: `{"meta":{"score":3}}`,
				status: 422, want: []string{`"pointer":"/meta/score"`}},
			{name: "errored", method: "POST", path: "/reports/{{rep2}}/errored", status: 200,
				want: []string{`"status":"errored"`, `"matched":false`}},
			{name: "finish unknown", method: "POST", path: "/reports/{{norep}}/ready", status: 404},
			{name: "get", method: "GET", path: "/reports/{{rep}}", status: 200,
				want: []string{`"status":"ready"`, `"matched":true`, `"cases":{"data":[]}`}},
			{name: "get unknown", method: "GET", path: "/reports/{{norep}}", status: 404},
			{name: "list by type", method: "GET", path: "/reports?filter[report-type]=report/watchlist", status: 200,
				want: []string{`"id":"{{rep}}"`}, not: []string{`"id":"{{rep2}}"`, `"id":"{{rep3}}"`}},
			{name: "list by inquiry", method: "GET", path: "/reports?filter[inquiry-id]={{inq}}", status: 200,
				want: []string{`"id":"{{rep}}"`}, not: []string{`"id":"{{rep3}}"`}},
			{name: "list by account", method: "GET", path: "/reports?filter[account-id]={{act}}", status: 200,
				want: []string{`"id":"{{rep}}"`, `"id":"{{rep3}}"`}, not: []string{`"id":"{{rep2}}"`}},
			{name: "list by status", method: "GET", path: "/reports?filter[status]=errored", status: 200,
				want: []string{`"id":"{{rep2}}"`}, not: []string{`"id":"{{rep}}"`}},
			{name: "events of the report", method: "GET", path: "/events?filter[object-id]={{rep}}", status: 200,
				want: []string{`"name":"report.created"`, `"name":"report.ready"`, `"name":"report.matched"`, `"type":"report/watchlist"`}},
			{name: "pending to redact", method: "POST", path: "/reports", body: `{"data":{"attributes":{"report-type":"report/profile"}}}`,
				status: 201, save: map[string]string{"rep4": "data.id"}},
			{name: "redact", method: "DELETE", path: "/reports/{{rep4}}", status: 200, not: []string{`"redacted-at":null`}},
			{name: "finish a redacted report", method: "POST", path: "/reports/{{rep4}}/ready", body: `{"meta":{"result":{"name":"Late"}}}`,
				status: 409},
		})
		r := h.must(http.StatusOK, "GET", "/events?filter[name]=report.matched", "")
		if n := len(r.list("data")); n != 2 {
			t.Fatalf("%d report.matched events, want 2 (one per matched report)", n)
		}
	})
}
