package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/signature"
)

// Helpers shared by the webhook tests: a docket server with a chosen delivery policy, a
// real HTTP receiver on loopback that records every delivery, and API shortcuts.

// webhookEnv is a fast delivery policy for tests; extra pairs (key, value) override it.
func webhookEnv(extra ...string) map[string]string {
	env := map[string]string{
		"DOCKET_WEBHOOK_ALLOW_PRIVATE": "1",
		"DOCKET_WEBHOOK_ALLOW_HTTP":    "127.0.0.1",
		"DOCKET_WEBHOOK_RETRY_BASE":    "50ms",
		"DOCKET_JOB_POLL_INTERVAL":     "20ms",
		"DOCKET_WEBHOOK_TIMEOUT":       "2s",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		env[extra[i]] = extra[i+1]
	}
	return env
}

// envList turns an environment map into KEY=value pairs for a process.
func envList(env map[string]string) []string {
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// pgStartMu serialises the webhook tests' PostgreSQL starts: migrations take a
// database-wide advisory lock that goose retries only every 5 s, so servers starting at
// the same moment would stall each other for seconds.
var pgStartMu sync.Mutex

func lockPGStart(dbURL string) func() {
	if strings.HasPrefix(dbURL, "sqlite:") {
		return func() {}
	}
	pgStartMu.Lock()
	return pgStartMu.Unlock
}

// startProcessEnv is startProcess, one PostgreSQL start at a time.
func startProcessEnv(t *testing.T, dbURL string, env ...string) *process {
	t.Helper()
	defer lockPGStart(dbURL)()
	return startProcess(t, dbURL, env...)
}

// startServerEnv is startServer with extra environment variables. The server's log is
// printed if the test fails.
func startServerEnv(t *testing.T, dbURL string, extra map[string]string) *server {
	t.Helper()
	defer lockPGStart(dbURL)()
	env := map[string]string{"DOCKET_BOOTSTRAP_API_KEY": testKey, "DOCKET_DATABASE_URL": dbURL, "DOCKET_LOG_LEVEL": "warn", "DOCKET_RATE_LIMIT": "0"}
	for k, v := range extra {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	out := &syncWriter{w: &bytes.Buffer{}}
	go func() {
		errc <- runWith(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] },
			io.Discard, out, func(addr string) { addrc <- addr })
	}()
	var s *server
	select {
	case addr := <-addrc:
		s = &server{base: "http://" + addr}
	case err := <-errc:
		cancel()
		t.Fatalf("serve exited early: %v", err)
	case <-time.After(90 * time.Second):
		cancel()
		t.Fatal("serve did not start within 90s")
	}
	s.log = func() string {
		out.mu.Lock()
		defer out.mu.Unlock()
		return out.w.(*bytes.Buffer).String()
	}
	stopped := false
	var stopErr error
	s.stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			stopErr = <-errc
		}
		return stopErr
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			log := s.log()
			if len(log) > 8000 {
				log = "...\n" + log[len(log)-8000:]
			}
			t.Logf("server log:\n%s", log)
		}
	})
	waitHealthy(t, s.base)
	return s
}

// Things a receiver can do with an attempt besides answering with a status code.
const (
	actHang = -1 // hold the request until the client gives up
	actDrop = -2 // close the connection without answering
)

// hit is one delivery attempt as the receiver saw it.
type hit struct {
	EventID, Name string
	Attempt, Left int
	First         string
	Sig           string
	Header        http.Header
	Body          []byte
	Doc           map[string]any
	Answer        int // status code sent, or actHang / actDrop
	At            time.Time
}

// receiver is a webhook endpoint on loopback that records every attempt and tracks the
// attempts in flight, keyed by (event id, attempts made).
type receiver struct {
	t    *testing.T
	addr string
	url  string

	mu       sync.Mutex
	srv      *httptest.Server
	respond  func(h *hit) int
	hits     []*hit
	inflight map[string]int
	overlaps []string
	maxInFl  int
	closing  chan struct{}
}

// newReceiver starts a receiver; respond (nil: always 200) decides each attempt's fate.
func newReceiver(t *testing.T, respond func(h *hit) int) *receiver {
	rc := newDownReceiver(t, respond)
	rc.up()
	return rc
}

// newDownReceiver reserves a loopback address for a receiver without listening on it:
// connections are refused until up.
func newDownReceiver(t *testing.T, respond func(h *hit) int) *receiver {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	rc := &receiver{t: t, addr: addr, url: "http://" + addr + "/hooks/docket", respond: respond,
		inflight: map[string]int{}, closing: make(chan struct{})}
	t.Cleanup(func() {
		close(rc.closing)
		rc.down()
	})
	return rc
}

// up starts listening on the receiver's address.
func (rc *receiver) up() {
	rc.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 100; i++ { // the port may linger briefly after down
		if ln, err = net.Listen("tcp", rc.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		rc.t.Fatalf("receiver listen on %s: %v", rc.addr, err)
	}
	srv := httptest.NewUnstartedServer(rc)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	rc.mu.Lock()
	rc.srv = srv
	rc.mu.Unlock()
}

// down stops listening: later connections are refused.
func (rc *receiver) down() {
	rc.mu.Lock()
	srv := rc.srv
	rc.srv = nil
	rc.mu.Unlock()
	if srv != nil {
		srv.CloseClientConnections()
		srv.Close()
	}
}

func (rc *receiver) setRespond(f func(h *hit) int) {
	rc.mu.Lock()
	rc.respond = f
	rc.mu.Unlock()
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h := &hit{Header: r.Header.Clone(), Body: body, Sig: r.Header.Get(signature.Header), At: time.Now(),
		First: r.Header.Get("Persona-Webhook-First-Attempted-At")}
	h.Attempt, _ = strconv.Atoi(r.Header.Get("Persona-Webhook-Attempts-Made"))
	h.Left, _ = strconv.Atoi(r.Header.Get("Persona-Webhook-Attempts-Left"))
	if json.Unmarshal(body, &h.Doc) == nil {
		if d, ok := h.Doc["data"].(map[string]any); ok {
			h.EventID, _ = d["id"].(string)
			if a, ok := d["attributes"].(map[string]any); ok {
				h.Name, _ = a["name"].(string)
			}
		}
	}
	key := fmt.Sprintf("%s#%d", h.EventID, h.Attempt)
	rc.mu.Lock()
	rc.inflight[key]++
	if rc.inflight[key] > 1 {
		rc.overlaps = append(rc.overlaps, key)
	}
	total := 0
	for _, n := range rc.inflight {
		total += n
	}
	rc.maxInFl = max(rc.maxInFl, total)
	respond := rc.respond
	rc.mu.Unlock()
	defer func() {
		rc.mu.Lock()
		if rc.inflight[key]--; rc.inflight[key] == 0 {
			delete(rc.inflight, key)
		}
		rc.mu.Unlock()
	}()

	h.Answer = http.StatusOK
	if respond != nil {
		h.Answer = respond(h)
	}
	rc.mu.Lock()
	rc.hits = append(rc.hits, h)
	rc.mu.Unlock()
	switch h.Answer {
	case actHang:
		select {
		case <-r.Context().Done():
		case <-rc.closing:
		case <-time.After(30 * time.Second):
		}
	case actDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
	default:
		w.WriteHeader(h.Answer)
		io.WriteString(w, "ok from receiver")
	}
}

// all returns a copy of every attempt seen so far.
func (rc *receiver) all() []*hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]*hit(nil), rc.hits...)
}

// delivered returns the attempts answered 2xx, by event id.
func (rc *receiver) delivered() map[string][]*hit {
	out := map[string][]*hit{}
	for _, h := range rc.all() {
		if h.Answer >= 200 && h.Answer < 300 {
			out[h.EventID] = append(out[h.EventID], h)
		}
	}
	return out
}

// byEvent returns every attempt by event id, in arrival order.
func (rc *receiver) byEvent() map[string][]*hit {
	out := map[string][]*hit{}
	for _, h := range rc.all() {
		out[h.EventID] = append(out[h.EventID], h)
	}
	return out
}

// waitDelivered waits until every event in ids was answered 2xx at least once.
func (rc *receiver) waitDelivered(t *testing.T, ids []string, timeout time.Duration) {
	t.Helper()
	eventually(t, timeout, func() (bool, string) {
		got := rc.delivered()
		var missing []string
		for _, id := range ids {
			if len(got[id]) == 0 {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			return true, ""
		}
		n := len(missing)
		if n > 5 {
			missing = append(missing[:5], "...")
		}
		return false, fmt.Sprintf("%d of %d events not delivered (%v); %d attempts seen", n, len(ids), missing, len(rc.all()))
	})
}

// eventually polls cond until it holds or timeout passes.
func eventually(t *testing.T, timeout time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", timeout, why)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkAttempt checks one attempt's headers and body: a signature that verifies with
// secrets, consistent attempt counters and the event envelope.
func checkAttempt(t *testing.T, h *hit, secrets ...string) {
	t.Helper()
	if err := signature.Verify(h.Sig, h.Body, secrets, 5*time.Minute, time.Now()); err != nil {
		t.Errorf("event %s attempt %d: signature %q does not verify: %v", h.EventID, h.Attempt, h.Sig, err)
	}
	if h.Attempt < 1 || h.Attempt > docket.WebhookMaxAttempts || h.Attempt+h.Left != docket.WebhookMaxAttempts {
		t.Errorf("event %s: Attempts-Made %q, Attempts-Left %q", h.EventID,
			h.Header.Get("Persona-Webhook-Attempts-Made"), h.Header.Get("Persona-Webhook-Attempts-Left"))
	}
	first, err := time.Parse(docket.TimeFormat, h.First)
	if err != nil || first.After(h.At.Add(time.Second)) || h.At.Sub(first) > 5*time.Minute {
		t.Errorf("event %s: First-Attempted-At %q (received at %s): %v", h.EventID, h.First, h.At.UTC().Format(docket.TimeFormat), err)
	}
	if ct := h.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("event %s: Content-Type %q", h.EventID, ct)
	}
	d, _ := h.Doc["data"].(map[string]any)
	if d == nil || d["type"] != "event" || !strings.HasPrefix(h.EventID, "evt_") || h.Name == "" {
		t.Errorf("delivery body is not an event envelope: %s", h.Body)
	}
}

// checkFirstAttemptedAt checks that the attempts of one delivery job (attempts numbered
// 1, 2, ...) all carry the same First-Attempted-At.
func checkFirstAttemptedAt(t *testing.T, hits []*hit) {
	t.Helper()
	var first string
	for _, h := range hits {
		if h.Attempt == 1 {
			first = h.First
			continue
		}
		if first != "" && h.First != first {
			t.Errorf("event %s: attempt %d says first attempted at %s, attempt 1 said %s", h.EventID, h.Attempt, h.First, first)
		}
	}
}

// API shortcuts.

func createWebhook(t *testing.T, base, attrs string) (id, secret string, data map[string]any) {
	t.Helper()
	d := must(t, 201)(call(t, base, "POST", "/api/v1/webhooks", `{"data":{"attributes":`+attrs+`}}`))
	id, _ = d["id"].(string)
	secret, _ = attr(d, "secret").(string)
	if !strings.HasPrefix(id, "wbh_") || !strings.HasPrefix(secret, docket.PrefixWebhookSecret+"_") {
		t.Fatalf("created webhook: id %q, secret %q", id, secret)
	}
	return id, secret, d
}

func createTemplateKey(t *testing.T, base, key string) string {
	t.Helper()
	d := must(t, 201)(call(t, base, "POST", "/api/v1/case-templates", fmt.Sprintf(`{"data":{"attributes":{"name":"Webhook tests %s","key":%q,
		"field-schemas":[{"key":"risk-score","type":"string"},{"key":"ssn","type":"string"}]}}}`, key, key)))
	return d["id"].(string)
}

// createCase opens a case and returns its id and the id of its case.created event.
func createCase(t *testing.T, base, tmpl string) (caseID, eventID string) {
	t.Helper()
	c := must(t, 201)(call(t, base, "POST", "/api/v1/cases",
		fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q,"fields":{"risk-score":"high","ssn":"123-45-6789"}}}}`, tmpl)))
	caseID = c["id"].(string)
	return caseID, eventOf(t, base, "case.created", caseID)
}

// eventOf returns the id of the newest event with that name on that object.
func eventOf(t *testing.T, base, name, objectID string) string {
	t.Helper()
	_, doc := call(t, base, "GET", "/api/v1/events?filter[name]="+name+"&filter[object-id]="+objectID, "")
	list, _ := doc["data"].([]any)
	if len(list) == 0 {
		t.Fatalf("no %s event for %s: %v", name, objectID, doc)
	}
	return list[0].(map[string]any)["id"].(string)
}

// deliveryLog returns a webhook's whole delivery log, newest first.
func deliveryLog(t *testing.T, base, hookID string) []map[string]any {
	t.Helper()
	var out []map[string]any
	after := ""
	for {
		q := "/api/v1/webhooks/" + hookID + "/deliveries?page[size]=100"
		if after != "" {
			q += "&page[after]=" + after
		}
		status, doc := call(t, base, "GET", q, "")
		if status != 200 {
			t.Fatalf("GET %s: %d %v", q, status, doc)
		}
		list, _ := doc["data"].([]any)
		for _, x := range list {
			out = append(out, x.(map[string]any))
		}
		if len(list) < 100 {
			return out
		}
		after = list[len(list)-1].(map[string]any)["id"].(string)
	}
}

// logByEvent groups a delivery log by event id, oldest attempt first.
func logByEvent(log []map[string]any) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for i := len(log) - 1; i >= 0; i-- {
		ev, _ := attr(log[i], "event-id").(string)
		out[ev] = append(out[ev], log[i])
	}
	for _, l := range out {
		sort.SliceStable(l, func(i, j int) bool {
			ci, cj := attr(l[i], "created-at").(string), attr(l[j], "created-at").(string)
			if ci != cj {
				return ci < cj
			}
			return attr(l[i], "attempt").(float64) < attr(l[j], "attempt").(float64)
		})
	}
	return out
}
