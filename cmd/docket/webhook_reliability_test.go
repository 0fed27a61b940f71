package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/signature"
)

// TestWebhookRetriesAndRedeliver: receivers that fail the first attempts (a 500, a
// response slower than the timeout, a dropped connection; or refusing connections until
// they come up) receive every event in the end, each signed; the delivery log records
// every failed attempt and the success; redeliver sends an event again with fresh attempts.
func TestWebhookRetriesAndRedeliver(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := startServerEnv(t, dbURL, webhookEnv("DOCKET_WEBHOOK_RETRY_BASE", "20ms", "DOCKET_WEBHOOK_TIMEOUT", "300ms",
			"DOCKET_WEBHOOK_DISABLE_AFTER", "0"))
		flaky := newReceiver(t, func(h *hit) int {
			switch h.Attempt {
			case 1:
				return http.StatusInternalServerError
			case 2:
				return actHang
			case 3:
				return actDrop
			}
			return http.StatusOK
		})
		down := newDownReceiver(t, nil)
		flakyID, flakySecret, _ := createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, flaky.url))
		downID, downSecret, _ := createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, down.url))

		tmpl := createTemplateKey(t, s.base, "WHR")
		var events []string
		for range 4 {
			_, ev := createCase(t, s.base, tmpl)
			events = append(events, ev)
		}
		// The down receiver refuses connections until every event failed twice.
		eventually(t, 20*time.Second, func() (bool, string) {
			byEvent := logByEvent(deliveryLog(t, s.base, downID))
			for _, ev := range events {
				if len(byEvent[ev]) < 2 {
					return false, fmt.Sprintf("event %s: %d failed attempts logged", ev, len(byEvent[ev]))
				}
			}
			return true, ""
		})
		down.up()

		flaky.waitDelivered(t, events, 30*time.Second)
		down.waitDelivered(t, events, 30*time.Second)

		for _, h := range flaky.all() {
			checkAttempt(t, h, flakySecret)
		}
		for _, h := range down.all() {
			checkAttempt(t, h, downSecret)
		}
		for _, ev := range events {
			hits := flaky.byEvent()[ev]
			var got []string
			for _, h := range hits {
				got = append(got, fmt.Sprintf("%d:%d", h.Attempt, h.Answer))
			}
			if strings.Join(got, " ") != "1:500 2:-1 3:-2 4:200" {
				t.Errorf("event %s: attempts (attempt:answer) %v, want 1:500 2:hang 3:drop 4:200", ev, got)
			}
			checkFirstAttemptedAt(t, hits)
			checkFirstAttemptedAt(t, down.byEvent()[ev])
			if d := down.delivered()[ev]; len(d) != 1 || d[0].Attempt < 3 {
				t.Errorf("event %s: down receiver got %d successes (first at attempt %d), want 1 after 2 refused attempts", ev, len(d), d[0].Attempt)
			}
		}

		// The delivery logs: every failed attempt with its status or error and latency, then the success.
		var flakyLog map[string][]map[string]any
		eventually(t, 10*time.Second, func() (bool, string) {
			flakyLog = logByEvent(deliveryLog(t, s.base, flakyID))
			for _, ev := range events {
				if len(flakyLog[ev]) < 4 {
					return false, fmt.Sprintf("event %s: %d attempts logged, want 4", ev, len(flakyLog[ev]))
				}
			}
			return true, ""
		})
		for _, ev := range events {
			l := flakyLog[ev]
			if len(l) != 4 {
				t.Errorf("event %s: %d attempts logged, want 4: %v", ev, len(l), l)
				continue
			}
			for i, e := range l {
				if attr(e, "attempt") != float64(i+1) || attr(e, "first-attempted-at") != attr(l[0], "first-attempted-at") ||
					attr(e, "latency-ms") == nil || e["relationships"] == nil {
					t.Errorf("event %s attempt %d: %v", ev, i+1, e)
				}
			}
			if attr(l[0], "succeeded") != false || attr(l[0], "status-code") != 500.0 || !strings.Contains(attr(l[0], "response-snippet").(string), "ok from receiver") {
				t.Errorf("attempt answered 500 logged as %v", l[0]["attributes"])
			}
			if attr(l[1], "succeeded") != false || attr(l[1], "status-code") != 0.0 || attr(l[1], "error") == "" || attr(l[1], "latency-ms").(float64) < 250 {
				t.Errorf("attempt that timed out logged as %v", l[1]["attributes"])
			}
			if attr(l[2], "succeeded") != false || attr(l[2], "status-code") != 0.0 || attr(l[2], "error") == "" {
				t.Errorf("attempt whose connection dropped logged as %v", l[2]["attributes"])
			}
			if attr(l[3], "succeeded") != true || attr(l[3], "status-code") != 200.0 || attr(l[3], "error") != "" {
				t.Errorf("successful attempt logged as %v", l[3]["attributes"])
			}
		}
		downLog := logByEvent(deliveryLog(t, s.base, downID))
		for _, ev := range events {
			l := downLog[ev]
			if len(l) < 3 || attr(l[len(l)-1], "succeeded") != true {
				t.Errorf("down receiver, event %s: log %v", ev, l)
				continue
			}
			if e := attr(l[0], "error").(string); attr(l[0], "succeeded") != false || !strings.Contains(e, "connection refused") {
				t.Errorf("refused attempt logged with error %q", e)
			}
		}

		// Redeliver a successful delivery: the event arrives again, with fresh attempts.
		flaky.setRespond(nil)
		ev := events[0]
		success := flakyLog[ev][3]["id"].(string)
		before := flaky.delivered()[ev][0]
		status, doc := call(t, s.base, "POST", "/api/v1/webhooks/"+flakyID+"/deliveries/"+success+"/redeliver", "")
		if status != http.StatusAccepted || fmt.Sprint(doc["meta"]) != "map[queued:true]" {
			t.Fatalf("redeliver: %d %v", status, doc)
		}
		eventually(t, 20*time.Second, func() (bool, string) {
			n := len(flaky.delivered()[ev])
			return n == 2, fmt.Sprintf("event %s delivered %d times after redelivery", ev, n)
		})
		again := flaky.delivered()[ev][1]
		checkAttempt(t, again, flakySecret)
		if again.Attempt != 1 || again.Left != docket.WebhookMaxAttempts-1 || again.First <= before.First {
			t.Errorf("redelivery: attempt %d, left %d, first attempted at %s (original %s)", again.Attempt, again.Left, again.First, before.First)
		}
		eventually(t, 10*time.Second, func() (bool, string) {
			n := 0
			for _, e := range logByEvent(deliveryLog(t, s.base, flakyID))[ev] {
				if attr(e, "succeeded") == true {
					n++
				}
			}
			return n == 2, fmt.Sprintf("%d successes logged after redelivery", n)
		})
		// A delivery of another webhook, or an unknown one, cannot be redelivered here.
		other := deliveryLog(t, s.base, downID)[0]["id"].(string)
		for _, id := range []string{other, "wbhdlv_01jzzzzzzzzzzzzzzzzzzzzzzz"} {
			if status, doc := call(t, s.base, "POST", "/api/v1/webhooks/"+flakyID+"/deliveries/"+id+"/redeliver", ""); status != 404 {
				t.Errorf("redeliver %s through %s: %d %v", id, flakyID, status, doc)
			}
		}
	})
}

// TestWebhookDisabledAfterFailures: after DOCKET_WEBHOOK_DISABLE_AFTER events in a row
// failed every attempt, the webhook is disabled with a webhook.disabled event; it receives
// nothing more until enabled again.
func TestWebhookDisabledAfterFailures(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := startServerEnv(t, dbURL, webhookEnv("DOCKET_WEBHOOK_RETRY_BASE", "10ms", "DOCKET_WEBHOOK_DISABLE_AFTER", "2"))
		dead := newReceiver(t, func(*hit) int { return http.StatusServiceUnavailable })
		watcher := newReceiver(t, nil)
		deadID, deadSecret, _ := createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, dead.url))
		createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["webhook.*","case.created"]}`, watcher.url))

		tmpl := createTemplateKey(t, s.base, "WHX")
		var events []string
		for range 2 {
			_, ev := createCase(t, s.base, tmpl)
			events = append(events, ev)
		}
		var hook map[string]any
		eventually(t, 30*time.Second, func() (bool, string) {
			hook = must(t, 200)(call(t, s.base, "GET", "/api/v1/webhooks/"+deadID, ""))
			return attr(hook, "status") == "disabled", fmt.Sprintf("webhook still %v after %d attempts", attr(hook, "status"), len(dead.all()))
		})
		if r, _ := attr(hook, "disabled-reason").(string); r == "" || attr(hook, "consecutive-failures") != 2.0 {
			t.Errorf("disabled webhook: %v", hook["attributes"])
		}
		_, doc := call(t, s.base, "GET", "/api/v1/events?filter[name]=webhook.disabled", "")
		list, _ := doc["data"].([]any)
		if len(list) != 1 {
			t.Fatalf("webhook.disabled events: %v", doc)
		}
		e := list[0].(map[string]any)
		if p := renderPathT(t, e, "attributes", "payload", "data").(map[string]any); p["id"] != deadID || attr(p, "status") != "disabled" {
			t.Errorf("webhook.disabled payload: %v", p)
		}

		// Each event was offered exactly WebhookMaxAttempts times, counted down in the headers.
		for _, ev := range events {
			hits := dead.byEvent()[ev]
			if len(hits) != docket.WebhookMaxAttempts {
				t.Errorf("event %s: %d attempts, want %d", ev, len(hits), docket.WebhookMaxAttempts)
			}
			for i, h := range hits {
				checkAttempt(t, h, deadSecret)
				if h.Attempt != i+1 || h.Left != docket.WebhookMaxAttempts-i-1 {
					t.Errorf("event %s attempt #%d: made %d, left %d", ev, i+1, h.Attempt, h.Left)
				}
				if i > 0 {
					// Backoff: RetryBase*2^(n-1) ± 20% between attempts (the lower bound only:
					// polling and scheduling may add to it).
					wait := 10 * time.Millisecond << (i - 1)
					if gap := h.At.Sub(hits[i-1].At); gap < wait*8/10-5*time.Millisecond {
						t.Errorf("event %s: attempt %d came %s after the previous one, want at least ~%s", ev, i+1, gap, wait*8/10)
					}
				}
			}
			checkFirstAttemptedAt(t, hits)
		}
		eventually(t, 10*time.Second, func() (bool, string) {
			n := len(deliveryLog(t, s.base, deadID))
			return n == 2*docket.WebhookMaxAttempts, fmt.Sprintf("%d attempts logged, want %d", n, 2*docket.WebhookMaxAttempts)
		})
		for _, l := range deliveryLog(t, s.base, deadID) {
			if attr(l, "succeeded") != false || attr(l, "status-code") != 503.0 {
				t.Errorf("log entry: %v", l["attributes"])
			}
		}
		// The other webhook heard about it.
		watcher.waitDelivered(t, []string{e["id"].(string)}, 10*time.Second)

		// Disabled: new events are not offered. Once the watcher has the next case, the
		// dead receiver would have had it too.
		seen := len(dead.all())
		_, next := createCase(t, s.base, tmpl)
		watcher.waitDelivered(t, []string{next}, 10*time.Second)
		if n := len(dead.all()); n != seen {
			t.Errorf("disabled webhook received %d more attempts", n-seen)
		}

		// Enabled again, with the receiver fixed, it delivers and its failure count is reset.
		dead.setRespond(nil)
		enabled := must(t, 200)(call(t, s.base, "POST", "/api/v1/webhooks/"+deadID+"/enable", ""))
		if attr(enabled, "status") != "enabled" || attr(enabled, "consecutive-failures") != 0.0 || attr(enabled, "disabled-reason") != nil {
			t.Errorf("enabled webhook: %v", enabled["attributes"])
		}
		_, last := createCase(t, s.base, tmpl)
		dead.waitDelivered(t, []string{last}, 10*time.Second)
		checkAttempt(t, dead.delivered()[last][0], deadSecret)
	})
}

// TestWebhookRotateSecret: after rotation, deliveries carry one v1 per valid secret, so
// either verifies; with no grace period only the new secret signs.
func TestWebhookRotateSecret(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := startServerEnv(t, dbURL, webhookEnv())
		rc := newReceiver(t, nil)
		id, s1, _ := createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, rc.url))
		tmpl := createTemplateKey(t, s.base, "WHS")
		deliver := func() *hit {
			t.Helper()
			_, ev := createCase(t, s.base, tmpl)
			rc.waitDelivered(t, []string{ev}, 10*time.Second)
			return rc.delivered()[ev][0]
		}
		verifies := func(h *hit, secret string) bool {
			return signature.Verify(h.Sig, h.Body, []string{secret}, time.Minute, time.Now()) == nil
		}

		h := deliver()
		if strings.Count(h.Sig, "v1=") != 1 || !verifies(h, s1) {
			t.Fatalf("before rotation: %q", h.Sig)
		}

		d := must(t, 200)(call(t, s.base, "POST", "/api/v1/webhooks/"+id+"/rotate-secret", ""))
		s2, _ := attr(d, "secret").(string)
		exp, err := time.Parse(docket.TimeFormat, fmt.Sprint(attr(d, "previous-secret-expires-at")))
		if !strings.HasPrefix(s2, "wbhsec_") || s2 == s1 || err != nil || time.Until(exp) < 23*time.Hour {
			t.Fatalf("rotate: secret %q, previous-secret-expires-at %v (%v)", s2, attr(d, "previous-secret-expires-at"), err)
		}
		if g := must(t, 200)(call(t, s.base, "GET", "/api/v1/webhooks/"+id, "")); attr(g, "secret") != nil {
			t.Fatalf("GET after rotation shows the secret")
		}
		h = deliver()
		if strings.Count(h.Sig, "v1=") != 2 || !verifies(h, s1) || !verifies(h, s2) || verifies(h, "wbhsec_nottheone") {
			t.Fatalf("during grace: %q should verify with either secret", h.Sig)
		}
		checkAttempt(t, h, s2)

		if status, doc := call(t, s.base, "POST", "/api/v1/webhooks/"+id+"/rotate-secret", `{"meta":{"grace-period-seconds":-1}}`); status != 422 {
			t.Fatalf("negative grace: %d %v", status, doc)
		}
		d = must(t, 200)(call(t, s.base, "POST", "/api/v1/webhooks/"+id+"/rotate-secret", `{"meta":{"grace-period-seconds":0}}`))
		s3, _ := attr(d, "secret").(string)
		h = deliver()
		if strings.Count(h.Sig, "v1=") != 1 || !verifies(h, s3) || verifies(h, s2) || verifies(h, s1) {
			t.Fatalf("without grace only the new secret signs: %q", h.Sig)
		}
		if err := signature.Verify(h.Sig, h.Body, []string{s1, s2}, time.Minute, time.Now()); !errors.Is(err, signature.ErrMismatch) {
			t.Fatalf("old secrets: %v", err)
		}
	})
}
