package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

// objRelIDs returns the ids in a relationship of a resource at path.
func objRelIDs(r *resp, path string) []string {
	var out []string
	for _, x := range r.list(path) {
		if id, ok := get(x, "id").(string); ok {
			out = append(out, id)
		}
	}
	return out
}

// objIncluded finds the included resource with the given type and id.
func objIncluded(r *resp, typ, id string) map[string]any {
	for _, x := range r.list("included") {
		if get(x, "type") == typ && get(x, "id") == id {
			m, _ := x.(map[string]any)
			return m
		}
	}
	return nil
}

// objNumber reads a JSON number (the harness decodes with UseNumber).
func objNumber(v any) float64 {
	n, _ := v.(json.Number)
	f, _ := n.Float64()
	return f
}

// TestObjectAMLStory is the seed story: an AML alert arrives as a transaction, an analyst
// opens a case on it with the customer's account, and everything about the customer can
// be reached from the case and back.
func TestObjectAMLStory(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{}
		h.scenario(t, vars, []step{
			{name: "define the Alert transaction type", method: "POST", path: "/transaction-types",
				body: `{"data":{"attributes":{"name":"Alert","field-schemas":[
					{"key":"amount","type":"float","label":"Amount","required":true},
					{"key":"currency","type":"choices","label":"Currency","config":{"options":["USD","EUR","GBP"]}},
					{"key":"rules-violated","type":"array","label":"Rules violated"}]}}}`,
				status: 201, save: map[string]string{"tt": "data.id"}, want: []string{`"name":"Alert"`, `"key":"rules-violated"`}},
			{name: "the customer's account", method: "POST", path: "/accounts",
				body:   `{"data":{"attributes":{"reference-id":"cust-42","fields":{"name":"Jo Bloggs"}}}}`,
				status: 201, save: map[string]string{"act": "data.id"}},
			{name: "an alert with a wrong amount is refused", method: "POST", path: "/transactions",
				body:   `{"data":{"attributes":{"transaction-type-id":"{{tt}}","reference-id":"cust-42","fields":{"amount":"9500","currency":"USD"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/amount"`}},
			{name: "the alert", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{tt}}","reference-id":"cust-42",
					"fields":{"amount":9500.25,"currency":"USD","rules-violated":["structuring","velocity"]}}}}`,
				status: 201, save: map[string]string{"txn": "data.id"},
				want: []string{`"account":{"data":{"id":"{{act}}","type":"account"}}`, `"status":"created"`}},
			{name: "the Alert case template", method: "POST", path: "/case-templates",
				body:   `{"data":{"attributes":{"name":"Alert","key":"ALERT"}}}`,
				status: 201, save: map[string]string{"tmpl": "data.id"}},
			{name: "open a case on the alert", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"object-ids":["{{txn}}","{{act}}"]}}`,
				status: 201, save: map[string]string{"case": "data.id"},
				want: []string{`"name":"ALERT-1"`, `"txns":{"data":[{"id":"{{txn}}","type":"transaction"}]}`,
					`"accounts":{"data":[{"id":"{{act}}","type":"account"}]}`}},
			{name: "a case on an unknown object is refused", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"object-ids":["{{act}}","txn_01h455vb4pex5vsknk084sn02q"]}}`,
				status: 422, want: []string{`"pointer":"/meta/object-ids/1"`}},
		})

		// The case with its transaction and account included.
		r := h.must(http.StatusOK, "GET", "/cases/"+vars["case"]+"?include=txns,accounts", "")
		txn := objIncluded(r, "transaction", vars["txn"])
		act := objIncluded(r, "account", vars["act"])
		if txn == nil || act == nil {
			t.Fatalf("included lacks the transaction or the account:\n%s", r.raw)
		}
		if n := len(r.list("included")); n != 2 {
			t.Errorf("%d included resources, want 2:\n%s", n, r.raw)
		}
		if objNumber(get(txn, "attributes.fields.amount")) != 9500.25 || get(txn, "attributes.fields.currency") != "USD" ||
			get(txn, "attributes.reference-id") != "cust-42" || len(get(txn, "attributes.fields.rules-violated").([]any)) != 2 {
			t.Errorf("included transaction: %v", txn)
		}
		if get(act, "attributes.reference-id") != "cust-42" || get(act, "attributes.fields.name") != "Jo Bloggs" {
			t.Errorf("included account: %v", act)
		}
		if got := r.list("data.relationships.related-cases.data"); got == nil || len(got) != 0 {
			t.Errorf("related cases of a lone case: %v (want an empty list)", get(r.doc, "data.relationships.related-cases"))
		}

		// Found by the customer's reference id; other reference ids do not find it.
		if ids := h.must(http.StatusOK, "GET", "/cases?filter[reference-id]=cust-42", "").ids(); !slices.Equal(ids, []string{vars["case"]}) {
			t.Errorf("cases of cust-42: %q", ids)
		}
		if ids := h.must(http.StatusOK, "GET", "/cases?filter[reference-id]=cust-43", "").ids(); len(ids) != 0 {
			t.Errorf("cases of cust-43: %q", ids)
		}
		if ids := h.must(http.StatusOK, "GET", "/cases?filter[transaction-id]="+vars["txn"], "").ids(); !slices.Equal(ids, []string{vars["case"]}) {
			t.Errorf("cases of the transaction: %q", ids)
		}

		// From the account and the transaction back to the case.
		for _, p := range []string{"/accounts/" + vars["act"], "/transactions/" + vars["txn"]} {
			r := h.must(http.StatusOK, "GET", p, "")
			if got := objRelIDs(r, "data.relationships.cases.data"); !slices.Equal(got, []string{vars["case"]}) {
				t.Errorf("%s: cases %q, want [%s]", p, got, vars["case"])
			}
		}

		// A second case on the same account is related to the first, and back.
		second := h.must(http.StatusCreated, "POST", "/cases",
			`{"data":{"attributes":{"case-template-id":"`+vars["tmpl"]+`"}},"meta":{"object-ids":["`+vars["act"]+`"]}}`).str("data.id")
		for _, c := range [][2]string{{vars["case"], second}, {second, vars["case"]}} {
			r := h.must(http.StatusOK, "GET", "/cases/"+c[0], "")
			if got := objRelIDs(r, "data.relationships.related-cases.data"); !slices.Equal(got, []string{c[1]}) {
				t.Errorf("related cases of %s: %q, want [%s]", c[0], got, c[1])
			}
		}
		r = h.must(http.StatusOK, "GET", "/accounts/"+vars["act"], "")
		if got := objRelIDs(r, "data.relationships.cases.data"); !slices.Equal(got, []string{second, vars["case"]}) {
			t.Errorf("cases of the account: %q, want newest first [%s %s]", got, second, vars["case"])
		}

		// The transaction's events render it as the transaction endpoint does.
		r = h.must(http.StatusOK, "GET", "/events?filter[object-id]="+vars["txn"], "")
		var created map[string]any
		for _, e := range r.list("data") {
			if get(e, "attributes.name") == "transaction.created" {
				created, _ = e.(map[string]any)
			}
		}
		if created == nil {
			t.Fatalf("no transaction.created event:\n%s", r.raw)
		}
		if get(created, "attributes.payload.data.type") != "transaction" || get(created, "attributes.payload.data.id") != vars["txn"] ||
			objNumber(get(created, "attributes.payload.data.attributes.fields.amount")) != 9500.25 {
			t.Errorf("transaction.created payload: %v", get(created, "attributes.payload"))
		}
		for _, e := range r.list("data") {
			if id := get(e, "attributes.payload.data.id"); id != vars["txn"] {
				t.Errorf("event %v of another object (%v) in the transaction's events", get(e, "attributes.name"), id)
			}
		}
	})
}
