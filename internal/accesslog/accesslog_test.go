package accesslog_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

var ctx = context.Background()

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// things is a small app behind the recorder: it tells the recorder its route and, when
// the request says who it is, its principal, as the API and the dashboard do.
func things() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) {
		accesslog.Matched(r)
		if k := r.Header.Get("X-Test-Key"); k != "" {
			u := &docket.User{ID: "user_ada", Role: docket.RoleAdmin}
			accesslog.SetPrincipal(r.Context(), docket.KeyPrincipal(&docket.APIKey{ID: k, UserID: &u.ID}, u))
		}
		if !strings.HasPrefix(r.PathValue("id"), "case_") {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok"))
	})
	return mux
}

func get(t *testing.T, url string, headers ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestRecorderWritesOnStop records requests with a flush interval longer than the test,
// so that only Stop can have written them: shutdown loses nothing.
func TestRecorderWritesOnStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		proxy := netip.MustParsePrefix("127.0.0.1/32")
		rec := accesslog.New(s, quiet(), accesslog.Config{FlushInterval: time.Hour, TrustedProxies: []netip.Prefix{proxy}})
		rec.Start(ctx)
		srv := httptest.NewServer(rec.Handler(docket.AccessSourceAPI, things(), nil))
		defer srv.Close()

		caseID := docket.NewID(docket.PrefixCase)
		ok := get(t, srv.URL+"/things/"+caseID+"?email=jane@example.com", "X-Test-Key", "api_k1", "X-Forwarded-For", "198.51.100.4")
		missing := get(t, srv.URL+"/things/jane@example.com")
		unrouted := get(t, srv.URL+"/nowhere/jane")
		if err := rec.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		list, _, err := s.ListAccessLog(ctx, docket.AccessLogFilter{Source: docket.AccessSourceAPI, Page: docket.Page{Size: 10}})
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]*docket.AccessLogEntry{}
		for _, e := range list {
			byID[e.ID] = e
		}
		for _, tc := range []struct {
			name    string
			resp    *http.Response
			route   string
			objects []string
			actor   string
			user    string
			addr    string
			status  int
		}{
			{"a case read with a key", ok, "/things/{id}", []string{caseID}, "api_k1", "user_ada", "198.51.100.4", 200},
			{"a path value that is no id", missing, "/things/{id}", nil, "", "", "127.0.0.1", 404},
			{"no route", unrouted, "", nil, "", "", "127.0.0.1", 404},
		} {
			id := tc.resp.Header.Get(accesslog.RequestIDHeader)
			e := byID[id]
			if e == nil {
				t.Fatalf("%s: no entry for request %q among %d", tc.name, id, len(list))
			}
			actor := ""
			if e.Actor != nil {
				actor = e.Actor.ID
			}
			if e.Route != tc.route || !slices.Equal(e.ObjectIDs, tc.objects) || actor != tc.actor || e.UserID != tc.user ||
				e.ClientAddr != tc.addr || e.Status != tc.status || e.Method != "GET" {
				t.Errorf("%s: got %+v (actor %q)", tc.name, e, actor)
			}
		}
		if len(list) != 3 {
			t.Errorf("%d entries, want 3", len(list))
		}
		// Nothing the client typed beyond the route is kept.
		if got := storetest.ColumnsHolding(t, dbURL, "jane"); len(got) > 0 {
			t.Errorf("columns hold the query or path text: %v", got)
		}
		// A request after Stop is served, and not recorded.
		if resp := get(t, srv.URL+"/things/"+caseID); resp.StatusCode != 200 || rec.Dropped() != 1 {
			t.Errorf("after stop: status %d, dropped %d", resp.StatusCode, rec.Dropped())
		}
	})
}

// stalled is a store whose writes wait until released: the database cannot keep up.
type stalled struct {
	release chan struct{}
	mu      sync.Mutex
	written int
}

func (s *stalled) InsertAccessLog(ctx context.Context, entries []*docket.AccessLogEntry) error {
	select {
	case <-s.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	s.written += len(entries)
	s.mu.Unlock()
	return nil
}

// TestRecorderDropsWhenFull: when the buffer is full, requests are still served and the
// entries that find no room are counted as dropped, not waited on indefinitely.
func TestRecorderDropsWhenFull(t *testing.T) {
	st := &stalled{release: make(chan struct{})}
	rec := accesslog.New(st, quiet(), accesslog.Config{Buffer: 2, Batch: 1, Wait: time.Millisecond})
	rec.Start(ctx)
	srv := httptest.NewServer(rec.Handler(docket.AccessSourceAPI, things(), nil))
	defer srv.Close()
	const n = 20
	for range n {
		if resp := get(t, srv.URL+"/things/"+docket.NewID(docket.PrefixCase)); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	close(st.release)
	if err := rec.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	dropped := int(rec.Dropped())
	if dropped == 0 || st.written+dropped != n {
		t.Fatalf("written %d + dropped %d, want %d with some dropped", st.written, dropped, n)
	}
}
