package api_test

import (
	"testing"
)

func TestObjectAPIAccounts(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"noact": "act_01h455vb4pex5vsknk084sn02q"}
		h.scenario(t, vars, []step{
			{name: "create", method: "POST", path: "/accounts",
				body:   `{"data":{"attributes":{"reference-id":"acct-1","fields":{"name":"Ann Smith","zip":"123"},"tags":["vip"]}}}`,
				status: 201, save: map[string]string{"act": "data.id"},
				want: []string{`"type":"account"`, `"id":"act_`, `"reference-id":"acct-1"`, `"fields":{"name":"Ann Smith","zip":"123"}`,
					`"tags":["vip"]`, `"redacted-at":null`}},
			{name: "create another", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"reference-id":"acct-2"}}}`,
				status: 201, save: map[string]string{"act2": "data.id"}, want: []string{`"fields":{}`, `"tags":[]`}},
			{name: "create anonymous", method: "POST", path: "/accounts", body: `{"data":{"attributes":{}}}`,
				status: 201, want: []string{`"reference-id":null`}},
			{name: "duplicate reference id", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"reference-id":"acct-1"}}}`,
				status: 409, want: []string{`"pointer":"/data/attributes/reference-id"`}},
			{name: "blank reference id", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"reference-id":" "}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/reference-id"`}},
			{name: "unknown attribute", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"name":"x"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/name"`}},
			{name: "reference id of the wrong type", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"reference-id":5}}}`,
				status: 400, want: []string{`"pointer":"/data/attributes/reference-id"`}},
			{name: "malformed body", method: "POST", path: "/accounts", body: `{"data":`, status: 400},
			{name: "get", method: "GET", path: "/accounts/{{act}}", status: 200,
				want: []string{`"id":"{{act}}"`, `"reference-id":"acct-1"`, `"cases":{"data":[]}`}},
			{name: "get unknown", method: "GET", path: "/accounts/{{noact}}", status: 404},
			{name: "camel keys", method: "GET", path: "/accounts/{{act}}", headers: []string{"Key-Inflection", "camel"}, status: 200,
				want: []string{`"referenceId":"acct-1"`}, not: []string{`"reference-id"`}},
			{name: "list by reference", method: "GET", path: "/accounts?filter[reference-id]=acct-2", status: 200,
				want: []string{`"id":"{{act2}}"`}, not: []string{`"id":"{{act}}"`}},
			{name: "update", method: "PATCH", path: "/accounts/{{act}}",
				body:   `{"data":{"attributes":{"fields":{"zip":null,"city":"Oslo"},"tags":["a","b"],"reference-id":"acct-1b"}}}`,
				status: 200, want: []string{`"fields":{"city":"Oslo","name":"Ann Smith"}`, `"tags":["a","b"]`, `"reference-id":"acct-1b"`}},
			{name: "update to a taken reference id", method: "PATCH", path: "/accounts/{{act}}",
				body: `{"data":{"attributes":{"reference-id":"acct-2"}}}`, status: 409, want: []string{`"pointer":"/data/attributes/reference-id"`}},
			{name: "update unknown", method: "PATCH", path: "/accounts/{{noact}}", body: `{"data":{"attributes":{"tags":[]}}}`, status: 404},
			{name: "redact", method: "DELETE", path: "/accounts/{{act}}", status: 200,
				want: []string{`"reference-id":null`, `"fields":{}`, `"tags":[]`}, not: []string{`"redacted-at":null`, "Ann Smith"}},
			{name: "update after redaction", method: "PATCH", path: "/accounts/{{act}}", body: `{"data":{"attributes":{"tags":["x"]}}}`, status: 409},
			{name: "events hold no personal data", method: "GET", path: "/events?filter[object-id]={{act}}", status: 200,
				want: []string{`"name":"account.redacted"`}, not: []string{"Ann Smith", "acct-1", "Oslo"}},
			{name: "reference id is free again", method: "POST", path: "/accounts", body: `{"data":{"attributes":{"reference-id":"acct-1b"}}}`, status: 201},
		})
	})
}
