package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

// harness is one API server over one fresh database, with an all-scopes API key.
type harness struct {
	t     *testing.T
	store *store.Store
	srv   *httptest.Server
	key   string
}

// testConfig is the configuration most tests use: no rate limit, 1 MiB bodies.
func testConfig() api.Config { return api.Config{RateLimit: 0, MaxBodyBytes: 1 << 20} }

// eachServer runs fn once per store (in parallel) with a harness over a fresh database.
func eachServer(t *testing.T, cfg api.Config, fn func(t *testing.T, h *harness)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		fn(t, newHarness(t, dbURL, cfg))
	})
}

func newHarness(t *testing.T, dbURL string, cfg api.Config) *harness {
	t.Helper()
	ctx := context.Background()
	s, err := worker.OpenStore(ctx, dbURL)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	secret := docket.NewAPIKeySecret()
	if _, err := s.CreateAPIKey(ctx, "test", []string{docket.ScopeAll}, secret); err != nil {
		t.Fatalf("create api key: %v", err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(api.New(s, log, cfg, nil))
	t.Cleanup(srv.Close)
	return &harness{t: t, store: s, srv: srv, key: secret}
}

// keyWithScopes creates another API key and returns its secret.
func (h *harness) keyWithScopes(scopes ...string) string {
	h.t.Helper()
	secret := docket.NewAPIKeySecret()
	if _, err := h.store.CreateAPIKey(context.Background(), "limited", scopes, secret); err != nil {
		h.t.Fatalf("create api key: %v", err)
	}
	return secret
}

// resp is a response with its body both raw and decoded.
type resp struct {
	status int
	header http.Header
	raw    string
	doc    any
}

// do sends a request to the API. headers are name, value pairs; an Authorization pair
// replaces the harness key (an empty value sends none). path is relative to /api/v1
// unless it starts with /api/ or /healthz.
func (h *harness) do(method, path, body string, headers ...string) *resp {
	h.t.Helper()
	if !strings.HasPrefix(path, "/api/") && !strings.HasPrefix(path, "/healthz") {
		path = "/api/v1" + path
	}
	req, err := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatalf("new request: %v", err)
	}
	req.Header.Set("Authorization", "Bearer "+h.key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatalf("read body: %v", err)
	}
	checkDescribed(h.t, method, h.srv.URL+path, req.Header, body, res, b)
	r := &resp{status: res.StatusCode, header: res.Header, raw: string(b)}
	if id := res.Header.Get("Request-Id"); !docket.ValidID(docket.PrefixRequest, id) {
		h.t.Errorf("%s %s: Request-Id %q is not a req_ id", method, path, id)
	}
	if len(b) > 0 && strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&r.doc); err != nil {
			h.t.Fatalf("%s %s: response is not JSON: %v\n%s", method, path, err, b)
		}
	}
	return r
}

// must sends a request and fails the test unless the status matches.
func (h *harness) must(status int, method, path, body string, headers ...string) *resp {
	h.t.Helper()
	r := h.do(method, path, body, headers...)
	if r.status != status {
		h.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, r.status, status, r.raw)
	}
	return r
}

// str reads a string at a dotted path of the decoded body.
func (r *resp) str(path string) string {
	s, _ := get(r.doc, path).(string)
	return s
}

// get walks decoded JSON by a dotted path; numeric segments index lists.
func get(v any, path string) any {
	if path == "" {
		return v
	}
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// list returns the items of a list document.
func (r *resp) list(path string) []any {
	l, _ := get(r.doc, path).([]any)
	return l
}

// ids returns the ids of the resources in data.
func (r *resp) ids() []string {
	var out []string
	for _, item := range r.list("data") {
		if id, ok := get(item, "id").(string); ok {
			out = append(out, id)
		}
	}
	return out
}

// step is one request of a scenario, with what its response must and must not hold.
// {{name}} in path, body and fragments is replaced by a value saved by an earlier step.
type step struct {
	name    string
	method  string
	path    string
	body    string
	headers []string
	status  int
	want    []string          // fragments of the raw response body
	not     []string          // fragments the response body must not hold
	save    map[string]string // variable name -> dotted path into the response
}

// scenario runs steps in order against one server; vars carries saved values.
func (h *harness) scenario(t *testing.T, vars map[string]string, steps []step) {
	t.Helper()
	expand := func(s string) string {
		for k, v := range vars {
			s = strings.ReplaceAll(s, "{{"+k+"}}", v)
		}
		return s
	}
	for _, st := range steps {
		path, body := expand(st.path), expand(st.body)
		headers := make([]string, len(st.headers))
		for i, v := range st.headers {
			headers[i] = expand(v)
		}
		r := h.do(st.method, path, body, headers...)
		if r.status != st.status {
			t.Errorf("%s: %s %s: status %d, want %d\n%s", st.name, st.method, path, r.status, st.status, r.raw)
		}
		for _, w := range st.want {
			if w = expand(w); !strings.Contains(r.raw, w) {
				t.Errorf("%s: %s %s: response lacks %s\n%s", st.name, st.method, path, w, r.raw)
			}
		}
		for _, n := range st.not {
			if n = expand(n); strings.Contains(r.raw, n) {
				t.Errorf("%s: %s %s: response holds %s\n%s", st.name, st.method, path, n, r.raw)
			}
		}
		if r.status >= 500 {
			t.Errorf("%s: server error %d", st.name, r.status)
		}
		for name, p := range st.save {
			v, ok := get(r.doc, p).(string)
			if !ok || v == "" {
				t.Fatalf("%s: nothing to save at %s\n%s", st.name, p, r.raw)
			}
			vars[name] = v
		}
	}
}

// kycTemplate is a template whose field keys use every key style, so that tests can
// check that user-defined keys are never re-inflected.
const kycTemplate = `{"data":{"attributes":{"name":"KYC review","key":"KYC","sla-seconds":3600,
	"field-schemas":[
		{"key":"riskScore","type":"integer","label":"Risk score","config":{"min":0,"max":100}},
		{"key":"risk_level","type":"choices","label":"Risk level","config":{"options":["low","high"]}},
		{"key":"note","type":"string","label":"Note","config":{"max-length":50}},
		{"key":"amount","type":"float","label":"Amount"},
		{"key":"verified","type":"boolean","label":"Verified"},
		{"key":"first-name","type":"string","label":"First name"}
	]}}}`

// createTemplate creates kycTemplate (or body) and returns its id.
func (h *harness) createTemplate(body string) string {
	h.t.Helper()
	if body == "" {
		body = kycTemplate
	}
	return h.must(http.StatusCreated, "POST", "/case-templates", body).str("data.id")
}

// createCase creates a case of the template with the given extra attributes (a JSON
// object body without braces, e.g. `"tags":["a"]`) and returns its id.
func (h *harness) createCase(tmpl, attrs string) string {
	h.t.Helper()
	if attrs != "" {
		attrs = "," + attrs
	}
	body := `{"data":{"attributes":{"case-template-id":"` + tmpl + `"` + attrs + `}}}`
	return h.must(http.StatusCreated, "POST", "/cases", body).str("data.id")
}

// caseCount counts every case through the API.
func (h *harness) caseCount() int {
	h.t.Helper()
	n, path := 0, "/cases?page[size]=100"
	for path != "" {
		r := h.must(http.StatusOK, "GET", path, "")
		n += len(r.list("data"))
		path = r.str("links.next")
	}
	return n
}
