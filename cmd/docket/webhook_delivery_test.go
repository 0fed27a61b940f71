package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/signature"
)

// TestWebhookDelivery drives deliveries end to end through a real server: the secret is
// shown once, every delivery is signed and carries the attempt headers and the event
// envelope, enabled-events filters, api-key-inflection re-keys the body, the blocklist
// strips attributes and custom headers arrive.
func TestWebhookDelivery(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := startServerEnv(t, dbURL, webhookEnv())
		all := newReceiver(t, nil)
		only := newReceiver(t, nil)

		allID, allSecret, d := createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["*"],
			"custom-http-headers":{"X-Docket-Test":"all","Authorization":"Bearer receiver-token"},
			"api-attributes-blocklist":["fields.ssn"]}`, all.url))
		if attr(d, "status") != "enabled" || attr(d, "api-key-inflection") != "kebab" || attr(d, "url") != all.url ||
			fmt.Sprint(attr(d, "enabled-events")) != "[*]" || attr(d, "custom-http-headers").(map[string]any)["X-Docket-Test"] != "all" {
			t.Fatalf("created webhook: %v", d)
		}
		onlyID, onlySecret, d := createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"],"api-key-inflection":"camel"}`, only.url))
		if attr(d, "api-key-inflection") != "camel" || allSecret == onlySecret {
			t.Fatalf("second webhook: %v", d)
		}

		// The secret is shown once: never by GET, list, or in the webhook's events.
		for _, path := range []string{"/api/v1/webhooks/" + allID, "/api/v1/webhooks/" + onlyID, "/api/v1/webhooks",
			"/api/v1/events?filter[name]=webhook.created", "/api/v1/events?page[size]=100"} {
			status, doc := call(t, s.base, "GET", path, "")
			raw, _ := json.Marshal(doc)
			if status != 200 || strings.Contains(string(raw), allSecret) || strings.Contains(string(raw), onlySecret) {
				t.Fatalf("GET %s (%d) shows a secret: %s", path, status, raw)
			}
		}
		if g := must(t, 200)(call(t, s.base, "GET", "/api/v1/webhooks/"+allID, "")); attr(g, "secret") != nil {
			t.Fatalf("GET shows secret %v", attr(g, "secret"))
		}

		tmpl := createTemplateKey(t, s.base, "WHD")
		var created, tagged []string
		for range 3 {
			c, ev := createCase(t, s.base, tmpl)
			created = append(created, ev)
			must(t, 200)(call(t, s.base, "POST", "/api/v1/cases/"+c+"/add-tag", `{"meta":{"tag-name":"vip"}}`))
			tagged = append(tagged, eventOf(t, s.base, "case.updated-tags", c))
		}
		// A last case: once both receivers have it, the deliveries queued before it were taken.
		lastCase, last := createCase(t, s.base, tmpl)
		created = append(created, last)
		all.waitDelivered(t, append(append([]string{}, created...), tagged...), 20*time.Second)
		only.waitDelivered(t, created, 20*time.Second)

		for _, h := range all.all() {
			checkAttempt(t, h, allSecret)
			if err := signature.Verify(h.Sig, h.Body, []string{onlySecret}, time.Minute, time.Now()); !errors.Is(err, signature.ErrMismatch) {
				t.Errorf("a delivery to one webhook verifies with another's secret: %v", err)
			}
			if h.Header.Get("X-Docket-Test") != "all" || h.Header.Get("Authorization") != "Bearer receiver-token" {
				t.Errorf("custom headers missing: %v", h.Header)
			}
			if !strings.HasPrefix(h.Name, "case.") {
				continue
			}
			p := renderPathT(t, h.Doc, "data", "attributes", "payload", "data").(map[string]any)
			fields := renderPathT(t, p, "attributes", "fields").(map[string]any)
			if p["type"] != "case" || fields["risk-score"] != "high" || fields["ssn"] != nil || renderPathT(t, p, "attributes", "created-at") == nil {
				t.Errorf("kebab delivery of %s: blocklist or keys wrong: %s", h.Name, h.Body)
			}
			if renderPathT(t, h.Doc, "data", "attributes", "created-at") == nil {
				t.Errorf("kebab envelope lacks created-at: %s", h.Body)
			}
		}
		for _, h := range only.all() {
			checkAttempt(t, h, onlySecret)
			if h.Name != "case.created" {
				t.Errorf("webhook enabled for case.created only received %s", h.Name)
			}
			if h.Header.Get("X-Docket-Test") != "" {
				t.Errorf("custom header of another webhook arrived: %v", h.Header)
			}
			p := renderPathT(t, h.Doc, "data", "attributes", "payload", "data").(map[string]any)
			a := p["attributes"].(map[string]any)
			if p["type"] != "case" || a["createdAt"] == nil || a["created-at"] != nil || a["caseTemplateId"] != nil && a["case-template-id"] != nil {
				t.Errorf("camel delivery: %s", h.Body)
			}
			if f := a["fields"].(map[string]any); f["risk-score"] != "high" || f["ssn"] != "123-45-6789" {
				t.Errorf("camel delivery re-inflected user fields: %v", f)
			}
			if renderPathT(t, h.Doc, "data", "attributes", "createdAt") == nil {
				t.Errorf("camel envelope lacks createdAt: %s", h.Body)
			}
			if strings.Contains(string(h.Body), `"created-at"`) {
				t.Errorf("camel delivery holds a kebab key: %s", h.Body)
			}
		}
		// A 2xx on the first attempt: one attempt per event, no retries.
		for ev, hits := range only.byEvent() {
			if len(hits) != 1 || hits[0].Attempt != 1 || hits[0].Left != 7 {
				t.Errorf("event %s: %d attempts to a healthy receiver", ev, len(hits))
			}
		}
		// The delivery log records the successes, and only the events the webhook wants.
		eventually(t, 10*time.Second, func() (bool, string) {
			log := deliveryLog(t, s.base, onlyID)
			return len(log) >= len(created), fmt.Sprintf("delivery log holds %d entries, want %d", len(log), len(created))
		})
		log := deliveryLog(t, s.base, onlyID)
		got := only.delivered()
		for _, e := range log {
			if attr(e, "succeeded") != true || attr(e, "status-code") != 200.0 || attr(e, "attempt") != 1.0 || attr(e, "latency-ms").(float64) < 0 {
				t.Errorf("delivery log entry: %v", e)
			}
			// The log shows the very body the receiver got.
			if hits := got[attr(e, "event-id").(string)]; len(hits) == 0 || attr(e, "request-body") != string(hits[0].Body) {
				t.Errorf("delivery log's request body %v differs from what was received", attr(e, "request-body"))
			}
		}
		if len(log) != len(created) {
			t.Errorf("delivery log of the case.created webhook has %d entries, want %d", len(log), len(created))
		}

		// PATCH: a glob subscription and another inflection apply to the next events.
		must(t, 200)(call(t, s.base, "PATCH", "/api/v1/webhooks/"+onlyID, `{"data":{"attributes":{"enabled-events":["case.*"],"api-key-inflection":"snake"}}}`))
		must(t, 200)(call(t, s.base, "POST", "/api/v1/cases/"+lastCase+"/add-tag", `{"meta":{"tag-name":"late"}}`))
		tag := eventOf(t, s.base, "case.updated-tags", lastCase)
		only.waitDelivered(t, []string{tag}, 20*time.Second)
		h := only.delivered()[tag][0]
		checkAttempt(t, h, onlySecret)
		if renderPathT(t, h.Doc, "data", "attributes", "payload", "data", "attributes", "updated_at") == nil {
			t.Errorf("snake delivery: %s", h.Body)
		}
	})
}

func renderPathT(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("at %q: %v is not an object", k, v)
		}
		v = m[k]
	}
	return v
}

// TestWebhookPrivateAddressRefused: without --webhook-allow-private, a webhook whose URL
// reaches loopback is never delivered (each attempt is logged as refused), and http URLs
// are accepted only for the hosts --webhook-allow-http names.
func TestWebhookPrivateAddressRefused(t *testing.T) {
	t.Parallel()
	dbURL := storetest.SQLiteURL(t)
	env := webhookEnv("DOCKET_WEBHOOK_RETRY_BASE", "10ms", "DOCKET_WEBHOOK_DISABLE_AFTER", "0")
	delete(env, "DOCKET_WEBHOOK_ALLOW_PRIVATE")
	s := startServerEnv(t, dbURL, env)
	rc := newReceiver(t, nil)
	id, _, _ := createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, rc.url))
	localhost := strings.Replace(rc.url, "127.0.0.1", "localhost", 1)
	for _, u := range []string{"http://example.com/hook", "ftp://example.com/hook", "https://user:pw@example.com/hook", "/relative", localhost} {
		if status, doc := call(t, s.base, "POST", "/api/v1/webhooks", fmt.Sprintf(`{"data":{"attributes":{"url":%q,"enabled-events":["*"]}}}`, u)); status != 422 {
			t.Errorf("webhook to %s: %d %v", u, status, doc)
		}
	}
	createWebhook(t, s.base, `{"url":"https://example.com/hook","enabled-events":["case.updated-tags"]}`)

	tmpl := createTemplateKey(t, s.base, "WHL")
	_, ev := createCase(t, s.base, tmpl)
	eventually(t, 20*time.Second, func() (bool, string) {
		l := logByEvent(deliveryLog(t, s.base, id))[ev]
		return len(l) >= 2, fmt.Sprintf("%d attempts logged", len(l))
	})
	for _, e := range logByEvent(deliveryLog(t, s.base, id))[ev] {
		if msg, _ := attr(e, "error").(string); attr(e, "succeeded") != false || !strings.Contains(msg, "address refused") {
			t.Errorf("attempt to a loopback receiver logged as %v", e["attributes"])
		}
	}
	if n := len(rc.all()); n != 0 {
		t.Fatalf("the loopback receiver was reached %d times", n)
	}
}
