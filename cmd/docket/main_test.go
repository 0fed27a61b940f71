package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

const testKey = "docket_testbootstrapkey0123456789"

// server is a docket serve started through run, as main would, on a free port.
type server struct {
	base string
	stop func() error
	// log returns what the server has logged so far (startServerEnv only).
	log func() string
}

func startServer(t *testing.T, dbURL string) *server {
	t.Helper()
	env := map[string]string{"DOCKET_BOOTSTRAP_API_KEY": testKey, "DOCKET_DATABASE_URL": dbURL, "DOCKET_LOG_LEVEL": "warn"}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	var out bytes.Buffer
	go func() {
		errc <- runWith(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, func(k string) string { return env[k] },
			io.Discard, &syncWriter{w: &out}, func(addr string) { addrc <- addr })
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
	stopped := false
	s.stop = func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-errc
	}
	t.Cleanup(func() { s.stop() })
	waitHealthy(t, s.base)
	return s
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(b)
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s/healthz never answered 200", base)
}

// call sends a request with the bootstrap key and decodes the JSON answer.
func call(t *testing.T, base, method, path, body string) (int, map[string]any) {
	t.Helper()
	status, doc, err := tryCall(base, method, path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return status, doc
}

func tryCall(base, method, path, body string) (int, map[string]any, error) {
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var doc map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("decode: %w", err)
	}
	return resp.StatusCode, doc, nil
}

// must asserts the status and returns data.
func must(t *testing.T, want int) func(int, map[string]any) map[string]any {
	return func(status int, doc map[string]any) map[string]any {
		t.Helper()
		if status != want {
			t.Fatalf("status %d, want %d: %v", status, want, doc)
		}
		d, _ := doc["data"].(map[string]any)
		return d
	}
}

func attr(d map[string]any, key string) any {
	return d["attributes"].(map[string]any)[key]
}

// TestReadmeWalkthrough follows the README's curl walkthrough through a real server:
// create a template, a user and an account, open a case with the account attached,
// assign it, approve it, and read its events. Then the server restarts on the same
// database and everything is still there.
func TestReadmeWalkthrough(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := startServer(t, dbURL)
		tmpl := must(t, 201)(call(t, s.base, "POST", "/api/v1/case-templates",
			`{"data":{"attributes":{"name":"KYC review","key":"KYC","field-schemas":[{"key":"reason","type":"string"}]}}}`))
		must(t, 201)(call(t, s.base, "POST", "/api/v1/users", `{"data":{"attributes":{"email-address":"ada@example.com","name":"Ada","role":"reviewer"}}}`))
		acct := must(t, 201)(call(t, s.base, "POST", "/api/v1/accounts", `{"data":{"attributes":{"reference-id":"user-123"}}}`))
		c := must(t, 201)(call(t, s.base, "POST", "/api/v1/cases", fmt.Sprintf(
			`{"data":{"attributes":{"case-template-id":%q,"fields":{"reason":"under-18"}}},"meta":{"object-ids":[%q]}}`, tmpl["id"], acct["id"])))
		if attr(c, "name") != "KYC-1" || attr(c, "status") != "Open" {
			t.Fatalf("new case: %v", c)
		}
		id := c["id"].(string)
		must(t, 200)(call(t, s.base, "POST", "/api/v1/cases/"+id+"/assign", `{"meta":{"user-email-address":"ada@example.com"}}`))
		done := must(t, 200)(call(t, s.base, "POST", "/api/v1/cases/"+id+"/set-status", `{"meta":{"status":"Approved"}}`))
		if attr(done, "resolution") != "Approved" || attr(done, "resolved-at") == nil {
			t.Fatalf("approved case: %v", done)
		}
		_, events := call(t, s.base, "GET", "/api/v1/events?filter[object-id]="+id+"&page[size]=100", "")
		var names []string
		for _, e := range events["data"].([]any) {
			names = append(names, attr(e.(map[string]any), "name").(string))
		}
		want := "case.resolved,case.status-updated,case.assigned,case.created"
		if strings.Join(names, ",") != want {
			t.Fatalf("events %v, want %s", names, want)
		}
		if err := s.stop(); err != nil {
			t.Fatalf("clean stop: %v", err)
		}

		s = startServer(t, dbURL)
		again := must(t, 200)(call(t, s.base, "GET", "/api/v1/cases/"+id+"?include=accounts", ""))
		if attr(again, "status") != "Approved" || attr(again, "assignee-id") == nil {
			t.Fatalf("after restart: %v", again)
		}
		next := must(t, 201)(call(t, s.base, "POST", "/api/v1/cases", fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}}}`, tmpl["id"])))
		if attr(next, "name") != "KYC-2" {
			t.Fatalf("numbering after restart: %v", attr(next, "name"))
		}
	})
}
