package store_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// deliveryJobs lists the queued webhook deliveries as "webhook event" pairs, read
// straight from River's table.
func deliveryJobs(t *testing.T, dbURL string) []string {
	t.Helper()
	var out []string
	for _, a := range storetest.JobArgs[struct {
		WebhookID string `json:"webhook_id"`
		EventID   string `json:"event_id"`
	}](t, dbURL, "webhook_delivery") {
		out = append(out, a.WebhookID+" "+a.EventID)
	}
	sort.Strings(out)
	return out
}

func mkWebhook(t *testing.T, s *store.Store, events ...string) *docket.Webhook {
	t.Helper()
	w := &docket.Webhook{URL: "https://hooks.example.com/docket", EnabledEvents: events}
	noErr(t, s.CreateWebhook(ctx, apiActor, w, nil))
	return w
}

// TestWebhookRecordDelivery: the delivery log, the run of failed events, and disabling.
func TestWebhookRecordDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		w := mkWebhook(t, s, "case.created")
		watcher := mkWebhook(t, s, "webhook.*")
		first := time.Now().Add(-time.Minute).UTC().Truncate(time.Millisecond)
		rec := func(event string, attempt int, ok, last bool, disableAfter int) *docket.Delivery {
			t.Helper()
			d := &docket.Delivery{WebhookID: w.ID, EventID: event, Attempt: attempt, Succeeded: ok, StatusCode: 500,
				LatencyMS: 12, Error: "", ResponseSnippet: "nope", FirstAttemptedAt: first}
			if ok {
				d.StatusCode, d.ResponseSnippet = 200, "ok"
			}
			noErr(t, s.RecordDelivery(ctx, d, last, disableAfter))
			if !strings.HasPrefix(d.ID, docket.PrefixDelivery+"_") {
				t.Fatalf("delivery id %q", d.ID)
			}
			return d
		}
		failures := func() int {
			t.Helper()
			return must[*docket.Webhook](t)(s.FindWebhook(ctx, w.ID)).ConsecutiveFailures
		}

		rec("evt_a", 1, false, false, 2)
		rec("evt_a", 2, false, false, 2)
		if n := failures(); n != 0 {
			t.Fatalf("failed attempts that were not the last counted: %d", n)
		}
		rec("evt_a", 8, false, true, 2)
		if n := failures(); n != 1 {
			t.Fatalf("after one event failed every attempt: %d", n)
		}
		ok := rec("evt_b", 3, true, false, 2)
		if n := failures(); n != 0 {
			t.Fatalf("a success did not reset the run: %d", n)
		}
		rec("evt_c", 8, false, true, 0)
		rec("evt_d", 8, false, true, 0)
		if hook := must[*docket.Webhook](t)(s.FindWebhook(ctx, w.ID)); hook.Status != docket.WebhookEnabled || hook.ConsecutiveFailures != 2 {
			t.Fatalf("disableAfter 0 must never disable: %+v", hook)
		}
		rec("evt_e", 8, false, true, 3)
		hook := must[*docket.Webhook](t)(s.FindWebhook(ctx, w.ID))
		if hook.Status != docket.WebhookDisabled || hook.DisabledReason == nil || hook.ConsecutiveFailures != 3 {
			t.Fatalf("after the third failed event in a row: %+v", hook)
		}
		disabled := allEvents(t, s, docket.EventFilter{Name: docket.EventWebhookDisabled, ObjectID: w.ID})
		if len(disabled) != 1 || disabled[0].Actor.Type != docket.ActorSystem {
			t.Fatalf("webhook.disabled events: %+v", disabled)
		}
		// The webhook.disabled event is delivered to the webhooks that want it.
		jobs := strings.Join(deliveryJobs(t, dbURL), "\n")
		if !strings.Contains(jobs, watcher.ID+" "+disabled[0].ID) || strings.Contains(jobs, w.ID+" "+disabled[0].ID) {
			t.Fatalf("webhook.disabled deliveries:\n%s", jobs)
		}
		// Further failures neither disable again nor write another event.
		rec("evt_f", 8, false, true, 3)
		if n := len(allEvents(t, s, docket.EventFilter{Name: docket.EventWebhookDisabled, ObjectID: w.ID})); n != 1 {
			t.Fatalf("%d webhook.disabled events", n)
		}
		// Enabling resets the run.
		if hook := must[*docket.Webhook](t)(s.SetWebhookStatus(ctx, apiActor, w.ID, docket.WebhookEnabled)); hook.ConsecutiveFailures != 0 || hook.DisabledReason != nil {
			t.Fatalf("enabled: %+v", hook)
		}

		log, _ := must2[*docket.Delivery](t)(s.ListDeliveries(ctx, w.ID, docket.Page{Size: 100}))
		if len(log) != 8 {
			t.Fatalf("%d deliveries logged, want 8", len(log))
		}
		var got *docket.Delivery
		for _, d := range log {
			if d.ID == ok.ID {
				got = d
			}
		}
		if got == nil || !got.Succeeded || got.StatusCode != 200 || got.Attempt != 3 || got.LatencyMS != 12 || got.ResponseSnippet != "ok" ||
			got.EventID != "evt_b" || !got.FirstAttemptedAt.Equal(first) {
			t.Fatalf("logged success: %+v", got)
		}
		if _, _, err := s.ListDeliveries(ctx, "wbh_01jzzzzzzzzzzzzzzzzzzzzzzz", docket.Page{Size: 10}); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("deliveries of an unknown webhook: %v", err)
		}

		// Redeliver queues the event again for the same webhook only.
		before := len(deliveryJobs(t, dbURL))
		noErr(t, s.Redeliver(ctx, w.ID, ok.ID))
		after := deliveryJobs(t, dbURL)
		if len(after) != before+1 || !strings.Contains(strings.Join(after, "\n"), w.ID+" evt_b") {
			t.Fatalf("redeliver queued:\n%s", strings.Join(after, "\n"))
		}
		if err := s.Redeliver(ctx, watcher.ID, ok.ID); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("redeliver through another webhook: %v", err)
		}
		if err := s.Redeliver(ctx, w.ID, "wbhdlv_01jzzzzzzzzzzzzzzzzzzzzzzz"); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("redeliver an unknown delivery: %v", err)
		}
		must[*docket.Webhook](t)(s.SetWebhookStatus(ctx, apiActor, w.ID, docket.WebhookArchived))
		if err := s.Redeliver(ctx, w.ID, ok.ID); docket.ErrorCode(err) != docket.EConflict {
			t.Fatalf("redeliver to an archived webhook: %v", err)
		}
	})
}
