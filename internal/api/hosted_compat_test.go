package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

// The smaller differences from the hosted API (issue 18, item 4).

func TestRotateSecretExpiresIn(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		hook := h.must(http.StatusCreated, "POST", "/webhooks",
			`{"data":{"attributes":{"url":"https://hooks.example.com/x","enabled-events":["case.created"]}}}`).str("data.id")
		path := "/webhooks/" + hook + "/rotate-secret"
		for _, c := range []struct {
			name, meta string
			secs       int
		}{
			{"hosted name", `{"meta":{"expires-in-seconds":7200}}`, 7200},
			{"Docket's earlier name", `{"meta":{"grace-period-seconds":60}}`, 60},
			{"none: the server's default (none in tests)", `{}`, 0},
		} {
			before := time.Now()
			r := h.must(http.StatusOK, "POST", path, c.meta)
			at, err := time.Parse(time.RFC3339, r.str("data.attributes.previous-secret-expires-at"))
			if err != nil {
				t.Fatalf("%s: previous-secret-expires-at: %v\n%s", c.name, err, r.raw)
			}
			// Bounds by the request's own start and end, so no timing is assumed.
			lo, hi := before.Add(time.Duration(c.secs)*time.Second-time.Second), time.Now().Add(time.Duration(c.secs)*time.Second+time.Second)
			if at.Before(lo) || at.After(hi) {
				t.Errorf("%s: the old secret expires at %s, want %d s after the request", c.name, at, c.secs)
			}
		}
		for _, c := range []struct{ name, meta, pointer string }{
			{"both names", `{"meta":{"expires-in-seconds":60,"grace-period-seconds":60}}`, "/meta/grace-period-seconds"},
			{"negative", `{"meta":{"expires-in-seconds":-1}}`, "/meta/expires-in-seconds"},
			{"beyond 30 days", `{"meta":{"grace-period-seconds":2592001}}`, "/meta/grace-period-seconds"},
			{"not a number", `{"meta":{"expires-in-seconds":"soon"}}`, "/meta/expires-in-seconds"},
		} {
			r := h.do("POST", path, c.meta)
			if r.status != 422 && r.status != 400 || get(r.doc, "errors.0.source.pointer") != c.pointer {
				t.Errorf("%s: status %d, want a refusal at %s\n%s", c.name, r.status, c.pointer, r.raw)
			}
		}
	})
}

func TestWebhookHostedAttributes(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		h.scenario(t, map[string]string{}, []step{
			{name: "create with the hosted defaults", method: "POST", path: "/webhooks",
				body: `{"data":{"attributes":{"url":"https://hooks.example.com/x","enabled-events":["case.created"],
					"api-version":"2023-01-05","payload-filter":{}}}}`,
				status: 201, save: map[string]string{"hook": "data.id"},
				want: []string{`"api-version":"2023-01-05"`, `"payload-filter":{}`}},
			{name: "get shows them", method: "GET", path: "/webhooks/{{hook}}", status: 200,
				want: []string{`"api-version":"2023-01-05"`, `"payload-filter":{}`}},
			{name: "list shows them", method: "GET", path: "/webhooks", status: 200, want: []string{`"api-version":"2023-01-05"`}},
			{name: "an empty filter's data", method: "PATCH", path: "/webhooks/{{hook}}",
				body: `{"data":{"attributes":{"payload-filter":{"data":{}}}}}`, status: 200},
			{name: "another api version", method: "PATCH", path: "/webhooks/{{hook}}",
				body: `{"data":{"attributes":{"api-version":"2020-05-18"}}}`, status: 422,
				want: []string{`"pointer":"/data/attributes/api-version"`}},
			{name: "a payload filter Docket would not apply", method: "POST", path: "/webhooks",
				body: `{"data":{"attributes":{"url":"https://hooks.example.com/y","enabled-events":["*"],
					"payload-filter":{"data":{"relationships":{"inquiry-template":{"data":{"id":"itmpl_abc"}}}}}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/payload-filter"`}},
		})
	})
}

func TestCreateCaseIncludesObjectsByDefault(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"tmpl": h.createTemplate("")}
		vars["act"] = h.must(201, "POST", "/accounts", `{"data":{"attributes":{"reference-id":"u-1","name-first":"Ann"}}}`).str("data.id")
		vars["inq"] = h.must(201, "POST", "/inquiries", `{"data":{"attributes":{"reference-id":"u-1"}}}`).str("data.id")
		vars["rep"] = h.must(201, "POST", "/reports", `{"data":{"attributes":{"reference-id":"u-1","report-type":"report/watchlist"}}}`).str("data.id")
		noObjects := "Bearer " + h.keyWithScopes(docket.ScopeCaseWrite, docket.ScopeCaseRead)
		create := `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}},"meta":{"object-ids":["{{act}}","{{inq}}","{{rep}}"]}}`
		h.scenario(t, vars, []step{
			{name: "by default", method: "POST", path: "/cases", body: create, status: 201,
				want: []string{`"included":[`, `"id":"{{act}}","type":"account"`, `"id":"{{inq}}","type":"inquiry"`, `"id":"{{rep}}","type":"report/watchlist"`,
					`"name-first":"Ann"`}},
			{name: "an include replaces the default", method: "POST", path: "/cases?include=case-template", body: create, status: 201,
				want: []string{`"type":"case-template"`}, not: []string{`"name-first"`, `"status":"pending"`}},
			{name: "an empty include asks for nothing", method: "POST", path: "/cases?include=", body: create, status: 201,
				not: []string{`"included"`}},
			{name: "nothing attached", method: "POST", path: "/cases", body: `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}}}`,
				status: 201, want: []string{`"included":[]`}},
			{name: "a key that may not read objects gets the case alone", method: "POST", path: "/cases", body: create,
				headers: []string{"Authorization", noObjects}, status: 201, not: []string{`"included"`, "Ann"}},
			{name: "other writes include nothing unasked", method: "PATCH", path: "/accounts/{{act}}",
				body: `{"data":{"attributes":{"name-last":"Lee"}}}`, status: 200, not: []string{`"included"`}},
		})
	})
}
