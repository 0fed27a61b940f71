package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

// fuzzServer is a server over a small SQLite database holding one of everything.
type fuzzServer struct {
	h     http.Handler
	auth  string
	paths []string
}

func newFuzzServer(tb testing.TB) *fuzzServer {
	ctx := context.Background()
	s, err := worker.OpenStore(ctx, storetest.SQLiteURL(tb))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	secret := docket.NewAPIKeySecret()
	k, err := s.CreateAPIKey(ctx, "fuzz", []string{docket.ScopeAll}, secret)
	if err != nil {
		tb.Fatal(err)
	}
	actor := docket.Actor{Type: docket.ActorAPIKey, ID: k.ID}
	u := &docket.User{Email: "ada@example.com", Role: "admin", Available: true}
	tm := &docket.CaseTemplate{Name: "KYC", Key: "KYC"}
	ref := "cust-1"
	a := &docket.Account{ReferenceID: &ref}
	for _, err := range []error{s.CreateUser(ctx, actor, u), s.CreateTemplate(ctx, actor, tm), s.CreateAccount(ctx, actor, a)} {
		if err != nil {
			tb.Fatal(err)
		}
	}
	var c *docket.Case
	for range 3 {
		if c, err = s.CreateCase(ctx, actor, docket.NewCase{TemplateID: tm.ID, Tags: []string{"x"}, ObjectIDs: []string{a.ID}}); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := s.AssignCase(ctx, actor, c.ID, u.Email); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.AddComment(ctx, actor, c.ID, "hello"); err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &fuzzServer{
		h:    api.New(s, log, api.Config{MaxBodyBytes: 1 << 20}, nil),
		auth: "Bearer " + secret,
		paths: []string{"/api/v1/cases", "/api/v1/cases/" + c.ID, "/api/v1/cases/" + c.ID + "/comments",
			"/api/v1/case-templates", "/api/v1/users", "/api/v1/accounts", "/api/v1/events"},
	}
}

// get serves one GET and decodes the response.
func (fs *fuzzServer) get(t *testing.T, path, rawQuery, inflection string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("GET", "/", nil)
	req.URL.Path, req.URL.RawQuery = path, rawQuery
	req.Header.Set("Authorization", fs.auth)
	req.Header.Set("Key-Inflection", inflection)
	rec := httptest.NewRecorder()
	fs.h.ServeHTTP(rec, req)
	var doc map[string]any
	d := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("GET %s?%s: %d, body is not JSON: %v\n%s", path, rawQuery, rec.Code, err, rec.Body)
	}
	return rec.Code, doc
}

// FuzzListQuery sends arbitrary query strings (filters, paging, include) to every list
// and read endpoint of a real server over SQLite. Bad input must be a 400 naming the
// parameter, never a 500; good input gives a page whose links can be followed.
func FuzzListQuery(f *testing.F) {
	fs := newFuzzServer(f)
	for _, seed := range []struct {
		path  uint8
		query string
	}{
		{0, ""}, {0, "filter[status]=Open&page[size]=2"}, {0, "filter[case-template-id]=ctmpl_01h455vb4pex5vsknk084sn02q"},
		{0, "filter[created-at-start]=2020-01-01T00:00:00Z&filter[created_at_end]=2999-01-01T00:00:00%2B01:00"},
		{0, "filter[assigneeId]=user_01h455vb4pex5vsknk084sn02q&include=assignee,accounts"},
		{0, "page[after]=case_01h455vb4pex5vsknk084sn02q&page[before]=case_01h455vb4pex5vsknk084sn02q"},
		{0, "page[size]=0"}, {0, "page[size]=101"}, {0, "page[size]=1&page[size]=x"}, {0, "filter[tag]=%00"},
		{1, "include=case-template,case-comments"}, {1, "include=nope"}, {2, "page[size]=1"}, {3, "filter[status]=archived"},
		{4, "page[before]=user_01h455vb4pex5vsknk084sn02q"}, {5, "filter[reference-id]=cust-1"}, {6, "filter[name]=case.created&filter[object-id]=x"},
		{6, "page[after]=%ZZ&page%5Bsize%5D=3"},
	} {
		f.Add(seed.path, seed.query, uint8(0))
	}
	inflections := []string{"", "kebab", "camel", "snake"}
	f.Fuzz(func(t *testing.T, which uint8, rawQuery string, style uint8) {
		path := fs.paths[int(which)%len(fs.paths)]
		inflection := inflections[int(style)%len(inflections)]
		status, doc := fs.get(t, path, rawQuery, inflection)
		switch status {
		case http.StatusOK:
		case http.StatusBadRequest:
			errs, _ := doc["errors"].([]any)
			item, _ := errs[0].(map[string]any)
			source, _ := item["source"].(map[string]any)
			if p, _ := source["parameter"].(string); p == "" {
				t.Fatalf("GET %s?%s: 400 names no parameter: %v", path, rawQuery, doc)
			}
			return
		default:
			t.Fatalf("GET %s?%s: status %d: %v", path, rawQuery, status, doc)
		}
		data, isList := doc["data"].([]any)
		if !isList {
			return
		}
		q, _ := url.ParseQuery(rawQuery)
		if size := q.Get("page[size]"); (size == "" && len(data) > docket.DefaultPageSize) || len(data) > docket.MaxPageSize {
			t.Fatalf("GET %s?%s: %d items", path, rawQuery, len(data))
		}
		links, _ := doc["links"].(map[string]any)
		for _, rel := range []string{"next", "prev"} {
			link, _ := links[rel].(string)
			if link == "" {
				continue
			}
			lp, lq, _ := strings.Cut(link, "?")
			if st, d := fs.get(t, lp, lq, inflection); st != http.StatusOK {
				t.Fatalf("GET %s?%s: links.%s %s gives %d: %v", path, rawQuery, rel, link, st, d)
			}
		}
	})
}

// FuzzSearchBody sends arbitrary bodies to POST /cases/search on a real server over
// SQLite: a parsed query must compile to SQL that runs, and bad input is a 400 or 422
// with a pointer into the body, never a 500.
func FuzzSearchBody(f *testing.F) {
	fs := newFuzzServer(f)
	for _, seed := range []string{
		``, `{}`, `{"query":{"attribute":"status","operator":"eq","value":"Open"}}`,
		`{"query":{"and":[{"attribute":"tag","operator":"ne","value":"x"},{"not":{"attribute":"fields.a","operator":"gt","value":1}}]},"sort":"created-at","page":{"size":1}}`,
		`{"query":{"or":[{"attribute":"fields.b","operator":"in","value":[true,"s",2.5]},{"attribute":"resolved-at","operator":"eq","value":null}]}}`,
		`{"query":{"attribute":"created-at","operator":"in","value":["now","2026-01-02T03:04:05Z"]},"sort":"-updated-at"}`,
		`{"page":{"after":"case_01h455vb4pex5vsknk084sn02q"},"sort":"updated-at"}`, `{"query":{"attribute":"colour"}}`, `[]`, `{"page":{"size":1e400}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/api/v1/cases/search", bytes.NewReader(body))
		req.Header.Set("Authorization", fs.auth)
		rec := httptest.NewRecorder()
		fs.h.ServeHTTP(rec, req)
		var doc struct {
			Data   []any
			Errors []struct {
				Source map[string]string
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %d, body is not JSON: %v", body, rec.Code, err)
		}
		switch rec.Code {
		case http.StatusOK:
			if len(doc.Data) > docket.MaxPageSize {
				t.Fatalf("%s: %d cases", body, len(doc.Data))
			}
		case http.StatusBadRequest, http.StatusUnprocessableEntity:
			if len(doc.Errors) != 1 {
				t.Fatalf("%s: %d: %s", body, rec.Code, rec.Body)
			}
		default:
			t.Fatalf("%s: status %d: %s", body, rec.Code, rec.Body)
		}
	})
}
