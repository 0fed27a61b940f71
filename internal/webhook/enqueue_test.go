package webhook_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

var (
	ctx      = context.Background()
	apiActor = docket.Actor{Type: docket.ActorAPIKey, ID: "api_test"}
)

func openStore(t testing.TB, dbURL string) *store.Store {
	t.Helper()
	s, err := worker.OpenStore(ctx, dbURL)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		noErr(t, err)
		return v
	}
}

func mkWebhook(t *testing.T, s *store.Store, events ...string) *docket.Webhook {
	t.Helper()
	w := &docket.Webhook{URL: "https://hooks.example.com/docket", EnabledEvents: events}
	noErr(t, s.CreateWebhook(ctx, apiActor, w, nil))
	return w
}

func mkTemplate(t testing.TB, s *store.Store, tm *docket.CaseTemplate) *docket.CaseTemplate {
	t.Helper()
	noErr(t, s.CreateTemplate(ctx, apiActor, tm))
	return tm
}

func mkCase(t testing.TB, s *store.Store, nc docket.NewCase) *docket.Case {
	t.Helper()
	return must[*docket.Case](t)(s.CreateCase(ctx, apiActor, nc))
}

// allEvents returns the events matching f (one page: these tests write few).
func allEvents(t testing.TB, s *store.Store, f docket.EventFilter) []*docket.Event {
	t.Helper()
	f.Page = docket.Page{Size: docket.MaxPageSize}
	events, _, err := s.ListEvents(ctx, f)
	noErr(t, err)
	return events
}

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

// TestWebhookEnqueueInTransaction: a delivery job is queued, in the transaction that
// writes the event, for every enabled webhook that wants it, and for nothing that rolls back.
func TestWebhookEnqueueInTransaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		created := mkWebhook(t, s, "case.created")
		all := mkWebhook(t, s, "*")
		glob := mkWebhook(t, s, "case.*")
		off := mkWebhook(t, s, "*")
		must[*docket.Webhook](t)(s.SetWebhookStatus(ctx, apiActor, off.ID, docket.WebhookDisabled))
		gone := mkWebhook(t, s, "*")
		must[*docket.Webhook](t)(s.SetWebhookStatus(ctx, apiActor, gone.ID, docket.WebhookArchived))
		before := deliveryJobs(t, dbURL)

		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "Hooks", Key: "HK"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		ev := allEvents(t, s, docket.EventFilter{Name: docket.EventCaseCreated, ObjectID: c.ID})[0]
		tev := allEvents(t, s, docket.EventFilter{Name: docket.EventTemplateCreated, ObjectID: tm.ID})[0]
		want := append([]string{}, before...)
		want = append(want, created.ID+" "+ev.ID, all.ID+" "+ev.ID, glob.ID+" "+ev.ID, all.ID+" "+tev.ID)
		sort.Strings(want)
		if got := deliveryJobs(t, dbURL); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("queued deliveries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		// A write that fails writes no event and queues nothing.
		if _, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: "ctmpl_01jzzzzzzzzzzzzzzzzzzzzzzz"}); err == nil {
			t.Fatal("case with an unknown template was created")
		}
		if got := deliveryJobs(t, dbURL); len(got) != len(want) {
			t.Fatalf("a failed write queued %d deliveries", len(got)-len(want))
		}
	})
}
