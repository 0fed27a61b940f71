package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

func TestIdempotency(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		body := `{"data":{"attributes":{"case-template-id":"` + tmpl + `","tags":["once"]}}}`
		first := h.must(201, "POST", "/cases", body, "Idempotency-Key", "k-1")
		for i := range 3 {
			again := h.do("POST", "/cases", body, "Idempotency-Key", "k-1")
			if again.status != first.status || again.raw != first.raw {
				t.Fatalf("replay %d: %d %s\nwant %d %s", i, again.status, again.raw, first.status, first.raw)
			}
			if again.header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("replay %d lacks Idempotent-Replayed", i)
			}
			if again.header.Get("Request-Id") == first.header.Get("Request-Id") {
				t.Errorf("replay %d reused the Request-Id", i)
			}
		}
		if n := h.caseCount(); n != 1 {
			t.Fatalf("%d cases after replays, want 1", n)
		}

		other := `{"data":{"attributes":{"case-template-id":"` + tmpl + `","tags":["twice"]}}}`
		r := h.do("POST", "/cases", other, "Idempotency-Key", "k-1")
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.raw, "different request") {
			t.Errorf("same key, other body: %d %s", r.status, r.raw)
		}
		r = h.do("POST", "/cases/"+first.str("data.id")+"/add-tag", `{"meta":{"tag-name":"x"}}`, "Idempotency-Key", "k-1")
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("same key, other endpoint: %d %s", r.status, r.raw)
		}

		// A refused request is replayed as refused, and writes nothing.
		bad := `{"data":{"attributes":{"case-template-id":"` + tmpl + `","fields":{"riskScore":-1}}}}`
		r1 := h.must(422, "POST", "/cases", bad, "Idempotency-Key", "k-bad")
		r2 := h.must(422, "POST", "/cases", bad, "Idempotency-Key", "k-bad")
		if r1.raw != r2.raw {
			t.Errorf("422 replay differs:\n%s\n%s", r1.raw, r2.raw)
		}

		// Keys belong to one API key; without a key, nothing is replayed.
		other2 := "Bearer " + h.keyWithScopes("*")
		r = h.must(201, "POST", "/cases", body, "Idempotency-Key", "k-1", "Authorization", other2)
		if r.str("data.id") == first.str("data.id") {
			t.Error("another API key got the first key's replay")
		}
		r = h.must(201, "POST", "/cases", body)
		if r.str("data.id") == first.str("data.id") {
			t.Error("a request without Idempotency-Key was replayed")
		}
		h.must(400, "POST", "/cases", body, "Idempotency-Key", strings.Repeat("k", 256))
		if n := h.caseCount(); n != 3 {
			t.Errorf("%d cases, want 3", n)
		}
	})
}

// TestIdempotencyAfterCrash: a process killed while serving a request leaves its
// Idempotency-Key reserved, with no answer stored. The client's retry is told the request
// is in progress only while the dead process's lease lasts; then it runs, and its answer
// is replayed. (Issue 11, item 8.)
func TestIdempotencyAfterCrash(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		ctx := context.Background()
		h := newHarness(t, dbURL, testConfig())
		clock := &fakeClock{now: time.Now().UTC()}
		h.store.Now = clock.Now
		// The killed process: it reserved the key for the same request, then died.
		dead, err := worker.OpenStore(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { dead.Close() })
		dead.Now = clock.Now
		key, err := h.store.FindAPIKeyBySecret(ctx, h.key)
		if err != nil {
			t.Fatal(err)
		}
		body := `{"data":{"attributes":{"case-template-id":"` + h.createTemplate("") + `"}}}`
		sum := sha256.Sum256([]byte("POST /api/v1/cases\n" + body))
		if prior, err := dead.ReserveIdempotencyKey(ctx, key.ID, "k-crash", hex.EncodeToString(sum[:])); err != nil || prior != nil {
			t.Fatalf("reserve as the dead process: %+v %v", prior, err)
		}
		dead.Close()

		r := h.must(409, "POST", "/cases", body, "Idempotency-Key", "k-crash")
		if !strings.Contains(r.raw, "in progress") {
			t.Errorf("retry within the lease: %s", r.raw)
		}
		clock.Add(docket.IdempotencyLease + time.Millisecond)
		first := h.must(201, "POST", "/cases", body, "Idempotency-Key", "k-crash")
		again := h.must(201, "POST", "/cases", body, "Idempotency-Key", "k-crash")
		if again.raw != first.raw || again.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("second retry: %s\nwant the replay of %s", again.raw, first.raw)
		}
		if n := h.caseCount(); n != 1 {
			t.Errorf("%d cases, want 1", n)
		}
	})
}

// fakeClock is a settable clock for a store's Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.RateLimit = 60 // a burst of 6, then one request a second
	eachServer(t, cfg, func(t *testing.T, h *harness) {
		var last *resp
		start := time.Now()
		for i := 1; i <= 7; i++ {
			last = h.do("GET", "/case-templates", "")
			for _, name := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} {
				if _, err := strconv.Atoi(last.header.Get(name)); err != nil {
					t.Errorf("request %d: header %s = %q", i, name, last.header.Get(name))
				}
			}
			if last.header.Get("RateLimit-Limit") != "60" {
				t.Errorf("request %d: RateLimit-Limit %q", i, last.header.Get("RateLimit-Limit"))
			}
			if i < 7 && last.status != http.StatusOK {
				t.Fatalf("request %d of the burst: %d %s", i, last.status, last.raw)
			}
			if i == 1 && last.header.Get("RateLimit-Remaining") != "5" {
				t.Errorf("after the first request RateLimit-Remaining is %q, want 5", last.header.Get("RateLimit-Remaining"))
			}
		}
		if took := time.Since(start); last.status == http.StatusOK && took >= time.Second {
			t.Skipf("the burst took %v, long enough for a token to refill", took)
		}
		if last.status != http.StatusTooManyRequests || last.str("errors.0.title") != "Rate limit exceeded" {
			t.Fatalf("7th request: %d %s, want 429", last.status, last.raw)
		}
		if last.header.Get("RateLimit-Remaining") != "0" || last.header.Get("Retry-After") == "" {
			t.Errorf("429 headers: Remaining %q Retry-After %q", last.header.Get("RateLimit-Remaining"), last.header.Get("Retry-After"))
		}
		if reset, _ := strconv.Atoi(last.header.Get("RateLimit-Reset")); reset < 1 || reset > 6 {
			t.Errorf("RateLimit-Reset %d, want 1..6 seconds", reset)
		}
		// Limits are per API key, and failed authentication spends nothing.
		h.must(http.StatusOK, "GET", "/case-templates", "", "Authorization", "Bearer "+h.keyWithScopes("*"))
		h.must(http.StatusUnauthorized, "GET", "/case-templates", "", "Authorization", "Bearer nope")
	})
}

// TestAuthFailureLimit: requests that fail authentication are limited per client address
// (issue 11, item 13). Past its burst an address is refused with 429 before its key is
// looked up, whatever the key, so that a guessed key is not confirmed at full speed;
// other addresses are not held back, and a trusted proxy's X-Forwarded-For names the
// client while anyone else's is ignored.
func TestAuthFailureLimit(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.AuthFailureLimit = 60 // a burst of 6 failures, then one a second
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	eachServer(t, cfg, func(t *testing.T, h *harness) {
		from := func(addr string) []string { return []string{"X-Forwarded-For", "192.0.2.1, " + addr} }
		bad := append(from("203.0.113.7"), "Authorization", "Bearer docket_guess")
		start := time.Now()
		for i := 1; i <= 6; i++ {
			if r := h.do("GET", "/cases", "", bad...); r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d of the burst: %d %s", i, r.status, r.raw)
			}
		}
		r := h.do("GET", "/cases", "", bad...)
		if took := time.Since(start); r.status == http.StatusUnauthorized && took >= time.Second {
			t.Skipf("the burst took %v, long enough for a token to refill", took)
		}
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(r.raw, "failed authentication") {
			t.Fatalf("7th failure: %d %s (Retry-After %q), want 429", r.status, r.raw, r.header.Get("Retry-After"))
		}
		if r := h.do("GET", "/cases", "", from("203.0.113.7")...); r.status != http.StatusTooManyRequests {
			t.Errorf("a right key from the blocked address: %d, want 429", r.status)
		}
		if r := h.do("GET", "/cases", "", from("203.0.113.8")...); r.status != http.StatusOK {
			t.Errorf("a right key from another address: %d %s", r.status, r.raw)
		}
		if r := h.do("GET", "/cases", "", append(from("203.0.113.8"), "Authorization", "Bearer docket_guess")...); r.status != http.StatusUnauthorized {
			t.Errorf("a wrong key from another address: %d, want 401", r.status)
		}
		if r := h.do("GET", "/cases", ""); r.status != http.StatusOK {
			t.Errorf("the proxy itself: %d %s", r.status, r.raw)
		}
	})
}

// TestAuthFailureLimitUntrustedPeer: a peer that is not a trusted proxy cannot pick the
// address it is limited by with X-Forwarded-For.
func TestAuthFailureLimitUntrustedPeer(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.AuthFailureLimit = 60
	eachServer(t, cfg, func(t *testing.T, h *harness) {
		start := time.Now()
		var r *resp
		for i := range 7 {
			r = h.do("GET", "/cases", "", "X-Forwarded-For", fmt.Sprint("203.0.113.", i), "Authorization", "Bearer docket_guess")
		}
		if took := time.Since(start); r.status == http.StatusUnauthorized && took >= time.Second {
			t.Skipf("the burst took %v, long enough for a token to refill", took)
		}
		if r.status != http.StatusTooManyRequests {
			t.Fatalf("7th failure with a new X-Forwarded-For each time: %d, want 429", r.status)
		}
	})
}

// TestNoPartialWrites checks that a refused request changes nothing: no case, no event,
// no case number used up, no attached object.
func TestNoPartialWrites(t *testing.T) {
	t.Parallel()
	eachServer(t, api.Config{MaxBodyBytes: 1 << 20}, func(t *testing.T, h *harness) {
		vars := caseVars(h)
		c := h.createCase(vars["tmpl"], `"tags":["keep"]`)
		events := func() int { return len(h.must(200, "GET", "/events?page[size]=100", "").list("data")) }
		before := events()
		for _, tc := range []struct{ method, path, body string }{
			// The valid account is checked and attached before the unknown one is found.
			{"POST", "/cases", `{"data":{"attributes":{"case-template-id":"` + vars["tmpl"] + `","tags":["new"]}},"meta":{"object-ids":["` + vars["act"] + `","` + vars["noact"] + `"]}}`},
			{"POST", "/cases", `{"data":{"attributes":{"case-template-id":"` + vars["tmpl"] + `","creator-email-address":"who@example.com"}}}`},
			{"POST", "/cases/" + c + "/add-objects", `{"meta":{"object-ids":["` + vars["act"] + `","` + vars["noact"] + `"]}}`},
			{"PATCH", "/cases/" + c, `{"data":{"attributes":{"fields":{"note":"x","riskScore":"high"}}},"meta":{"sla-expires-in-seconds":5}}`},
			{"PATCH", "/cases/" + c, `{"data":{"attributes":{"fields":{"note":"x"},"case-queue-id":"cqueue_01h455vb4pex5vsknk084sn02q"}}}`},
		} {
			if r := h.do(tc.method, tc.path, tc.body); r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s %s: %d %s, want 422", tc.method, tc.path, r.status, r.raw)
			}
		}
		if n := h.caseCount(); n != 1 {
			t.Errorf("%d cases after refused requests, want 1", n)
		}
		if n := events(); n != before {
			t.Errorf("%d events after refused requests, want %d", n, before)
		}
		r := h.must(200, "GET", "/cases/"+c, "")
		if !strings.Contains(r.raw, `"accounts":{"data":[]}`) || !strings.Contains(r.raw, `"fields":{}`) ||
			r.str("data.attributes.updated-at") != r.str("data.attributes.created-at") {
			t.Errorf("refused changes reached the case: %s", r.raw)
		}
		if name := h.must(201, "POST", "/cases", `{"data":{"attributes":{"case-template-id":"`+vars["tmpl"]+`"}}}`).str("data.attributes.name"); name != "KYC-2" {
			t.Errorf("next case is %s, want KYC-2: refused creates must not use up numbers", name)
		}
	})
}
