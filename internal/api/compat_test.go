package api_test

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// hostedDoc is the hosted Cases API's own OpenAPI document (testdata/hosted/SOURCE.md),
// loaded by kin-openapi, with its schemas compiled for validation.
var hostedDoc = sync.OnceValues(func() (*schemaSet, error) {
	f, err := os.Open("testdata/hosted/persona-openapi-2023-01-05.yaml.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("kin-openapi: %w", err)
	}
	b, err := doc.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return newSchemaSet("https://hosted.invalid/openapi.json", b)
})

// difference is one way Docket's responses knowingly depart from the hosted schema, for
// every endpoint of a resource (a hosted path's first segment): where in the response
// (list items as the single object: /data/...), the schema keyword that refuses it, and
// for additional or unevaluated properties which ones. docs/compatibility.md gives the
// same differences with the same reasons.
type difference struct {
	resource, at, keyword string
	props                 []string
	reason                string
}

var proposal = []string{"proposed-status", "proposed-at", "proposed-by-type", "proposed-by-id", "proposal-comment-id"}

// knownDifferences are the departures docs/compatibility.md lists. The test fails for a
// departure not listed here, and for one listed that no longer happens.
var knownDifferences = []difference{
	{"cases", "/data/attributes", "additionalProperties", proposal,
		"four-eyes approval: a status proposed by one person awaits a second (the hosted API has none)"},
	{"cases", "/data/relationships", "additionalProperties", []string{"sars", "related-cases"},
		"SARs are case objects in Docket; a case's own endpoint lists the cases sharing an account with it"},
	{"accounts", "/data/relationships", "additionalProperties", []string{"cases"},
		"an object's own endpoint lists the cases that hold it"},
	{"inquiries", "/data/relationships", "additionalProperties", []string{"cases"},
		"an object's own endpoint lists the cases that hold it"},
	{"reports", "/data/relationships", "additionalProperties", []string{"cases"},
		"an object's own endpoint lists the cases that hold it"},
	{"transactions", "/data/relationships", "additionalProperties", []string{"account", "cases"},
		"a transaction names its account; its own endpoint lists the cases that hold it"},
	{"inquiries", "/data/attributes/creator", "type", nil,
		"an inquiry created by API without creator-email-address has no creator: null, not an invented one"},
	{"reports", "/data/attributes", "unevaluatedProperties", []string{"matched", "result", "reference-id", "updated-at"},
		"Docket's reports are generic (any provider's result is posted to Docket): matched and result, not each hosted report type's attributes; and a reference id and updated-at like its other objects"},
	{"reports", "/data/relationships/report-template/data", "type", nil,
		"a report posted without a report template (any provider's result) has report-template data null, not an invented template"},
	{"transactions", "/data/attributes", "additionalProperties", []string{"redacted-at"},
		"transactions are redacted (DELETE) and show when, as cases and accounts do"},
	{"events", "/data/attributes/payload", "additionalProperties", []string{"included"},
		"an event's payload is {data, included} (docs/spec: the object as the API would return it)"},
}

var quotedRe = regexp.MustCompile(`'([^']+)'`)

// known reports whether a departure of the hosted operation op is a listed difference.
func known(op string, d difference) (difference, bool) {
	resource := strings.Split(strings.TrimPrefix(strings.Fields(op)[1], "/"), "/")[0]
	at := strings.Replace(d.at, "/data/*/", "/data/", 1)
	names := quotedRe.FindAllStringSubmatch(d.reason, -1)
	if d.keyword == "unevaluatedProperties" { // a leaf per property: match its object
		at, names = at[:strings.LastIndex(at, "/")], [][]string{{"", at[strings.LastIndex(at, "/")+1:]}}
	}
	for _, k := range knownDifferences {
		if k.resource != resource || k.at != at || k.keyword != d.keyword {
			continue
		}
		if slices.ContainsFunc(names, func(n []string) bool { return !slices.Contains(k.props, n[1]) }) {
			continue
		}
		return k, true
	}
	return difference{}, false
}

// hostedCall is one request to Docket and the hosted operation whose response schema
// its response must satisfy.
type hostedCall struct {
	method, path, body string
	status             int
	hosted             string // the hosted document's path
}

// TestHostedSchemas decodes Docket's responses for the endpoints it shares with the
// hosted Cases API (cases, accounts, inquiries, reports, transactions, events) with the
// hosted document's own response schemas.
func TestHostedSchemas(t *testing.T) {
	t.Parallel()
	hosted, err := hostedDoc()
	if err != nil {
		t.Fatalf("load the hosted document: %v", err)
	}
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		seen := map[string]bool{}
		for _, c := range hostedCalls(h) {
			r := h.do(c.method, c.path, c.body)
			if r.status != c.status {
				t.Fatalf("%s %s: %d, want %d\n%s", c.method, c.path, r.status, c.status, r.raw)
			}
			if c.hosted == "" {
				continue // a step towards another call
			}
			op := c.method + " " + c.hosted
			resp, ptr := hosted.node(pathPointer(c.method, c.hosted) + "/responses/" + strconv.Itoa(c.status))
			if resp == nil {
				t.Errorf("%s: the hosted document has no %d response", op, c.status)
				continue
			}
			err := hosted.validate(ptr+"/content/application~1json/schema", []byte(r.raw))
			for _, d := range departures(err) {
				k, ok := known(op, d)
				if !ok {
					t.Errorf("%s: Docket's response departs from the hosted schema at %s (%s): %s\n(list it in knownDifferences and docs/compatibility.md if it is meant)", op, d.at, d.keyword, d.reason)
				}
				seen[k.resource+" "+k.at+" "+k.keyword] = true
			}
		}
		for _, k := range knownDifferences {
			if !seen[k.resource+" "+k.at+" "+k.keyword] {
				t.Errorf("%s %s (%s): the listed difference no longer happens: update knownDifferences and docs/compatibility.md", k.resource, k.at, k.keyword)
			}
		}
	})
}

var indexRe = regexp.MustCompile(`/\d+(/|$)`)

// departures lists the leaves of a validation error: where and by which keyword. Of a
// oneOf or anyOf that failed, only the closest branch counts, never one for another
// type (the hosted report schema is a oneOf over report types: the others' complaints say nothing). A "false
// schema" leaf is unevaluatedProperties refusing a property that a failed branch would
// have evaluated; such leaves count only when nothing else failed in the same object.
func departures(err error) []difference {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		if err != nil {
			return []difference{{at: "/", keyword: "error", reason: err.Error()}}
		}
		return nil
	}
	p := message.NewPrinter(language.English)
	var out, unevaluated []difference
	for _, e := range leaves(ve) {
		at := "/" + strings.Join(e.InstanceLocation, "/")
		for indexRe.MatchString(at) {
			at = indexRe.ReplaceAllString(at, "/*$1")
		}
		d := difference{at: at, keyword: strings.Join(e.ErrorKind.KeywordPath(), "/"), reason: e.ErrorKind.LocalizedString(p)}
		list := &out
		if _, ok := e.ErrorKind.(*kind.FalseSchema); ok {
			d.keyword, list = "unevaluatedProperties", &unevaluated
		}
		if !slices.ContainsFunc(*list, func(x difference) bool { return x.at == d.at && x.keyword == d.keyword }) {
			*list = append(*list, d)
		}
	}
	for _, u := range unevaluated {
		parent := u.at[:strings.LastIndex(u.at, "/")+1]
		if !slices.ContainsFunc(out, func(x difference) bool { return strings.HasPrefix(x.at, parent) }) {
			out = append(out, u)
		}
	}
	return out
}

func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	switch e.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
		var best []*jsonschema.ValidationError
		bestScore := 0
		for _, c := range e.Causes {
			l := leaves(c)
			score := len(l)
			for _, x := range l {
				if _, ok := x.ErrorKind.(*kind.Const); ok && slices.Equal(x.InstanceLocation[max(len(x.InstanceLocation)-1, 0):], []string{"type"}) {
					score += 1000 // another type's branch (a discriminator)
				}
			}
			if best == nil || score < bestScore {
				best, bestScore = l, score
			}
		}
		return best
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// hostedCalls creates one of each shared object and returns the requests to make, in
// order: reads and changes first, redactions last.
func hostedCalls(h *harness) []hostedCall {
	tmpl := h.createTemplate("")
	tt := h.must(http.StatusCreated, "POST", "/transaction-types", `{"data":{"attributes":{"name":"Wire","field-schemas":[{"key":"amount","type":"float","label":"Amount"}]}}}`).str("data.id")
	act := h.must(http.StatusCreated, "POST", "/accounts", `{"data":{"attributes":{"reference-id":"cust-1","fields":{"name-first":"Ana"},"tags":["vip"]}}}`).str("data.id")
	inq := h.must(http.StatusCreated, "POST", "/inquiries", `{"data":{"attributes":{"reference-id":"cust-1","fields":{"name-first":"Ana","birthdate":"1990-04-01"}}}}`).str("data.id")
	inq2 := h.must(http.StatusCreated, "POST", "/inquiries", `{"data":{"attributes":{"reference-id":"cust-1"}}}`).str("data.id")
	rep := h.must(http.StatusCreated, "POST", "/reports", `{"data":{"attributes":{"report-type":"report/watchlist","account-id":"`+act+`"}}}`).str("data.id")
	txn := h.must(http.StatusCreated, "POST", "/transactions", `{"data":{"attributes":{"transaction-type-id":"`+tt+`","reference-id":"wire-1","fields":{"amount":10}}}}`).str("data.id")
	cs := h.createCase(tmpl, `"fields":{"amount":1.5}`)
	evt := h.must(http.StatusOK, "GET", "/events?page[size]=1", "").str("data.0.id")
	created := `{"data":{"attributes":{"case-template-id":"` + tmpl + `","tags":["a"]}}}`
	h.must(http.StatusCreated, "POST", "/users", `{"data":{"attributes":{"email-address":"ana@example.com","name":"Ana","role":"reviewer"}}}`)
	return []hostedCall{
		{"GET", "/cases", "", 200, "/cases"},
		{"POST", "/cases", created, 201, "/cases"},
		{"GET", "/cases/" + cs, "", 200, "/cases/{case-id}"},
		{"PATCH", "/cases/" + cs, `{"data":{"attributes":{"fields":{"amount":2}}}}`, 200, "/cases/{case-id}"},
		{"POST", "/cases/" + cs + "/add-objects", `{"meta":{"object-ids":["` + act + `","` + inq + `","` + rep + `","` + txn + `"]}}`, 200, "/cases/{case-id}/add-objects"},
		{"POST", "/cases/" + cs + "/assign", `{"meta":{"user-email-address":"ana@example.com"}}`, 200, "/cases/{case-id}/assign"},
		{"POST", "/cases/" + cs + "/add-tag", `{"meta":{"tag-name":"b"}}`, 200, "/cases/{case-id}/add-tag"},
		{"POST", "/cases/" + cs + "/remove-tag", `{"meta":{"tag-name":"b"}}`, 200, "/cases/{case-id}/remove-tag"},
		{"POST", "/cases/" + cs + "/set-tags", `{"meta":{"tag-name":["c","d"]}}`, 200, "/cases/{case-id}/set-tags"},
		{"POST", "/cases/" + cs + "/set-status", `{"meta":{"status":"Approved"}}`, 200, "/cases/{case-id}/set-status"},
		{"GET", "/accounts", "", 200, "/accounts"},
		{"POST", "/accounts", `{"data":{"attributes":{"reference-id":"cust-2"}}}`, 201, "/accounts"},
		{"GET", "/accounts/" + act, "", 200, "/accounts/{account-id}"},
		{"PATCH", "/accounts/" + act, `{"data":{"attributes":{"tags":["x"]}}}`, 200, "/accounts/{account-id}"},
		{"GET", "/inquiries", "", 200, "/inquiries"},
		{"POST", "/inquiries", `{"data":{"attributes":{"reference-id":"cust-2"}}}`, 201, "/inquiries"},
		{"GET", "/inquiries/" + inq, "", 200, "/inquiries/{inquiry-id}"},
		{"PATCH", "/inquiries/" + inq, `{"data":{"attributes":{"note":"n"}}}`, 200, "/inquiries/{inquiry-id}"},
		{"POST", "/inquiries/" + inq + "/expire", "", 200, "/inquiries/{inquiry-id}/expire"},
		{"POST", "/inquiries/" + inq2 + "/complete", "", 200, ""},
		{"POST", "/inquiries/" + inq2 + "/approve", "", 200, "/inquiries/{inquiry-id}/approve"},
		{"GET", "/reports", "", 200, "/reports"},
		{"POST", "/reports", `{"data":{"attributes":{"report-type":"report/watchlist"}}}`, 201, "/reports"},
		{"GET", "/reports/" + rep, "", 200, "/reports/{report-id}"},
		{"GET", "/transactions", "", 200, "/transactions"},
		{"POST", "/transactions", `{"data":{"attributes":{"transaction-type-id":"` + tt + `","reference-id":"wire-2"}}}`, 201, "/transactions"},
		{"GET", "/transactions/" + txn, "", 200, "/transactions/{transaction-id}"},
		{"PATCH", "/transactions/" + txn, `{"data":{"attributes":{"tags":["x"]}}}`, 200, "/transactions/{transaction-id}"},
		{"GET", "/events", "", 200, "/events"},
		{"GET", "/events/" + evt, "", 200, "/events/{event-id}"},
		{"DELETE", "/cases/" + cs, "", 200, "/cases/{case-id}"},
		{"DELETE", "/accounts/" + act, "", 200, "/accounts/{account-id}"},
		{"DELETE", "/inquiries/" + inq, "", 200, "/inquiries/{inquiry-id}"},
		{"DELETE", "/reports/" + rep, "", 200, "/reports/{report-id}"},
		{"DELETE", "/transactions/" + txn, "", 200, "/transactions/{transaction-id}"},
	}
}
