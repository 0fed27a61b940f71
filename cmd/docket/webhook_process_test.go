package main

import (
	"database/sql"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

// TestWebhookDeliveriesSurviveKill: with the receiver down, 50 cases are created; the
// docket process is killed (SIGKILL) in the middle of the retries; the receiver comes up
// and docket starts again on the same database: every case.created event arrives, each
// signed (duplicates are allowed, losses are not).
func TestWebhookDeliveriesSurviveKill(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		env := envList(webhookEnv("DOCKET_WEBHOOK_RETRY_BASE", "100ms", "DOCKET_WEBHOOK_TIMEOUT", "300ms",
			"DOCKET_WEBHOOK_DISABLE_AFTER", "0"))
		rc := newDownReceiver(t, nil)
		p := startProcessEnv(t, dbURL, env...)
		id, secret, _ := createWebhook(t, p.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, rc.url))
		tmpl := createTemplateKey(t, p.base, "WHK")
		const n = 50
		var events []string
		for range n {
			_, ev := createCase(t, p.base, tmpl)
			events = append(events, ev)
		}
		// Mid-way through the retries: every event has failed at least twice.
		eventually(t, 30*time.Second, func() (bool, string) {
			byEvent := logByEvent(deliveryLog(t, p.base, id))
			for _, ev := range events {
				if len(byEvent[ev]) < 2 {
					return false, fmt.Sprintf("event %s: %d attempts logged", ev, len(byEvent[ev]))
				}
			}
			return true, ""
		})
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-p.done
		killed := time.Now()
		t.Logf("killed; delivery jobs by state: %s", jobStates(t, dbURL))

		rc.up()
		p2 := startProcessEnv(t, dbURL, env...)
		rc.waitDelivered(t, events, 50*time.Second)
		t.Logf("all %d events delivered %s after the kill; %d attempts reached the receiver", n, time.Since(killed).Round(time.Millisecond), len(rc.all()))
		for _, h := range rc.all() {
			checkAttempt(t, h, secret)
		}
		dupes := 0
		for _, hits := range rc.delivered() {
			dupes += len(hits) - 1
		}
		if dupes > 0 {
			t.Logf("%d events were delivered more than once (allowed)", dupes)
		}
		must(t, 200)(call(t, p2.base, "GET", "/api/v1/webhooks/"+id, ""))
	})
}

// TestWebhookTwoProcessDelivery: two docket processes share one database, both running
// workers. 200 events (a third of them failing their first attempt) all arrive, and the
// receiver never has the same (event, attempt) in flight twice at once.
func TestWebhookTwoProcessDelivery(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		env := envList(webhookEnv("DOCKET_WEBHOOK_RETRY_BASE", "20ms", "DOCKET_WEBHOOK_DISABLE_AFTER", "0"))
		rc := newReceiver(t, func(h *hit) int {
			// Hold each attempt a little, so that a second worker taking the same job would
			// overlap with the first.
			time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
			f := fnv.New32a()
			f.Write([]byte(h.EventID))
			if h.Attempt == 1 && f.Sum32()%3 == 0 {
				return http.StatusBadGateway
			}
			return http.StatusOK
		})
		a := startProcessEnv(t, dbURL, env...)
		b := startProcessEnv(t, dbURL, env...)
		_, secret, _ := createWebhook(t, a.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, rc.url))
		tmpl := createTemplateKey(t, b.base, "WHP")
		body := fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}}}`, tmpl)
		if cases := createConcurrently(t, []string{a.base, b.base}, body, 8, 25, nil); len(cases) != 200 {
			t.Fatalf("created %d cases, want 200", len(cases))
		}
		events := eventIDs(t, a.base, "case.created")
		if len(events) != 200 {
			t.Fatalf("%d case.created events, want 200", len(events))
		}
		rc.waitDelivered(t, events, 40*time.Second)

		rc.mu.Lock()
		overlaps, maxInFlight := append([]string(nil), rc.overlaps...), rc.maxInFl
		rc.mu.Unlock()
		if len(overlaps) > 0 {
			t.Errorf("the same (event, attempt) was in flight twice at once: %v", overlaps)
		}
		seen := map[string]int{}
		for _, h := range rc.all() {
			checkAttempt(t, h, secret)
			seen[fmt.Sprintf("%s#%d", h.EventID, h.Attempt)]++
		}
		for k, c := range seen {
			if c > 1 {
				t.Errorf("attempt %s was made %d times", k, c)
			}
		}
		for ev, hits := range rc.delivered() {
			if len(hits) != 1 {
				t.Errorf("event %s delivered %d times", ev, len(hits))
			}
		}
		t.Logf("%d attempts, at most %d in flight at once; jobs worked by: %s", len(rc.all()), maxInFlight, jobWorkers(t, dbURL))
	})
}

// eventIDs lists the ids of every event with that name.
func eventIDs(t *testing.T, base, name string) []string {
	t.Helper()
	var out []string
	after := ""
	for {
		q := "/api/v1/events?filter[name]=" + name + "&page[size]=100"
		if after != "" {
			q += "&page[after]=" + after
		}
		_, doc := call(t, base, "GET", q, "")
		list, _ := doc["data"].([]any)
		for _, x := range list {
			out = append(out, x.(map[string]any)["id"].(string))
		}
		if len(list) < 100 {
			return out
		}
		after = out[len(out)-1]
	}
}

// openDB opens the test database directly, to report on River's job table.
func openDB(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// jobStates counts the webhook delivery jobs by state.
func jobStates(t *testing.T, dbURL string) string {
	rows, err := openDB(t, dbURL).Query(`SELECT state, count(*) FROM river_job WHERE kind = 'webhook_delivery' GROUP BY state ORDER BY state`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return err.Error()
		}
		out = append(out, fmt.Sprintf("%s=%d", state, n))
	}
	return strings.Join(out, " ")
}

// jobWorkers counts the delivery jobs by the set of River clients that worked them.
func jobWorkers(t *testing.T, dbURL string) string {
	col := "attempted_by"
	if strings.HasPrefix(dbURL, "sqlite:") {
		col = "json(attempted_by)" // JSONB on SQLite
	}
	rows, err := openDB(t, dbURL).Query(`SELECT ` + col + ` FROM river_job WHERE kind = 'webhook_delivery'`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	clients := map[string]int{}
	for rows.Next() {
		var by []byte
		if err := rows.Scan(&by); err != nil {
			return err.Error()
		}
		// attempted_by is a text[] on PostgreSQL and a JSON array on SQLite; the last
		// client named worked the last attempt.
		s := strings.Trim(string(by), "{}[]")
		parts := strings.Split(s, ",")
		clients[strings.Trim(parts[len(parts)-1], `" `)]++
	}
	return fmt.Sprint(clients)
}
