package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/api/openapi"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/jsonapi"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

// described is the OpenAPI document loaded by kin-openapi, with a router that finds an
// operation by the same net/http patterns the server registers.
type described struct {
	doc *openapi3.T
	mux *http.ServeMux
	ops map[string]*routers.Route // pattern -> operation
	*schemaSet
}

// schemaSet compiles the schemas of one OpenAPI document for body validation, each on
// first use (compiling is what costs: kin-openapi compiles at every validation).
type schemaSet struct {
	url string // names the document for the compiler
	raw any    // the document as plain JSON values

	mu       sync.Mutex // guards compiler and compiled
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema // by JSON pointer into the document
}

func newSchemaSet(url string, docJSON []byte) (*schemaSet, error) {
	s := &schemaSet{url: url, compiler: jsonschema.NewCompiler(), compiled: map[string]*jsonschema.Schema{}}
	var err error
	if s.raw, err = jsonschema.UnmarshalJSON(bytes.NewReader(docJSON)); err != nil {
		return nil, err
	}
	s.compiler.DefaultDraft(jsonschema.Draft2020)
	if err := s.compiler.AddResource(url, s.raw); err != nil {
		return nil, err
	}
	return s, nil
}

var loadDescribed = sync.OnceValues(func() (*described, error) {
	b, err := openapi.JSON()
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	for _, ct := range []string{"application/x-ndjson", "text/html", "text/css"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
	}
	d := &described{doc: doc, mux: http.NewServeMux(), ops: map[string]*routers.Route{}}
	if d.schemaSet, err = newSchemaSet("https://docket.invalid/openapi.json", b); err != nil {
		return nil, err
	}
	ops, err := openapi.Operations()
	if err != nil {
		return nil, err
	}
	// openapi3filter checks parameters with a JSON Schema 2020-12 validator compiled at every
	// call for a 3.1 document. Docket's parameters use nothing of 3.1 (plain strings,
	// integers, enums), so the router's copy of the document says 3.0 and kin-openapi checks
	// them with its own validator; bodies are checked with compiled 2020-12 schemas below.
	paramSpec := *doc
	paramSpec.OpenAPI = "3.0.3"
	for _, o := range ops {
		item := doc.Paths.Value(o.Path)
		d.ops[o.Pattern()] = &routers.Route{Spec: &paramSpec, Path: o.Path, PathItem: item, Method: o.Method,
			Operation: item.GetOperation(o.Method)}
		d.mux.Handle(o.Pattern(), http.NotFoundHandler())
	}
	return d, nil
})

// checkDescribed validates a request the tests made, and the server's response, against
// the OpenAPI document (called by harness.do for every request):
//   - a request to a route the document lacks must have been refused as 404 or 405;
//   - a request the document refuses must have been refused by the server too (4xx): the
//     document may not promise less than the server takes;
//   - the response's status must be one the operation lists, and its body must match the
//     schema (with its keys turned back to kebab-case when Key-Inflection asked for camel or
//     snake; an idempotent replay of a since-redacted response must be a RedactedReplay).
//
// Request bodies are checked with their keys in kebab-case, as the server reads them.
func checkDescribed(t *testing.T, method, url string, reqHeader http.Header, reqBody string, res *http.Response, resBody []byte) {
	t.Helper()
	d, err := loadDescribed()
	if err != nil {
		t.Fatalf("openapi: %v", err)
	}
	req, err := http.NewRequest(method, url, strings.NewReader(kebabBody(reqBody)))
	if err != nil {
		t.Fatalf("openapi: %v", err)
	}
	req.Header = reqHeader.Clone()
	_, pattern := d.mux.Handler(req)
	route := d.ops[pattern]
	if route == nil {
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("openapi: %s %s is not described, yet answered %d", method, req.URL.Path, res.StatusCode)
		}
		checkSchema(t, d, "Errors", method, req.URL.Path, resBody)
		return
	}
	// kin-openapi checks parameters and statuses; bodies are checked with schemas compiled
	// once (kin-openapi compiles a schema at every validation, which doubled the suite's time).
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true,
		ExcludeRequestBody: true, ExcludeResponseBody: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams(route.Path, req.URL.Path),
		Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	if reqErr == nil {
		reqErr = d.checkRequestBody(route, reqBody)
	}
	if reqErr != nil && res.StatusCode < 400 {
		t.Errorf("openapi: the document refuses %s %s, which the server accepted (%d): %v\nbody: %s",
			method, req.URL.Path, res.StatusCode, reqErr, reqBody)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode,
		Header: res.Header, Body: io.NopCloser(bytes.NewReader(resBody)), Options: opts}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("openapi: %s %s: response %d does not match the document: %v", method, req.URL.Path, res.StatusCode, err)
		return
	}
	if k := strings.ToLower(reqHeader.Get("Key-Inflection")); k == "camel" || k == "snake" {
		// The document shows kebab-case keys: check the body with its keys turned back
		// (user-defined fields are kept as they are, as the server keeps them).
		resBody = []byte(kebabBody(string(resBody)))
	}
	switch {
	case res.Header.Get("Idempotent-Replayed") == "true" && bytes.Contains(resBody, []byte(`"redacted":true`)):
		// A replay of a response about an object since redacted has a body of its own.
		checkSchema(t, d, "RedactedReplay", method, req.URL.Path, resBody)
		return
	}
	if err := d.checkResponseBody(route, res, resBody); err != nil {
		t.Errorf("openapi: %s %s: response %d does not match the document: %v\n%s", method, req.URL.Path, res.StatusCode, err, clip(resBody))
	}
}

// checkSchema validates a JSON body against a component schema.
func checkSchema(t *testing.T, d *described, name, method, path string, body []byte) {
	t.Helper()
	if err := d.validate("/components/schemas/"+name, body); err != nil {
		t.Errorf("openapi: %s %s: body is not %s: %v\n%s", method, path, name, err, clip(body))
	}
}

// validate checks a JSON body against the schema at ptr, compiled on first use.
func (s *schemaSet) validate(ptr string, body []byte) error {
	sch, err := s.schema(ptr)
	if err != nil {
		return err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(v)
}

func (s *schemaSet) schema(ptr string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.compiled[ptr]; ok {
		return sch, nil
	}
	sch, err := s.compiler.Compile(s.url + "#" + ptr)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", ptr, err)
	}
	s.compiled[ptr] = sch
	return sch, nil
}

// node returns the value at a JSON pointer and the pointer itself, following a $ref
// there (to a component response or request body).
func (s *schemaSet) node(ptr string) (map[string]any, string) {
	var v any = s.raw
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		m, _ := v.(map[string]any)
		v = m[strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)]
	}
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		return s.node(strings.TrimPrefix(ref, "#"))
	}
	return m, ptr
}

func opPointer(route *routers.Route) string { return pathPointer(route.Method, route.Path) }

// pathPointer is the JSON pointer of an operation in a document.
func pathPointer(method, path string) string {
	esc := strings.NewReplacer("~", "~0", "/", "~1")
	return "/paths/" + esc.Replace(path) + "/" + strings.ToLower(method)
}

// checkRequestBody checks a request body (keys in kebab-case) against the operation's.
func (d *described) checkRequestBody(route *routers.Route, body string) error {
	rb, ptr := d.node(opPointer(route) + "/requestBody")
	if body == "" {
		if required, _ := rb["required"].(bool); required {
			return errors.New("the request body is required")
		}
		return nil
	}
	if rb == nil {
		return nil // the server reads no body here (and refuses one that is not empty)
	}
	if err := d.validate(ptr+"/content/application~1json/schema", []byte(kebabBody(body))); err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}

// checkResponseBody checks a response's content type and body against the operation's
// response for its status.
func (d *described) checkResponseBody(route *routers.Route, res *http.Response, body []byte) error {
	r, ptr := d.node(opPointer(route) + "/responses/" + strconv.Itoa(res.StatusCode))
	content, _ := r["content"].(map[string]any)
	if len(content) == 0 {
		if len(body) > 0 {
			return errors.New("the document describes no body, yet there is one")
		}
		return nil
	}
	mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if _, ok := content[mt]; !ok {
		return fmt.Errorf("content type %q is not described", mt)
	}
	if mt != "application/json" {
		return nil
	}
	return d.validate(ptr+"/content/application~1json/schema", body)
}

// kebabBody rewrites a JSON request body's keys in kebab-case, as the server reads them
// (values under user-defined fields are kept); anything else is left as it is.
func kebabBody(body string) string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return body
	}
	b, err := json.Marshal(jsonapi.NormalizeKeys(v))
	if err != nil {
		return body
	}
	return string(b)
}

// pathParams matches a path against a templated path ("/api/v1/cases/{id}").
func pathParams(template, path string) map[string]string {
	out := map[string]string{}
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	for i, seg := range ts {
		if i < len(ps) && strings.HasPrefix(seg, "{") {
			out[strings.Trim(seg, "{}")] = ps[i]
		}
	}
	return out
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "..."
	}
	return string(b)
}

// fakeLinks stands in for the sign-in service, so that the password-reset route exists.
type fakeLinks struct{}

func (fakeLinks) IssueLink(context.Context, string, string) (*auth.Link, error) {
	return nil, errors.New("not used")
}

// TestOpenAPIDescribesEveryRoute fails for a route in routes.go that the document does
// not describe, and for a described endpoint that no route serves.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	st, err := worker.OpenStore(context.Background(), storetest.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv := api.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Config{Links: fakeLinks{}}, nil)
	routes := srv.Routes()
	ops, err := openapi.Operations()
	if err != nil {
		t.Fatal(err)
	}
	var described []string
	for _, o := range ops {
		described = append(described, o.Pattern())
		if o.Op["summary"] == nil || o.Op["operationId"] == nil {
			t.Errorf("%s has no summary or operationId", o.Pattern())
		}
	}
	for _, r := range routes {
		if !slices.Contains(described, r) {
			t.Errorf("route %s is not described in internal/api/openapi (add it to its resource's file)", r)
		}
	}
	for _, p := range described {
		if !slices.Contains(routes, p) {
			t.Errorf("internal/api/openapi describes %s, which routes.go does not serve", p)
		}
	}
	if _, err := loadDescribed(); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
}

// TestOpenAPIServed: the document and its reference page are served without a key; the
// page shows every operation, loads only its own stylesheet and has no script.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		want, err := openapi.JSON()
		if err != nil {
			t.Fatal(err)
		}
		doc := h.must(http.StatusOK, "GET", "/openapi.json", "", "Authorization", "")
		if doc.raw != string(want) || get(doc.doc, "openapi") != "3.1.0" {
			t.Errorf("GET /openapi.json is not the assembled document")
		}
		page := h.must(http.StatusOK, "GET", "/docs", "", "Authorization", "")
		if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("reference page CSP %q", csp)
		}
		ops, _ := openapi.Operations()
		for _, o := range ops {
			if id := o.Op["operationId"].(string); !strings.Contains(page.raw, `id="`+id+`"`) {
				t.Errorf("the reference page lacks %s (%s)", o.Pattern(), id)
			}
		}
		for _, bad := range []string{"<script", "style=", " src=", `href="http`} {
			if strings.Contains(page.raw, bad) {
				t.Errorf("the reference page holds %q: it must work offline under its CSP", bad)
			}
		}
		css := h.must(http.StatusOK, "GET", "/docs/reference.css", "", "Authorization", "")
		if !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.raw, ".op") {
			t.Errorf("stylesheet: %s", css.header.Get("Content-Type"))
		}
	})
}
