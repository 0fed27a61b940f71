package ui_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/ui"
	"github.com/docket-hq/docket/internal/worker"
)

// The helpers of the webhook and event browser tests.

// newHookSite serves the dashboard over a store with its reactions and workers, so that
// events reach webhooks, which may use plain http to 127.0.0.1 (as DOCKET_WEBHOOK_ALLOW_HTTP
// allows), and makes an admin and a reviewer.
func newHookSite(t *testing.T, dbURL string) *site {
	t.Helper()
	s := newSiteOn(t, dbURL, worker.OpenStore, nil, ui.WithWebhookHTTP(func(h string) bool { return h == "127.0.0.1" }))
	s.startWorkers()
	s.user("admin@example.com", docket.RoleAdmin)
	s.user("rita@example.com", docket.RoleReviewer)
	return s
}

// hookHit is one request a receiver got.
type hookHit struct {
	EventID, Signature string
	Body               []byte
}

// receiver is a webhook endpoint that answers every delivery 200 with a short JSON text.
type receiver struct {
	url  string
	mu   sync.Mutex
	hits []hookHit
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var doc struct {
			Data struct{ ID string } `json:"data"`
		}
		json.Unmarshal(body, &doc)
		rc.mu.Lock()
		rc.hits = append(rc.hits, hookHit{EventID: doc.Data.ID, Signature: r.Header.Get("Persona-Signature"), Body: body})
		rc.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"thanks":"<got it>"}`)
	}))
	t.Cleanup(srv.Close)
	rc.url = srv.URL + "/hook"
	return rc
}

// of returns the requests that carried the event.
func (rc *receiver) of(eventID string) []hookHit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []hookHit
	for _, h := range rc.hits {
		if h.EventID == eventID {
			out = append(out, h)
		}
	}
	return out
}

// eventually polls cond until it holds, failing the test after a generous deadline
// (deliveries run on background workers).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var (
	secretRe = regexp.MustCompile(`value="(` + docket.PrefixWebhookSecret + `_[0-9a-f]+)"`)
	hookRe   = regexp.MustCompile(`href="/admin/webhooks/(` + docket.PrefixWebhook + `_[0-9a-z]+)"`)
)

// createHook creates a webhook through the form and returns its id and the secret the
// answer shows.
func (b *browser) createHook(t *testing.T, form url.Values) (id, secret string) {
	t.Helper()
	p := b.post("/admin/webhooks/new", "/admin/webhooks", form)
	p.want(t, http.StatusOK, "Webhook created", "Copy it now")
	m, h := secretRe.FindStringSubmatch(p.body), hookRe.FindStringSubmatch(p.body)
	if m == nil || h == nil {
		t.Fatalf("no secret or webhook link in the answer:\n%s", p.body)
	}
	return h[1], m[1]
}

// eventOf returns the id of the newest event of the name about the object.
func (s *site) eventOf(name, objectID string) string {
	s.t.Helper()
	list, _, err := s.store.ListEvents(ctx, docket.EventFilter{Name: name, ObjectID: objectID, Page: docket.Page{Size: 1}})
	noErr(s.t, err)
	if len(list) == 0 {
		s.t.Fatalf("no %s event of %s", name, objectID)
	}
	return list[0].ID
}
