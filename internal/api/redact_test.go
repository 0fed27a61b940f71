package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRedactedIdempotentReplay (issue 11, item 2): a stored idempotent response that
// shows a redacted object is replayed with its status but without the object's data, for
// the object's own creation and for responses that show it (a transaction carrying the
// account's reference id). Responses about other objects are replayed whole.
func TestRedactedIdempotentReplay(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		const secret = "Jane-Marker-7781"
		tmpl := h.createTemplate("")
		tt := h.must(http.StatusCreated, "POST", "/transaction-types", `{"data":{"attributes":{"name":"Payment"}}}`).str("data.id")
		posts := []struct{ key, path, body string }{
			{"k-case", "/cases", `{"data":{"attributes":{"case-template-id":"` + tmpl + `","note":"` + secret + `"}}}`},
			{"k-account", "/accounts", `{"data":{"attributes":{"reference-id":"ref-` + secret + `","fields":{"name":"` + secret + `"}}}}`},
			{"k-txn", "/transactions", `{"data":{"attributes":{"transaction-type-id":"` + tt + `","reference-id":"ref-` + secret + `"}}}`},
			{"k-other", "/cases", `{"data":{"attributes":{"case-template-id":"` + tmpl + `","note":"kept"}}}`},
		}
		ids := map[string]string{}
		for _, p := range posts {
			r := h.must(http.StatusCreated, "POST", p.path, p.body, "Idempotency-Key", p.key)
			ids[p.key] = r.str("data.id")
			if !strings.Contains(r.raw, secret) && p.key != "k-other" {
				t.Fatalf("%s: the response does not show the data: the test would prove nothing\n%s", p.key, r.raw)
			}
		}
		h.must(http.StatusOK, "DELETE", "/cases/"+ids["k-case"], "")
		h.must(http.StatusOK, "DELETE", "/accounts/"+ids["k-account"], "")
		for _, p := range posts {
			r := h.do("POST", p.path, p.body, "Idempotency-Key", p.key)
			if r.status != http.StatusCreated || r.header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("%s: replay %d (replayed %q)\n%s", p.key, r.status, r.header.Get("Idempotent-Replayed"), r.raw)
			}
			if strings.Contains(r.raw, secret) {
				t.Errorf("%s: the replay still shows the redacted data\n%s", p.key, r.raw)
			}
			redacted := get(r.doc, "meta.redacted") == true
			if want := p.key != "k-other"; redacted != want {
				t.Errorf("%s: replay meta.redacted is %v, want %v\n%s", p.key, redacted, want, r.raw)
			}
			if p.key == "k-other" && r.str("data.id") != ids[p.key] {
				t.Errorf("another case's response was not replayed whole\n%s", r.raw)
			}
		}
	})
}
