package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/storetest"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		revoked := h.keyWithScopes("*")
		if err := h.store.RevokeAPIKeys(context.Background(), "limited"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, auth string }{
			{"no header", ""},
			{"unknown key", "Bearer docket_not-a-real-key"},
			{"empty bearer", "Bearer "},
			{"other scheme", "Basic " + h.key},
			{"no scheme", h.key},
			{"revoked key", "Bearer " + revoked},
		} {
			for _, ep := range []struct{ method, path string }{{"GET", "/cases"}, {"POST", "/cases"}, {"GET", "/events"}, {"PATCH", "/users/user_x"}} {
				r := h.do(ep.method, ep.path, `{}`, "Authorization", tc.auth)
				if r.status != http.StatusUnauthorized || r.str("errors.0.title") != "Must be authenticated to access this endpoint" {
					t.Errorf("%s: %s %s: %d %s", tc.name, ep.method, ep.path, r.status, r.raw)
				}
			}
		}
	})
}

// TestRevokedKeyRefusedAtOnce: two processes serve one database and both have just
// accepted a key; the key is revoked (through a third); each refuses the key's very next
// request. (Issue 11, item 9: a per-process key cache let it work for 10 s more.)
func TestRevokedKeyRefusedAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		a, b := newHarness(t, dbURL, testConfig()), newHarness(t, dbURL, testConfig())
		secret := a.keyWithScopes("case.read")
		k, err := a.store.FindAPIKeyBySecret(context.Background(), secret)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []*harness{a, b} {
			h.must(200, "GET", "/cases", "", "Authorization", "Bearer "+secret)
		}
		admin := newHarness(t, dbURL, testConfig())
		if _, err := admin.store.RevokeAPIKey(context.Background(), k.ID); err != nil {
			t.Fatal(err)
		}
		for i, h := range []*harness{a, b} {
			if r := h.do("GET", "/cases", "", "Authorization", "Bearer "+secret); r.status != http.StatusUnauthorized {
				t.Errorf("process %d after revocation: %d %s", i, r.status, r.raw)
			}
		}
	})
}

func TestScopes(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		reader := "Bearer " + h.keyWithScopes("case.read")
		body := `{"data":{"attributes":{"case-template-id":"` + tmpl + `"}}}`
		for _, tc := range []struct {
			method, path, body string
			status             int
		}{
			{"POST", "/cases", body, 403},
			{"GET", "/cases", "", 200},
			{"POST", "/cases/search", `{}`, 200},
			{"POST", "/case-templates", `{"data":{"attributes":{"name":"x","key":"X"}}}`, 403},
			{"GET", "/case-templates", "", 403},
			{"GET", "/users", "", 403},
			{"GET", "/events", "", 403},
			{"POST", "/accounts", `{}`, 403},
		} {
			r := h.do(tc.method, tc.path, tc.body, "Authorization", reader)
			if r.status != tc.status {
				t.Errorf("%s %s with case.read: %d, want %d\n%s", tc.method, tc.path, r.status, tc.status, r.raw)
			}
			if tc.status == 403 && (r.str("errors.0.title") != "Forbidden" || !strings.Contains(r.raw, "scope")) {
				t.Errorf("%s %s: 403 body %s", tc.method, tc.path, r.raw)
			}
		}
		if n := h.caseCount(); n != 0 {
			t.Errorf("a forbidden POST /cases left %d cases", n)
		}
	})
}

func TestKeyInflection(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["case"] = h.createCase(vars["tmpl"], `"fields":{"first-name":"Ada","risk_level":"low","riskScore":3}`)
		fields := `"fields":{"first-name":"Ada","riskScore":3,"risk_level":"low"}`
		h.scenario(t, vars, []step{
			{name: "camel case", method: "GET", path: "/cases/{{case}}?include=case-template", headers: []string{"Key-Inflection", "camel"},
				status: 200, want: []string{fields, `"createdAt":`, `"caseTemplate":{"data"`, `"assigneeId":null`, `"slaExpiresAt":`,
					`"fieldSchemas":[`, `"maxLength":50`, `"key":"first-name"`, `"caseComments":{`},
				not: []string{`"created-at"`, `"created_at"`, `"firstName"`, `"case-template":`}},
			{name: "snake case", method: "GET", path: "/cases/{{case}}", headers: []string{"Key-Inflection", "snake"},
				status: 200, want: []string{fields, `"created_at":`, `"case_template":{"data"`, `"creator_type":"api-key"`},
				not: []string{`"created-at"`, `"createdAt"`, `"first_name"`}},
			{name: "header is case-insensitive", method: "GET", path: "/cases/{{case}}", headers: []string{"Key-Inflection", "Camel"},
				status: 200, want: []string{`"updatedAt":`}},
			{name: "kebab is the default", method: "GET", path: "/cases/{{case}}", headers: []string{"Key-Inflection", "kebab"},
				status: 200, want: []string{fields, `"created-at":`, `"case-template":`}},
			{name: "unknown inflection", method: "GET", path: "/cases/{{case}}", headers: []string{"Key-Inflection", "pascal"},
				status: 400, want: []string{`"parameter":"Key-Inflection"`}},
			{name: "lists and event payloads", method: "GET", path: "/events?filter[objectId]={{case}}", headers: []string{"Key-Inflection", "snake"},
				status: 200, want: []string{fields, `"created_at":`, `"next":null`}, not: []string{`"first_name"`, `"created-at"`}},
			{name: "errors", method: "POST", path: "/cases", body: `{}`, headers: []string{"Key-Inflection", "camel"},
				status: 422, want: []string{`"pointer":"/data/attributes/case-template-id"`}},
			{name: "camel request", method: "POST", path: "/cases", headers: []string{"Key-Inflection", "camel"},
				body: `{"data":{"attributes":{"caseTemplateId":"{{tmpl}}","creatorEmailAddress":"ada@example.com",
					"fields":{"first-name":"Bo","riskScore":1}}},"meta":{"objectIds":["{{act}}"],"slaExpiresInSeconds":60}}`,
				status: 201, want: []string{`"fields":{"first-name":"Bo","riskScore":1}`, `"creatorId":"{{user}}"`,
					`"accounts":{"data":[{"id":"{{act}}","type":"account"}]}`}, not: []string{`"slaExpiresAt":null`}},
			{name: "snake request", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case_template_id":"{{tmpl}}","fields":{"risk_level":"high"}}},"meta":{"sla_expires_in_seconds":60}}`,
				status: 201, want: []string{`"fields":{"risk_level":"high"}`, `"created-at":`}},
			{name: "snake action meta", method: "POST", path: "/cases/{{case}}/assign", body: `{"meta":{"user_email_address":"ada@example.com"}}`,
				status: 200, want: []string{`"assignee-id":"{{user}}"`}},
			{name: "camel template", method: "POST", path: "/case-templates",
				body: `{"data":{"attributes":{"name":"Camel","key":"CML","slaSeconds":5,"fieldSchemas":[{"key":"zip_code","type":"string","config":{"maxLength":5}}],
					"assignmentPolicy":{"type":"round-robin","userIds":["{{user}}"]}}}}`,
				status: 201, want: []string{`"sla-seconds":5`, `"key":"zip_code"`, `"config":{"max-length":5}`, `"user-ids":["{{user}}"]`}},
		})
	})
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		// do checks the header of every response; here they must also differ.
		seen := map[string]bool{}
		for _, r := range []*resp{
			h.do("GET", "/cases", ""), h.do("GET", "/cases", "", "Authorization", ""), h.do("GET", "/nowhere", ""),
			h.do("POST", "/cases", "{"), h.do("GET", "/healthz", ""), h.do("GET", "/cases/case_01h455vb4pex5vsknk084sn02q", ""),
		} {
			id := r.header.Get("Request-Id")
			if seen[id] {
				t.Errorf("Request-Id %s given twice", id)
			}
			seen[id] = true
		}
	})
}

func TestMalformedBodies(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		for _, tc := range []struct {
			name, body, pointer string
		}{
			{"truncated", `{"data":`, ""},
			{"not json", `case please`, ""},
			{"array", `[1,2]`, ""},
			{"string", `"x"`, ""},
			{"two values", `{} {}`, ""},
			{"trailing bracket", `{"data":{"attributes":{"case-template-id":"` + tmpl + `"}}}]`, ""},
			{"trailing brace", `{"data":{"attributes":{"case-template-id":"` + tmpl + `"}}}}`, ""},
			{"data is a list", `{"data":[]}`, "/data"},
			{"attributes is a string", `{"data":{"attributes":"x"}}`, "/data/attributes"},
			{"meta is a number", `{"data":{"attributes":{"case-template-id":"` + tmpl + `"}},"meta":1}`, "/meta"},
			{"template id is a number", `{"data":{"attributes":{"case-template-id":5}}}`, "/data/attributes/case-template-id"},
			{"fields is a list", `{"data":{"attributes":{"case-template-id":"` + tmpl + `","fields":[]}}}`, "/data/attributes/fields"},
			{"tags is an object", `{"data":{"attributes":{"case-template-id":"` + tmpl + `","tags":{}}}}`, "/data/attributes/tags"},
		} {
			r := h.do("POST", "/cases", tc.body)
			if r.status != http.StatusBadRequest || r.str("errors.0.title") != "Bad Request" || r.str("errors.0.source.pointer") != tc.pointer {
				t.Errorf("%s: %d %s, want 400 with pointer %q", tc.name, r.status, r.raw, tc.pointer)
			}
		}
		if n := h.caseCount(); n != 0 {
			t.Errorf("malformed requests created %d cases", n)
		}
	})
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.MaxBodyBytes = 200
	eachServer(t, cfg, func(t *testing.T, h *harness) {
		tmpl := h.createTemplate(`{"data":{"attributes":{"name":"Small","key":"S"}}}`)
		small := `{"data":{"attributes":{"case-template-id":"` + tmpl + `"}}}`
		large := `{"data":{"attributes":{"case-template-id":"` + tmpl + `","tags":["` + strings.Repeat("t", 200) + `"]}}}`
		r := h.do("POST", "/cases", large)
		if r.status != http.StatusRequestEntityTooLarge || r.str("errors.0.title") != "Payload too large" {
			t.Errorf("large body: %d %s", r.status, r.raw)
		}
		if n := h.caseCount(); n != 0 {
			t.Errorf("a refused body created %d cases", n)
		}
		h.must(http.StatusCreated, "POST", "/cases", small)
	})
}

// TestDefaultConfig checks that the shipped defaults accept an ordinary request.
func TestDefaultConfig(t *testing.T) {
	t.Parallel()
	eachServer(t, api.DefaultConfig(), func(t *testing.T, h *harness) {
		h.createCase(h.createTemplate(""), `"fields":{"note":"`+strings.Repeat("n", 50)+`"}`)
		r := h.must(200, "GET", "/cases", "")
		if r.header.Get("RateLimit-Limit") != "6000" {
			t.Errorf("RateLimit-Limit %q, want 6000", r.header.Get("RateLimit-Limit"))
		}
	})
}

// TestUnstorableInput checks that text and numbers a database cannot keep (PostgreSQL
// refuses NUL characters, invalid UTF-8 and numbers beyond its numeric range) are the
// client's error on every store, never a 500.
func TestUnstorableInput(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["case"] = h.createCase(vars["tmpl"], "")
		h.createTemplate(`{"data":{"attributes":{"name":"Free","key":"FREE","field-schemas":[{"key":"j","type":"json"}]}}}`)
		h.scenario(t, vars, []step{
			{name: "NUL in a filter", method: "GET", path: "/cases?filter[status]=%00", status: 400, want: []string{`"parameter":"filter[status]"`}},
			{name: "bad UTF-8 in a filter", method: "GET", path: "/cases?filter[tag]=%FF", status: 400, want: []string{`"parameter":"filter[tag]"`}},
			{name: "NUL in a reference filter", method: "GET", path: "/accounts?filter[reference-id]=a%00", status: 400},
			{name: "NUL in an event filter", method: "GET", path: "/events?filter[name]=%00", status: 400, want: []string{`"parameter":"filter[name]"`}},
			{name: "bad UTF-8 in an id", method: "GET", path: "/cases/%FF", status: 400},
			{name: "NUL in an id", method: "GET", path: "/case-templates/%00", status: 400},
			{name: "NUL in a search", method: "POST", path: "/cases/search",
				body:   `{"query":{"or":[{"attribute":"status","operator":"eq","value":"Open"},{"attribute":"tag","operator":"eq","value":"\u0000"}]}}`,
				status: 422, want: []string{`"pointer":"/query/or/1/value"`}},
			{name: "NUL in a comment", method: "POST", path: "/cases/{{case}}/comments", body: `{"meta":{"body":"a\u0000b"}}`,
				status: 422, want: []string{`"pointer":"/meta/body"`}},
			{name: "NUL in a tag", method: "POST", path: "/cases/{{case}}/add-tag", body: `{"meta":{"tag-name":"\u0000"}}`,
				status: 422, want: []string{`"pointer":"/meta/tag-name"`}},
			{name: "NUL in a field", method: "PATCH", path: "/cases/{{case}}", body: `{"data":{"attributes":{"fields":{"note":"a\u0000"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/note"`}},
			{name: "NUL in a field key", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"fields":{"a\u0000/b":1}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/a\u0000~1b"`}},
			{name: "NUL in a name", method: "POST", path: "/users", body: `{"data":{"attributes":{"email-address":"n@example.com","name":"\u0000"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/name"`}},
			{name: "huge number", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"fields":{"x":[1,1e999999]}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/x/1"`}},
			{name: "underflowing number", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"fields":{"x":-1e-999999}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/x"`}},
			{name: "long number", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"fields":{"x":0.` + strings.Repeat("1", 17000) + `}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/fields/x"`}},
			{name: "bad UTF-8 in Idempotency-Key", method: "POST", path: "/accounts", body: `{}`, headers: []string{"Idempotency-Key", "k\xff"},
				status: 400, want: []string{`"parameter":"Idempotency-Key"`}},
			{name: "ordinary numbers", method: "POST", path: "/accounts",
				body:   `{"data":{"attributes":{"fields":{"a":0,"b":-0.0,"c":0e-999,"d":1e308,"e":-2.5e-300,"f":123456789012345678901234567890}}}}`,
				status: 201, want: []string{`"a":0`, `"c":0e-999`, `"f":123456789012345678901234567890`}},
		})
		if n := h.caseCount(); n != 1 {
			t.Errorf("%d cases, want 1", n)
		}
	})
}
