package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

// TestDeliveryLogBodies: each attempt in a webhook's delivery log shows the request body
// (the event as the webhook's settings render it) and the answer; an attempt about a
// case hidden from the reader's role shows neither, though the attempt is listed.
func TestDeliveryLogBodies(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		_, ada := h.userKey("ada@example.com", docket.RoleAdmin, docket.ScopeAll)
		hook := h.must(http.StatusCreated, "POST", "/webhooks",
			`{"data":{"attributes":{"url":"https://hooks.example.com/x","enabled-events":["case.created"],"api-key-inflection":"camel"}}}`).str("data.id")
		open := h.createTemplate(`{"data":{"attributes":{"name":"KYC","key":"KYC"}}}`)
		secret := h.createTemplate(`{"data":{"attributes":{"name":"SAR","key":"SAR","visible-to-roles":["manager"]}}}`)
		shown, hidden := h.createCase(open, ""), h.createCase(secret, "")
		record := func(caseID string) string {
			t.Helper()
			ev := h.must(http.StatusOK, "GET", "/events?filter[object-id]="+caseID, "").ids()[0]
			d := &docket.Delivery{WebhookID: hook, EventID: ev, Attempt: 1, StatusCode: 500, ResponseSnippet: "echo " + caseID,
				FirstAttemptedAt: time.Now().UTC().Truncate(time.Millisecond)}
			if err := h.store.RecordDelivery(context.Background(), d, false, 0); err != nil {
				t.Fatal(err)
			}
			return d.ID
		}
		shownDelivery, hiddenDelivery := record(shown), record(hidden)

		for _, tc := range []struct {
			who, auth  string
			sees, hide []string // delivery ids whose bodies are shown, and hidden
		}{
			{"key without a user", "Bearer " + h.key, []string{shownDelivery, hiddenDelivery}, nil},
			{"admin kept out of a template", ada, []string{shownDelivery}, []string{hiddenDelivery}},
		} {
			r := h.must(http.StatusOK, "GET", "/webhooks/"+hook+"/deliveries", "", "Authorization", tc.auth)
			byID := map[string]map[string]any{}
			for _, d := range r.list("data") {
				res := d.(map[string]any)
				byID[res["id"].(string)] = res["attributes"].(map[string]any)
			}
			for _, id := range tc.sees {
				a := byID[id]
				body, _ := a["request-body"].(string)
				if !strings.Contains(body, `"caseTemplate":{"data":{"id":"ctmpl_`) || !strings.HasPrefix(a["response-snippet"].(string), "echo case_") {
					t.Errorf("%s: delivery %s: request %q, response %v", tc.who, id, body, a["response-snippet"])
				}
			}
			for _, id := range tc.hide {
				a := byID[id]
				if a == nil || a["request-body"] != nil || a["response-snippet"] != "" || fmt.Sprint(a["status-code"]) != "500" {
					t.Errorf("%s: delivery %s of a hidden case: %v", tc.who, id, a)
				}
			}
			if strings.Contains(r.raw, "echo "+hidden) != (tc.hide == nil) {
				t.Errorf("%s: the hidden case's answer shown: %v", tc.who, strings.Contains(r.raw, "echo "+hidden))
			}
		}
	})
}
