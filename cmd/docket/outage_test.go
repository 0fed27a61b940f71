package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// outcomes counts the answers writers got while the database was away.
type outcomes struct {
	mu     sync.Mutex
	status map[int]int
	bad    []string // answers that are not 201, nor 503 with a JSON:API error
}

func (o *outcomes) add(status int, doc map[string]any, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.status[status]++
	switch {
	case err != nil && status == 0:
		o.bad = append(o.bad, "no answer: "+err.Error())
	case status == 201:
	case status == 503:
		errs, _ := doc["errors"].([]any)
		if len(errs) != 1 || fmt.Sprint(errs[0].(map[string]any)["status"]) != "503" {
			o.bad = append(o.bad, fmt.Sprintf("503 without a JSON:API error: %v", doc))
		}
	default:
		o.bad = append(o.bad, fmt.Sprintf("%d: %v", status, doc))
	}
}

// health reads /healthz.
func health(base string) (int, map[string]string) {
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var body map[string]string
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// TestDatabaseOutage stops PostgreSQL (a private cluster) under load and starts it again:
// while it is away, writes fail with 503 and a JSON:API error, and /healthz says why;
// afterwards the server serves again, its workers deliver every webhook they had to, and
// every case acknowledged with 201 is there.
func TestDatabaseOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster and a real process")
	}
	t.Parallel()
	pg := startPGCluster(t)
	env := []string{"DOCKET_DB_WAIT=1s"}
	for k, v := range webhookEnv() {
		env = append(env, k+"="+v)
	}
	p := startProcess(t, pg.URL(), env...)
	rc := newReceiver(t, nil)
	createWebhook(t, p.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, rc.url))
	tmpl := createTemplateKey(t, p.base, "OUT")

	o := &outcomes{status: map[int]int{}}
	body := fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}}}`, tmpl)
	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				status, doc, err := tryCall(p.base, "POST", "/api/v1/cases", body)
				o.add(status, doc, err)
				if status == 201 {
					mu.Lock()
					acked = append(acked, doc["data"].(map[string]any)["id"].(string))
					mu.Unlock()
				} else {
					time.Sleep(10 * time.Millisecond) // a refused writer does not spin
				}
			}
		}()
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	eventually(t, 30*time.Second, func() (bool, string) { return count() >= 20, "fewer than 20 cases before the outage" })

	pg.stop(t)
	eventually(t, 30*time.Second, func() (bool, string) {
		o.mu.Lock()
		defer o.mu.Unlock()
		return o.status[503] >= 10, fmt.Sprintf("answers while down: %v", o.status)
	})
	status, h := health(p.base)
	if status != 503 || h["database"] != "unreachable" || !strings.Contains(h["reason"], "database") || h["since"] == "" {
		t.Fatalf("/healthz while the database is down: %d %v", status, h)
	}

	pg.start(t)
	eventually(t, 60*time.Second, func() (bool, string) {
		status, h := health(p.base)
		return status == 200, fmt.Sprintf("/healthz after the restart: %d %v", status, h)
	})
	after := count()
	eventually(t, 60*time.Second, func() (bool, string) { return count() >= after+20, "writes did not resume" })
	close(stop)
	wg.Wait()

	if len(o.bad) > 0 {
		t.Fatalf("%d answers were neither 201 nor 503 with a JSON:API error (%v), first: %s", len(o.bad), o.status, o.bad[0])
	}
	for _, id := range acked {
		must(t, 200)(call(t, p.base, "GET", "/api/v1/cases/"+id, ""))
	}
	// The workers came back: every acknowledged case's event reaches the receiver.
	eventually(t, 60*time.Second, func() (bool, string) {
		var bodies strings.Builder
		for _, h := range rc.all() {
			bodies.Write(h.Body)
		}
		all := bodies.String()
		for _, id := range acked {
			if !strings.Contains(all, id) {
				return false, "no delivery for case " + id
			}
		}
		return true, ""
	})
	t.Logf("answers: %v; %d cases acknowledged", o.status, len(acked))
}
