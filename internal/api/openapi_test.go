package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

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
	ops, err := openapi.Operations()
	if err != nil {
		return nil, err
	}
	for _, o := range ops {
		item := doc.Paths.Value(o.Path)
		d.ops[o.Pattern()] = &routers.Route{Spec: doc, Path: o.Path, PathItem: item, Method: o.Method,
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
//     schema (unless Key-Inflection asked for camel or snake keys: the document shows kebab;
//     an idempotent replay of a since-redacted response must be a RedactedReplay).
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
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams(route.Path, req.URL.Path),
		Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	if reqErr != nil && res.StatusCode < 400 {
		t.Errorf("openapi: the document refuses %s %s, which the server accepted (%d): %v\nbody: %s",
			method, req.URL.Path, res.StatusCode, reqErr, reqBody)
	}
	if k := strings.ToLower(reqHeader.Get("Key-Inflection")); k == "camel" || k == "snake" {
		opts.ExcludeResponseBody = true
	}
	if res.Header.Get("Idempotent-Replayed") == "true" && bytes.Contains(resBody, []byte(`"redacted":true`)) {
		// A replay of a response about an object since redacted has a body of its own.
		opts.ExcludeResponseBody = true
		checkSchema(t, d, "RedactedReplay", method, req.URL.Path, resBody)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode,
		Header: res.Header, Body: io.NopCloser(bytes.NewReader(resBody)), Options: opts}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("openapi: %s %s: response %d does not match the document: %v\n%s",
			method, req.URL.Path, res.StatusCode, err, clip(resBody))
	}
}

// checkSchema validates a JSON body against a component schema.
func checkSchema(t *testing.T, d *described, name, method, path string, body []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("openapi: %s %s: body is not JSON: %v", method, path, err)
		return
	}
	if err := d.doc.Components.Schemas[name].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("openapi: %s %s: body is not %s: %v\n%s", method, path, name, err, clip(body))
	}
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
