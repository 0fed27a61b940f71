package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

// TestAPIKeysEndpoints: an admin creates a scoped key (the secret shown once), the key
// works within its scopes and records its use, and a revocation refuses its very next
// request; bad input is refused with a pointer at the offending attribute; only admins
// (api_key.write) reach the endpoints.
func TestAPIKeysEndpoints(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		adaID, ada := h.userKey("ada@example.com", docket.RoleAdmin, docket.ScopeAll)
		_, mgr := h.userKey("mgr@example.com", docket.RoleManager, docket.ScopeAll)
		scoped := h.keyWithScopes(docket.ScopeUserWrite)
		vars := map[string]string{"ada": adaID}
		create := func(attrs string) string { return `{"data":{"attributes":{` + attrs + `}}}` }
		// A date means the key works through that day: it expires at the next midnight, UTC.
		day := time.Now().UTC().Add(24 * time.Hour)
		tomorrow, end := day.Format(time.DateOnly), day.AddDate(0, 0, 1).Format(time.DateOnly)+"T00:00:00.000Z"
		h.scenario(t, vars, []step{
			{name: "create", method: "POST", path: "/api-keys", headers: []string{"Authorization", ada},
				body: create(`"name":"reporting","scopes":["case.read"],"expires-at":"` + tomorrow + `","user-id":"{{ada}}"`), status: 201,
				want: []string{`"type":"api-key"`, `"secret":"docket_`, `"scopes":["case.read"]`, `"user-id":"{{ada}}"`,
					`"expires-at":"` + end + `"`, `"last-used-at":null`, `"revoked-at":null`},
				save: map[string]string{"id": "data.id", "secret": "data.attributes.secret"}},
			{name: "get shows no secret", method: "GET", path: "/api-keys/{{id}}", status: 200,
				want: []string{`"secret":null`, `"name":"reporting"`}, not: []string{"{{secret}}"}},
			{name: "list shows no secret", method: "GET", path: "/api-keys", status: 200,
				want: []string{`"id":"{{id}}"`}, not: []string{"{{secret}}"}},
			{name: "the key reads", method: "GET", path: "/cases", headers: []string{"Authorization", "Bearer {{secret}}"}, status: 200},
			{name: "its use is recorded", method: "GET", path: "/api-keys/{{id}}", status: 200, not: []string{`"last-used-at":null`}},
			{name: "the key may not write", method: "POST", path: "/case-templates", headers: []string{"Authorization", "Bearer {{secret}}"},
				body: `{"data":{"attributes":{"name":"x","key":"X"}}}`, status: 403, want: []string{"lacks the case_template.write scope"}},
			{name: "revoke", method: "POST", path: "/api-keys/{{id}}/revoke", status: 200, not: []string{`"revoked-at":null`}},
			{name: "next request refused", method: "GET", path: "/cases", headers: []string{"Authorization", "Bearer {{secret}}"}, status: 401},
			{name: "revoke unknown", method: "POST", path: "/api-keys/api_01h455vb4pex5vsknk084sn02q/revoke", status: 404},
			{name: "manager refused", method: "GET", path: "/api-keys", headers: []string{"Authorization", mgr}, status: 403,
				want: []string{"who may not manage API keys"}},
			{name: "key without the scope refused", method: "POST", path: "/api-keys", headers: []string{"Authorization", "Bearer " + scoped},
				body: create(`"name":"x","scopes":["*"]`), status: 403, want: []string{"lacks the api_key.write scope"}},
		})
		refused := []struct {
			name, attrs, pointer string
			status               int
		}{
			{"unknown scope", `"name":"x","scopes":["case.read","case.delete"]`, "/data/attributes/scopes/1", 422},
			{"no scopes", `"name":"x","scopes":[]`, "/data/attributes/scopes", 422},
			{"no name", `"scopes":["*"]`, "/data/attributes/name", 422},
			{"expired", `"name":"x","scopes":["*"],"expires-at":"2001-01-01T00:00:00Z"`, "/data/attributes/expires-at", 422},
			{"not a time", `"name":"x","scopes":["*"],"expires-at":"soon"`, "/data/attributes/expires-at", 422},
			{"unknown user", `"name":"x","scopes":["*"],"user-id":"user_01h455vb4pex5vsknk084sn02q"`, "/data/attributes/user-id", 422},
			{"unknown attribute", `"name":"x","scopes":["*"],"secret":"mine"`, "/data/attributes/secret", 422},
			{"scopes not strings", `"name":"x","scopes":[1]`, "/data/attributes/scopes/0", 400},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				r := h.must(tt.status, "POST", "/api-keys", create(tt.attrs))
				if p := r.str("errors.0.source.pointer"); p != tt.pointer {
					t.Errorf("pointer %q, want %q\n%s", p, tt.pointer, r.raw)
				}
			})
		}
	})
}

// TestAPIKeyExpires: a key is refused (401) from its expiry on, in the same way as a
// revoked one.
func TestAPIKeyExpires(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		clock := &testClock{now: time.Now().UTC().Truncate(time.Millisecond)}
		h.store.Now = clock.Now
		end := clock.Now().Add(time.Hour).Format(time.RFC3339)
		r := h.must(201, "POST", "/api-keys", `{"data":{"attributes":{"name":"temp","scopes":["*"],"expires-at":"`+end+`"}}}`)
		auth := []string{"Authorization", "Bearer " + r.str("data.attributes.secret")}
		h.must(200, "GET", "/cases", "", auth...)
		clock.Add(time.Hour)
		if r := h.must(401, "GET", "/cases", "", auth...); !strings.Contains(r.raw, "expired") {
			t.Errorf("expired key: %s", r.raw)
		}
	})
}
