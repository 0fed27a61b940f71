package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestObjectAPIInquiries(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"noinq": "inq_01h455vb4pex5vsknk084sn02q", "noact": "act_01h455vb4pex5vsknk084sn02q",
			"long": strings.Repeat("x", 20001)}
		action := func(name, inq, act, meta string, status int, want ...string) step {
			body := ""
			if meta != "" {
				body = `{"meta":` + meta + `}`
			}
			return step{name: name, method: "POST", path: "/inquiries/{{" + inq + "}}/" + act, body: body, status: status, want: want}
		}
		h.scenario(t, vars, []step{
			{name: "create with a reference id", method: "POST", path: "/inquiries",
				body: `{"data":{"attributes":{"reference-id":"cust-1","creator-email-address":"Ops@Example.com","note":"first",
					"fields":{"name-first":{"type":"string","value":"Ann"},"birthdate":"1990-01-02"}}}}`,
				status: 201, save: map[string]string{"inq": "data.id", "act": "data.relationships.account.data.id"},
				want: []string{`"type":"inquiry"`, `"status":"created"`, `"reference-id":"cust-1"`, `"creator":"ops@example.com"`,
					`"name-first":"Ann"`, `"name-first":{"type":"string","value":"Ann"}`, `"birthdate":{"type":"date","value":"1990-01-02"}`,
					`"started-at":null`, `"cases":{"data":[]}`}},
			{name: "second inquiry links the same account", method: "POST", path: "/inquiries",
				body: `{"data":{"attributes":{"reference-id":"cust-1"}}}`, status: 201, save: map[string]string{"inq2": "data.id"},
				want: []string{`"account":{"data":{"id":"{{act}}","type":"account"}}`}},
			{name: "inquiry on an explicit account", method: "POST", path: "/inquiries",
				body: `{"data":{"attributes":{"account-id":"{{act}}"}}}`, status: 201, save: map[string]string{"inq3": "data.id"},
				want: []string{`"account":{"data":{"id":"{{act}}","type":"account"}}`, `"reference-id":null`}},
			{name: "anonymous inquiry", method: "POST", path: "/inquiries", body: `{"data":{"attributes":{}}}`,
				status: 201, save: map[string]string{"inq4": "data.id"}, want: []string{`"account":{"data":null}`}},
			{name: "unknown account", method: "POST", path: "/inquiries", body: `{"data":{"attributes":{"account-id":"{{noact}}"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/account-id"`}},
			{name: "bad creator email", method: "POST", path: "/inquiries", body: `{"data":{"attributes":{"creator-email-address":"nope"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/creator-email-address"`}},
			{name: "unknown attribute", method: "POST", path: "/inquiries", body: `{"data":{"attributes":{"status":"approved"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/status"`}},

			action("start", "inq", "start", "", 200, `"status":"pending"`, `"started-at":"20`),
			action("start twice", "inq", "start", "", 422),
			action("complete", "inq", "complete", "", 200, `"status":"completed"`, `"completed-at":"20`),
			action("comment too long", "inq", "mark-for-review", `{"comment":"{{long}}"}`, 422, `"pointer":"/meta/comment"`),
			action("comment of the wrong type", "inq", "mark-for-review", `{"comment":5}`, 400, `"pointer":"/meta/comment"`),
			action("unknown meta key", "inq", "mark-for-review", `{"reason":"x"}`, 422, `"pointer":"/meta/reason"`),
			action("mark for review", "inq", "mark-for-review", `{"comment":"check the selfie"}`, 200,
				`"status":"needs_review"`, `"reviewer-comment":"check the selfie"`, `"marked-for-review-at":"20`),
			action("approve", "inq", "approve", `{"comment":"selfie matches"}`, 200,
				`"status":"approved"`, `"reviewer-comment":"selfie matches"`, `"decisioned-at":"20`),
			action("decline an approved inquiry", "inq", "decline", "", 422),
			action("complete an approved inquiry", "inq", "complete", "", 422),
			action("fail at once", "inq3", "fail", "", 200, `"status":"failed"`, `"failed-at":"20`),
			action("approve a failed inquiry", "inq3", "approve", "", 422),
			action("decline a failed inquiry", "inq3", "decline", "", 200, `"status":"declined"`, `"decisioned-at":"20`, `"reviewer-comment":null`),
			action("expire", "inq4", "expire", "", 200, `"status":"expired"`, `"expired-at":"20`),
			action("complete an expired inquiry", "inq4", "complete", "", 422),
			action("mark an expired inquiry for review", "inq4", "mark-for-review", "", 422),
			action("unknown inquiry", "noinq", "start", "", 404),
			{name: "unknown action", method: "POST", path: "/inquiries/{{inq2}}/teleport", status: 404},

			{name: "get", method: "GET", path: "/inquiries/{{inq}}", status: 200,
				want: []string{`"status":"approved"`, `"reviewer-comment":"selfie matches"`, `"cases":{"data":[]}`}},
			{name: "get unknown", method: "GET", path: "/inquiries/{{noinq}}", status: 404},
			{name: "list by status", method: "GET", path: "/inquiries?filter[status]=approved", status: 200,
				want: []string{`"id":"{{inq}}"`}, not: []string{`"id":"{{inq2}}"`, `"id":"{{inq3}}"`}},
			{name: "list by reference id", method: "GET", path: "/inquiries?filter[reference-id]=cust-1", status: 200,
				want: []string{`"id":"{{inq}}"`, `"id":"{{inq2}}"`}, not: []string{`"id":"{{inq3}}"`}},
			{name: "list by account", method: "GET", path: "/inquiries?filter[account-id]={{act}}", status: 200,
				want: []string{`"id":"{{inq}}"`, `"id":"{{inq2}}"`, `"id":"{{inq3}}"`}, not: []string{`"id":"{{inq4}}"`}},
			{name: "list by a malformed account id", method: "GET", path: "/inquiries?filter[account-id]=nope", status: 400},
			{name: "update", method: "PATCH", path: "/inquiries/{{inq2}}",
				body:   `{"data":{"attributes":{"note":"second","fields":{"name-last":"Smith"},"tags":["t"]}}}`,
				status: 200, want: []string{`"note":"second"`, `"name-last":"Smith"`, `"tags":["t"]`}},
			{name: "redact", method: "DELETE", path: "/inquiries/{{inq2}}", status: 200,
				want: []string{`"reference-id":null`, `"note":null`, `"fields":{}`, `"status":"created"`}, not: []string{`"redacted-at":null`, "Smith"}},
			action("act on a redacted inquiry", "inq2", "start", "", 409),
			{name: "events of the inquiry", method: "GET", path: "/events?filter[object-id]={{inq}}", status: 200,
				want: []string{`"name":"inquiry.created"`, `"name":"inquiry.started"`, `"name":"inquiry.completed"`,
					`"name":"inquiry.marked-for-review"`, `"name":"inquiry.approved"`, `"type":"inquiry"`}},
			{name: "redacted inquiry's events", method: "GET", path: "/events?filter[object-id]={{inq2}}", status: 200,
				want: []string{`"name":"inquiry.redacted"`}, not: []string{"Smith", "cust-1", "second"}},
		})
		// The reference id created one account, shared by both inquiries.
		r := h.must(http.StatusOK, "GET", "/accounts?filter[reference-id]=cust-1", "")
		if ids := r.ids(); len(ids) != 1 || ids[0] != vars["act"] {
			t.Fatalf("accounts with the reference id: %q, want [%s]", ids, vars["act"])
		}
		// A refused action left the inquiry as it was.
		if got := h.must(http.StatusOK, "GET", "/inquiries/"+vars["inq4"], "").str("data.attributes.status"); got != "expired" {
			t.Fatalf("status after refused actions: %s", got)
		}
	})
}
