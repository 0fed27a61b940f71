package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/worker"
)

// sarSchema is FinCEN's SAR batch schema (see its SOURCE.md).
const sarSchema = "../sar/testdata/fincen/EFL_SARXBatchSchema.xsd"

// startWorkers runs the harness's job workers, so that workflows run as under serve.
func startWorkers(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	r, err := worker.New(ctx, h.store, worker.Config{Webhook: webhook.DefaultConfig(), PollInterval: 20 * time.Millisecond},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop(ctx) })
}

// xmllintSchema validates doc against FinCEN's schema, failing with xmllint's report.
func xmllintSchema(t *testing.T, doc string) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatal("xmllint is missing: apt-get install libxml2-utils (.ci/run does)")
	}
	path := filepath.Join(t.TempDir(), "sar.xml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", "--schema", sarSchema, path).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, doc)
	}
}

// completeSARSettings are filing settings that pass every check.
const completeSARSettings = `{"data":{"attributes":{
	"institution":{"name":"First Docket Bank","ein":"123456789","type":2,"regulator":"4",
		"address":{"street":"1 Main St","city":"Springfield","state":"IL","zip":"62701","country":"US"}},
	"transmitter":{"name":"First Docket Bank","tin":"123456789","tcc":"PTCC1234","phone":"2175550100","contact-name":"Jane Compliance",
		"address":{"street":"1 Main St","city":"Springfield","state":"IL","zip":"62701","country":"US"}},
	"contact":{"office":"BSA Office","phone":"2175550101"}}}}`

// TestSARStory is seed 004 end to end: a monitoring alert arrives as a transaction, a
// workflow opens an Alert case on it, the investigator decides to file and prepares a
// SAR, which is auto-filled from the case, refused until complete, approved by a second
// person (not the preparer), exported as a FinCEN batch file that the schema accepts, and
// filed. Whoever may not read SARs never sees the SAR or its case.
func TestSARStory(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		startWorkers(t, h)
		_, preparer := h.userKey("preparer@example.com", docket.RoleAdmin, docket.ScopeAll)
		_, approver := h.userKey("approver@example.com", docket.RoleAdmin, docket.ScopeAll)
		_, reviewer := h.userKey("reviewer@example.com", docket.RoleReviewer, docket.ScopeAll)
		noSARKey := "Bearer " + h.keyWithScopes(docket.ScopeCaseRead, docket.ScopeObjectRead)
		as := func(key string) []string { return []string{"Authorization", key} }
		vars := map[string]string{}
		h.scenario(t, vars, []step{
			{name: "the Alert transaction type", method: "POST", path: "/transaction-types",
				body: `{"data":{"attributes":{"name":"Alert","field-schemas":[
					{"key":"amount","type":"float","label":"Amount","required":true},
					{"key":"currency","type":"choices","label":"Currency","config":{"options":["USD","EUR"]}},
					{"key":"date","type":"string","label":"Date"},
					{"key":"rules-violated","type":"array","label":"Rules violated"}]}}}`,
				status: 201, save: map[string]string{"tt": "data.id"}},
			{name: "the customer", method: "POST", path: "/accounts",
				body: `{"data":{"attributes":{"reference-id":"cust-42","name-first":"Jo","name-last":"Bloggs",
					"birthdate":"1980-10-25","address-street-1":"2 Elm St","address-city":"Chicago","address-subdivision":"IL",
					"address-postal-code":"60601","country-code":"us","social-security-number":"123-45-6789",
					"identification-numbers":[{"identification-class":"pp","identification-number":"X1234567","issuing-country":"GB"}]}}}`,
				status: 201, save: map[string]string{"act": "data.id"}},
			{name: "the Alert template", method: "POST", path: "/case-templates",
				body: `{"data":{"attributes":{"name":"AML alert","key":"AML"}}}`, status: 201, save: map[string]string{"aml": "data.id"}},
			{name: "the SAR template", method: "POST", path: "/case-templates",
				body: `{"data":{"attributes":{"name":"SAR","key":"SAR","sar":true}}}`, status: 201,
				save: map[string]string{"sartmpl": "data.id"}, want: []string{`"sar":true`}},
			{name: "an alert opens an Alert case", method: "POST", path: "/workflows",
				body: `{"data":{"attributes":{"name":"Alerts","definition":{"trigger":{"type":"event","event":"transaction.created"},
					"steps":[{"id":"open","type":"action","action":"create-case","params":{"case-template-id":"{{aml}}"}}]}}}}`,
				status: 201, save: map[string]string{"wfl": "data.id"}},
			{name: "publish it", method: "POST", path: "/workflows/{{wfl}}/publish", status: 200},
			{name: "the admin maps rules to FinCEN categories", method: "PATCH", path: "/sar-settings", headers: as(preparer),
				body: `{"data":{"attributes":{"category-field":"rules-violated","category-map":[
					{"value":"structuring","type":1,"subtype":113},{"value":"velocity","type":8,"subtype":812}]}}}`,
				status: 200, want: []string{`"subtype":113`}},
			{name: "a mapping to a subtype of another type is refused", method: "PATCH", path: "/sar-settings", headers: as(preparer),
				body:   `{"data":{"attributes":{"category-map":[{"value":"x","type":1,"subtype":812}]}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/category-map/0/subtype"`}},
			{name: "the alert", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{tt}}","reference-id":"cust-42",
					"fields":{"amount":9500.25,"currency":"USD","date":"2026-11-20","rules-violated":["structuring","velocity"]}}}}`,
				status: 201, save: map[string]string{"txn1": "data.id"}},
			{name: "an earlier transaction of the customer", method: "POST", path: "/transactions",
				body: `{"data":{"attributes":{"transaction-type-id":"{{tt}}","reference-id":"cust-42",
					"fields":{"amount":4000,"currency":"USD","date":"2026-11-02","rules-violated":["structuring"]}}}}`,
				status: 201, save: map[string]string{"txn2": "data.id"}},
		})
		alert := waitCaseOf(t, h, vars["txn1"])
		h.must(200, "POST", "/cases/"+alert+"/add-objects", `{"meta":{"object-ids":["`+vars["txn2"]+`"]}}`)

		// The reviewer may not prepare a SAR; the preparer may.
		h.must(403, "POST", "/cases/"+alert+"/prepare-sar", ``, as(reviewer)...)
		r := h.must(201, "POST", "/cases/"+alert+"/prepare-sar", ``, as(preparer)...)
		sarCase, sarID := r.str("data.id"), r.str("meta.sar-id")
		if got := objRelIDs(r, "data.relationships.accounts.data"); !slices.Equal(got, []string{vars["act"]}) {
			t.Errorf("the SAR case's accounts: %v", got)
		}
		if got := len(r.list("data.relationships.txns.data")); got != 2 {
			t.Errorf("the SAR case holds %d transactions, want 2", got)
		}
		if got := objRelIDs(h.must(200, "GET", "/cases/"+alert, "", as(preparer)...), "data.relationships.related-cases.data"); !slices.Contains(got, sarCase) {
			t.Errorf("the alert case's related cases %v lack the SAR case", got)
		}
		if got := objRelIDs(h.must(200, "GET", "/cases/"+sarCase, "", as(preparer)...), "data.relationships.sars.data"); !slices.Equal(got, []string{sarID}) {
			t.Errorf("the SAR case's sars: %v", got)
		}

		// Auto-filled, with the source of each value.
		r = h.must(200, "GET", "/sars/"+sarID, "", as(preparer)...)
		for path, want := range map[string]any{
			"data.attributes.status": "draft", "data.attributes.filing-type": "initial",
			"data.attributes.report.subjects.0.last-name": "Bloggs", "data.attributes.report.subjects.0.first-name": "Jo",
			"data.attributes.report.subjects.0.birth-date": "1980-10-25", "data.attributes.report.subjects.0.address.city": "Chicago",
			"data.attributes.report.subjects.0.identifiers.0.number": "123456789", "data.attributes.report.subjects.0.identifiers.0.type": "1",
			"data.attributes.report.subjects.0.identifiers.1.number": "X1234567", "data.attributes.report.subjects.0.identifiers.1.type": "6",
			"data.attributes.report.subjects.0.identifiers.1.country": "GB", "data.attributes.report.subjects.0.address.country": "US",
			"data.attributes.report.subjects.0.account-numbers.0": "cust-42",
			"data.attributes.report.activity.from":                "2026-11-02", "data.attributes.report.activity.to": "2026-11-20",
			"data.attributes.report.activity.currency": "USD",
		} {
			if got := get(r.doc, path); got != want {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
		}
		sources, _ := get(r.doc, "data.attributes.sources").(map[string]any)
		for path, want := range map[string]string{
			"subjects[0].last-name":       "account " + vars["act"] + " identity.name-last",
			"subjects[0].address.country": "account " + vars["act"] + " identity.country-code",
			"subjects[0].identifiers[1]":  "account " + vars["act"] + " identity.identification-numbers[0]",
			"activity.from":               "transaction " + vars["txn2"] + " fields.date",
			"activity.to":                 "transaction " + vars["txn1"] + " fields.date",
		} {
			if sources[path] != want {
				t.Errorf("source of %s: %v, want %s", path, sources[path], want)
			}
		}
		if !strings.HasPrefix(sources["activity.amount"].(string), "sum of fields.amount of 2 transactions") {
			t.Errorf("source of the amount: %v", sources["activity.amount"])
		}
		if got := objNumber(get(r.doc, "data.attributes.report.activity.amount")); got != 13501 {
			t.Errorf("amount %v, want 13501 (9500.25 + 4000, rounded up)", got)
		}
		var cats []string
		for _, c := range r.list("data.attributes.report.activity.categories") {
			cats = append(cats, string(get(c, "type").(json.Number))+"/"+string(get(c, "subtype").(json.Number)))
		}
		if !slices.Equal(cats, []string{"1/113", "8/812"}) {
			t.Errorf("categories %v, want [1/113 8/812]", cats)
		}

		// Not ready until the narrative and the settings are complete.
		r = h.must(422, "POST", "/sars/"+sarID+"/ready", ``, as(preparer)...)
		for _, want := range []string{`"pointer":"/data/attributes/report/narrative"`, `"pointer":"/data/attributes/institution/name"`,
			`"section":"narrative"`, `"resource":"sar-settings"`} {
			if !strings.Contains(r.raw, want) {
				t.Errorf("ready: want %s in\n%s", want, r.raw)
			}
		}
		rep := get(h.must(200, "GET", "/sars/"+sarID, "", as(preparer)...).doc, "data.attributes.report").(map[string]any)
		rep["narrative"] = "Jo Bloggs made two deposits in November 2026, each kept under reporting thresholds."
		body, _ := json.Marshal(map[string]any{"data": map[string]any{"attributes": map[string]any{"report": rep}}})
		r = h.must(200, "PATCH", "/sars/"+sarID, string(body), as(preparer)...)
		if s, _ := get(r.doc, "data.attributes.sources").(map[string]any); s["subjects[0].last-name"] == nil {
			t.Errorf("an unchanged value lost its source:\n%s", r.raw)
		}
		r = h.must(422, "POST", "/sars/"+sarID+"/ready", ``, as(preparer)...)
		if strings.Contains(r.raw, "narrative") || !strings.Contains(r.raw, "/data/attributes/transmitter/tcc") {
			t.Errorf("with the narrative, only the settings should be missing:\n%s", r.raw)
		}
		h.must(200, "PATCH", "/sar-settings", completeSARSettings, as(preparer)...)
		h.must(409, "GET", "/sars/"+sarID+"/fincen.xml", "", as(preparer)...)
		h.must(200, "POST", "/sars/"+sarID+"/ready", ``, as(preparer)...)

		// Four eyes: the preparer may not approve; a second person with SAR access does.
		r = h.must(403, "POST", "/sars/"+sarID+"/approve", ``, as(preparer)...)
		if !strings.Contains(r.raw, "you prepared this SAR") {
			t.Errorf("refusal: %s", r.raw)
		}
		h.must(200, "POST", "/sars/"+sarID+"/approve", ``, as(approver)...)

		res := h.do("GET", "/sars/"+sarID+"/fincen.xml", "", as(approver)...)
		if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/xml") {
			t.Fatalf("fincen.xml: %d %s\n%s", res.status, res.header.Get("Content-Type"), res.raw)
		}
		xmllintSchema(t, res.raw)
		for _, want := range []string{"<fc2:RawEntityIndividualLastName>Bloggs</fc2:RawEntityIndividualLastName>",
			"<fc2:TotalSuspiciousAmountText>13501</fc2:TotalSuspiciousAmountText>", `ActivityCount="1"`} {
			if !strings.Contains(res.raw, want) {
				t.Errorf("fincen.xml lacks %s", want)
			}
		}
		batch := h.do("GET", "/sars/fincen.xml", "", as(approver)...)
		if batch.status != 200 {
			t.Fatalf("batch: %d %s", batch.status, batch.raw)
		}
		xmllintSchema(t, batch.raw)

		h.must(200, "POST", "/sars/"+sarID+"/file", `{"meta":{"bsa-id":"31000012345678"}}`, as(approver)...)
		r = h.must(200, "GET", "/events?filter[object-id]="+sarID, "", as(approver)...)
		for _, name := range []string{"sar.created", "sar.updated", "sar.approved", "sar.filed"} {
			if !strings.Contains(r.raw, `"name":"`+name+`"`) {
				t.Errorf("no %s event", name)
			}
		}

		// A continuing-activity report follows the filed one, due 90 days after its filing.
		h.must(422, "POST", "/cases/"+sarCase+"/sars", `{"data":{"attributes":{"filing-type":"continuing"}}}`, as(preparer)...)
		r = h.must(201, "POST", "/cases/"+sarCase+"/sars", `{"data":{"attributes":{"filing-type":"continuing","prior-sar-id":"`+sarID+`"}}}`, as(preparer)...)
		if get(r.doc, "data.attributes.report.prior-document-number") != "31000012345678" || get(r.doc, "data.relationships.prior-sar.data.id") != sarID {
			t.Errorf("the continuing report does not name the prior one:\n%s", r.raw)
		}
		filed, _ := time.Parse(time.RFC3339, h.must(200, "GET", "/sars/"+sarID, "", as(preparer)...).str("data.attributes.filed-at"))
		if due, _ := time.Parse(time.RFC3339, r.str("data.attributes.due-at")); !due.Equal(filed.Add(docket.SARContinuingInterval)) {
			t.Errorf("the continuing report is due %v, want 90 days after %v", due, filed)
		}

		// Secrecy: the SAR and its case do not exist for whoever may not read SARs.
		for _, key := range []string{reviewer, noSARKey} {
			for _, p := range []string{"/sars/" + sarID, "/sars/" + sarID + "/fincen.xml", "/cases/" + sarCase} {
				h.must(404, "GET", p, "", as(key)...)
			}
			if ids := h.must(200, "GET", "/cases", "", as(key)...).ids(); slices.Contains(ids, sarCase) || !slices.Contains(ids, alert) {
				t.Errorf("case list %v: want the alert case and not the SAR case", ids)
			}
			if ids := h.must(200, "POST", "/cases/search", `{"query":{"attribute":"name","operator":"eq","value":"SAR-1"}}`, as(key)...).ids(); slices.Contains(ids, sarCase) {
				t.Errorf("search finds the SAR case: %v", ids)
			}
			if got := objRelIDs(h.must(200, "GET", "/cases/"+alert, "", as(key)...), "data.relationships.related-cases.data"); slices.Contains(got, sarCase) {
				t.Errorf("the alert case's related cases show the SAR case: %v", got)
			}
		}
		h.must(403, "GET", "/sars", "", as(reviewer)...)
		if ids := h.must(200, "GET", "/events?filter[object-id]="+sarID, "", as(reviewer)...).ids(); len(ids) != 0 {
			t.Errorf("the reviewer reads the SAR's events: %v", ids)
		}
	})
}

// waitCaseOf polls until the workflow has opened a case on the transaction.
func waitCaseOf(t *testing.T, h *harness, txn string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if ids := h.must(200, "GET", "/cases?filter[transaction-id]="+txn, "").ids(); len(ids) == 1 {
			return ids[0]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no case was opened on %s", txn)
	return ""
}
