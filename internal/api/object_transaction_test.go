package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

// objNextMillisecond waits, polling the clock the server shares with the test, until the
// millisecond after t has begun, so that the next object gets a later created-at.
func objNextMillisecond(t *testing.T, after time.Time) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !time.Now().Truncate(time.Millisecond).After(after) {
		if time.Now().After(deadline) {
			t.Fatalf("clock did not pass %v", after)
		}
	}
}

func TestObjectAPITransactionTypes(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"notype": "txntp_01h455vb4pex5vsknk084sn02q"}
		h.scenario(t, vars, []step{
			{name: "create with defaults", method: "POST", path: "/transaction-types", body: `{"data":{"attributes":{"name":"Payment"}}}`,
				status: 201, save: map[string]string{"tt": "data.id"},
				want: []string{`"type":"transaction-type"`, `"id":"txntp_`, `"name":"Payment"`, `"field-schemas":[]`,
					`"statuses":["created","needs_review","approved","declined"]`}},
			{name: "create with fields and statuses", method: "POST", path: "/transaction-types",
				body: `{"data":{"attributes":{"name":"Wire","statuses":["open","closed"],
					"field-schemas":[{"key":"amount","type":"float","label":"Amount","required":true,"config":{"min":0}}]}}}`,
				status: 201, save: map[string]string{"wire": "data.id"},
				want: []string{`"statuses":["open","closed"]`, `"key":"amount"`, `"required":true`, `"min":0`}},
			{name: "no name", method: "POST", path: "/transaction-types", body: `{"data":{"attributes":{"name":""}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/name"`}},
			{name: "unknown field type", method: "POST", path: "/transaction-types",
				body:   `{"data":{"attributes":{"name":"x","field-schemas":[{"key":"amount","type":"money"}]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/field-schemas/0/type"`}},
			{name: "duplicate status", method: "POST", path: "/transaction-types", body: `{"data":{"attributes":{"name":"x","statuses":["a","a"]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/statuses/1"`}},
			{name: "choices without options", method: "POST", path: "/transaction-types",
				body:   `{"data":{"attributes":{"name":"x","field-schemas":[{"key":"c","type":"choices"}]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/field-schemas/0/config/options"`}},
			{name: "get", method: "GET", path: "/transaction-types/{{tt}}", status: 200, want: []string{`"name":"Payment"`}},
			{name: "get unknown", method: "GET", path: "/transaction-types/{{notype}}", status: 404},
			{name: "list", method: "GET", path: "/transaction-types", status: 200, want: []string{`"id":"{{tt}}"`, `"id":"{{wire}}"`}},
			{name: "transaction in a status", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{wire}}","status":"closed","fields":{"amount":1}}}}`, status: 201},
			{name: "remove a held status", method: "PATCH", path: "/transaction-types/{{wire}}", body: `{"data":{"attributes":{"statuses":["open"]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/statuses"`}},
			{name: "statuses unchanged", method: "GET", path: "/transaction-types/{{wire}}", status: 200, want: []string{`"statuses":["open","closed"]`}},
			{name: "rename and add a status", method: "PATCH", path: "/transaction-types/{{wire}}",
				body:   `{"data":{"attributes":{"name":"Wire v2","statuses":["open","closed","held"]}}}`,
				status: 200, want: []string{`"name":"Wire v2"`, `"statuses":["open","closed","held"]`, `"key":"amount"`}},
			{name: "update unknown", method: "PATCH", path: "/transaction-types/{{notype}}", body: `{"data":{"attributes":{"name":"x"}}}`, status: 404},
		})
	})
}

func TestObjectAPITransactions(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"notxn": "txn_01h455vb4pex5vsknk084sn02q", "notype": "txntp_01h455vb4pex5vsknk084sn02q"}
		h.scenario(t, vars, []step{
			{name: "type", method: "POST", path: "/transaction-types",
				body: `{"data":{"attributes":{"name":"Payment","field-schemas":[{"key":"amount","type":"float","required":true},
					{"key":"currency","type":"choices","config":{"options":["USD","EUR"]}}]}}}`,
				status: 201, save: map[string]string{"tt": "data.id"}},
			{name: "other type", method: "POST", path: "/transaction-types", body: `{"data":{"attributes":{"name":"Login"}}}`,
				status: 201, save: map[string]string{"tt2": "data.id"}},
			{name: "create", method: "POST", path: "/transactions",
				body:   `{"data":{"attributes":{"transaction-type-id":"{{tt}}","reference-id":"cust-1","fields":{"amount":10.5,"currency":"EUR"},"tags":["wire"]}}}`,
				status: 201, save: map[string]string{"txn": "data.id", "act": "data.relationships.account.data.id"},
				want: []string{`"type":"transaction"`, `"id":"txn_`, `"status":"created"`, `"reference-id":"cust-1"`,
					`"fields":{"amount":10.5,"currency":"EUR"}`, `"transaction-type":{"data":{"id":"{{tt}}","type":"transaction-type"}}`,
					`"account":{"data":{"id":"act_`}},
			{name: "missing required field", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{tt}}","fields":{}}}}`, status: 422, want: []string{`"pointer":"/data/attributes/fields/amount"`}},
			{name: "field of the wrong type", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{tt}}","fields":{"amount":"ten"}}}}`, status: 422, want: []string{`"pointer":"/data/attributes/fields/amount"`}},
			{name: "not a choice", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{tt}}","fields":{"amount":1,"currency":"BTC"}}}}`, status: 422, want: []string{`"pointer":"/data/attributes/fields/currency"`}},
			{name: "undeclared field", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{tt}}","fields":{"amount":1,"ip":"1.2.3.4"}}}}`, status: 422, want: []string{`"pointer":"/data/attributes/fields/ip"`}},
			{name: "unknown type", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{notype}}","fields":{"amount":1}}}}`, status: 422, want: []string{`"pointer":"/data/attributes/transaction-type-id"`}},
			{name: "malformed type id", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"case_x"}}}`, status: 422, want: []string{`"pointer":"/data/attributes/transaction-type-id"`}},
			{name: "status of no type", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{tt}}","status":"shipped","fields":{"amount":1}}}}`, status: 422, want: []string{`"pointer":"/data/attributes/status"`}},
			{name: "update fields", method: "PATCH", path: "/transactions/{{txn}}", body: `{"data":{"attributes":{"fields":{"amount":11}}}}`,
				status: 200, want: []string{`"fields":{"amount":11,"currency":"EUR"}`, `"status":"created"`}},
			{name: "update status", method: "PATCH", path: "/transactions/{{txn}}", body: `{"data":{"attributes":{"status":"needs_review"}}}`,
				status: 200, want: []string{`"status":"needs_review"`}},
			{name: "update to an unknown status", method: "PATCH", path: "/transactions/{{txn}}", body: `{"data":{"attributes":{"status":"lost"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/status"`}},
			{name: "update a bad field", method: "PATCH", path: "/transactions/{{txn}}", body: `{"data":{"attributes":{"fields":{"amount":null}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/amount"`}},
			{name: "update the type", method: "PATCH", path: "/transactions/{{txn}}", body: `{"data":{"attributes":{"transaction-type-id":"{{tt2}}"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/transaction-type-id"`}},
			{name: "get", method: "GET", path: "/transactions/{{txn}}", status: 200,
				want: []string{`"status":"needs_review"`, `"fields":{"amount":11,"currency":"EUR"}`, `"cases":{"data":[]}`}},
			{name: "get unknown", method: "GET", path: "/transactions/{{notxn}}", status: 404},
			{name: "events", method: "GET", path: "/events?filter[object-id]={{txn}}", status: 200,
				want: []string{`"name":"transaction.created"`, `"name":"transaction.updated-fields"`, `"name":"transaction.status-updated"`}},
		})

		// Filters: three more transactions, each created in a later millisecond.
		created := map[string]time.Time{}
		ids := []string{vars["txn"]}
		created[vars["txn"]] = objParseTime(t, h.must(http.StatusOK, "GET", "/transactions/"+vars["txn"], "").str("data.attributes.created-at"))
		for _, b := range []string{
			`{"data":{"attributes":{"transaction-type-id":"` + vars["tt2"] + `","reference-id":"cust-1"}}}`,
			`{"data":{"attributes":{"transaction-type-id":"` + vars["tt"] + `","reference-id":"cust-2","fields":{"amount":1}}}}`,
			`{"data":{"attributes":{"transaction-type-id":"` + vars["tt2"] + `"}}}`,
		} {
			objNextMillisecond(t, created[ids[len(ids)-1]])
			r := h.must(http.StatusCreated, "POST", "/transactions", b)
			ids = append(ids, r.str("data.id"))
			created[r.str("data.id")] = objParseTime(t, r.str("data.attributes.created-at"))
		}
		at := func(i int) string { return url.QueryEscape(created[ids[i]].Format(time.RFC3339Nano)) }
		rev := func(is ...int) []string {
			var out []string
			for _, i := range is {
				out = append(out, ids[i])
			}
			return out
		}
		tests := []struct {
			name, query string
			want        []string
		}{
			{"all, newest first", "", rev(3, 2, 1, 0)},
			{"type", "filter[transaction-type-id]=" + vars["tt2"], rev(3, 1)},
			{"reference id", "filter[reference-id]=cust-1", rev(1, 0)},
			{"type and reference id", "filter[transaction-type-id]=" + vars["tt"] + "&filter[reference-id]=cust-1", rev(0)},
			{"account", "filter[account-id]=" + vars["act"], rev(1, 0)},
			{"status", "filter[status]=needs_review", rev(0)},
			{"created from", "filter[created-at-start]=" + at(2), rev(3, 2)},
			{"created until", "filter[created-at-end]=" + at(1), rev(1, 0)},
			{"created between", "filter[created-at-start]=" + at(1) + "&filter[created-at-end]=" + at(2), rev(2, 1)},
			{"empty range", "filter[created-at-start]=" + at(3) + "&filter[created-at-end]=" + at(0), nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := h.must(http.StatusOK, "GET", "/transactions?"+tc.query, "")
				if got := r.ids(); !slices.Equal(got, tc.want) {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			})
		}
		for _, q := range []string{"filter[created-at-start]=yesterday", "filter[transaction-type-id]=case_x", "filter[account-id]=nope"} {
			if r := h.do("GET", "/transactions?"+q, ""); r.status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", q, r.status)
			}
		}
		h.scenario(t, vars, []step{
			{name: "redact", method: "DELETE", path: "/transactions/{{txn}}", status: 200,
				want: []string{`"fields":{}`, `"reference-id":null`}, not: []string{`"redacted-at":null`}},
			{name: "update after redaction", method: "PATCH", path: "/transactions/{{txn}}", body: `{"data":{"attributes":{"status":"approved"}}}`, status: 409},
			{name: "events scrubbed", method: "GET", path: "/events?filter[object-id]={{txn}}", status: 200,
				want: []string{`"name":"transaction.redacted"`}, not: []string{`"amount":10.5`, "cust-1", `"EUR"`}},
		})
	})
}

func objParseTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("created-at %q: %v", s, err)
	}
	return v
}
