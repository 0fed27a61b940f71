package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

// mixedLoad is what the three processes were asked to do, and what they answered.
type mixedLoad struct {
	mu       sync.Mutex
	slaCases map[string]string // id → name, template MIX: round robin, 1 s SLA
	queued   map[string]string // id → name, template QUE: in the queue
	assignee map[string]int    // MIX cases per reviewer
	claimed  map[string]int    // QUE case id → times claimed
}

func (l *mixedLoad) create(t *testing.T, base, body string, into map[string]string, rr bool) {
	status, doc, err := tryCall(base, "POST", "/api/v1/cases", body)
	if err != nil || status != 201 {
		t.Errorf("create: %d %v %v", status, err, doc)
		return
	}
	d := doc["data"].(map[string]any)
	l.mu.Lock()
	defer l.mu.Unlock()
	into[d["id"].(string)] = attr(d, "name").(string)
	if rr {
		id, _ := attr(d, "assignee-id").(string)
		l.assignee[id]++
	}
}

// claim takes cases from the queue until it is empty; false if it was empty at once.
func (l *mixedLoad) claim(t *testing.T, base, queue, email string) bool {
	got := false
	for {
		status, doc, err := tryCall(base, "POST", "/api/v1/case-queues/"+queue+"/claim",
			fmt.Sprintf(`{"meta":{"user-email-address":%q}}`, email))
		if err != nil || status != 200 {
			t.Errorf("claim: %d %v %v", status, err, doc)
			return got
		}
		d, _ := doc["data"].(map[string]any)
		if d == nil {
			return got
		}
		got = true
		l.mu.Lock()
		l.claimed[d["id"].(string)]++
		l.mu.Unlock()
	}
}

// gapless checks that names are KEY-1 ... KEY-n, each once.
func gapless(t *testing.T, key string, names map[string]string) {
	t.Helper()
	var nums []int
	for _, n := range names {
		var i int
		if _, err := fmt.Sscanf(strings.TrimPrefix(n, key+"-"), "%d", &i); err != nil {
			t.Fatalf("case name %q", n)
		}
		nums = append(nums, i)
	}
	sort.Ints(nums)
	for i, n := range nums {
		if n != i+1 {
			t.Fatalf("%s names: %d where %d was due (duplicate or gap) among %d", key, n, i+1, len(nums))
		}
	}
}

// TestThreeProcesses runs three docket serve processes on one PostgreSQL database under
// mixed load for a bounded amount of work: case creation on two templates (one with
// round-robin assignment and a one-second SLA, one feeding a queue), queue claims, SLA
// checks every 100 ms in every process, a webhook on case.created and a workflow run on
// every case. Then: names are unique and gapless per template, round robin is even, each
// queued case was claimed exactly once, each SLA case breached exactly once, every case
// has exactly one completed workflow run, and every case.created reached the webhook
// (at least once: deliveries may repeat).
func TestThreeProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	t.Parallel()
	dbURL := storetest.PostgresURL(t)
	env := []string{"DOCKET_SLA_CHECK_INTERVAL=100ms"}
	for k, v := range webhookEnv() {
		env = append(env, k+"="+v)
	}
	procs := []*process{startProcessEnv(t, dbURL, env...), startProcessEnv(t, dbURL, env...), startProcessEnv(t, dbURL, env...)}
	a := procs[0].base
	rc := newReceiver(t, nil)
	createWebhook(t, a, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, rc.url))
	var reviewers []string
	for i := range 3 {
		u := must(t, 201)(call(t, a, "POST", "/api/v1/users",
			fmt.Sprintf(`{"data":{"attributes":{"email-address":"r%d@example.com","role":"reviewer"}}}`, i)))
		reviewers = append(reviewers, fmt.Sprintf("%q", u["id"]))
	}
	mix := must(t, 201)(call(t, a, "POST", "/api/v1/case-templates", fmt.Sprintf(
		`{"data":{"attributes":{"name":"Mixed","key":"MIX","assignment-policy":{"type":"round-robin","user-ids":[%s]}}}}`,
		strings.Join(reviewers, ","))))["id"].(string)
	que := must(t, 201)(call(t, a, "POST", "/api/v1/case-templates", `{"data":{"attributes":{"name":"Queued","key":"QUE"}}}`))["id"].(string)
	queue := must(t, 201)(call(t, a, "POST", "/api/v1/case-queues", fmt.Sprintf(
		`{"data":{"attributes":{"name":"Backlog","filter":{"case-template-ids":[%q],"assignee":"unassigned"}}}}`, que)))["id"].(string)
	wf := publishWorkflow(t, a, "Tag every case", `{"trigger":{"type":"event","event":"case.created"},
		"steps":[{"id":"tag","type":"action","action":"tag-object","params":{"tags":["seen"]}}]}`)

	l := &mixedLoad{slaCases: map[string]string{}, queued: map[string]string{}, assignee: map[string]int{}, claimed: map[string]int{}}
	slaBody := fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}},"meta":{"sla-expires-in-seconds":1}}`, mix)
	queBody := fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q,"case-queue-id":%q}}}`, que, queue)
	const perWriter = 25
	var writers, claimers sync.WaitGroup
	done := make(chan struct{})
	for w := range 6 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			base := procs[w%3].base
			for range perWriter {
				if w%2 == 0 {
					l.create(t, base, slaBody, l.slaCases, true)
				} else {
					l.create(t, base, queBody, l.queued, false)
				}
			}
		}()
	}
	for i, p := range procs {
		claimers.Add(1)
		go func() {
			defer claimers.Done()
			for {
				select {
				case <-done:
					l.claim(t, p.base, queue, fmt.Sprintf("r%d@example.com", i)) // what is left
					return
				default:
					if !l.claim(t, p.base, queue, fmt.Sprintf("r%d@example.com", i)) {
						time.Sleep(20 * time.Millisecond)
					}
				}
			}
		}()
	}
	writers.Wait()
	close(done)
	claimers.Wait()
	if t.Failed() {
		return
	}

	n := 3 * perWriter
	if len(l.slaCases) != n || len(l.queued) != n {
		t.Fatalf("created %d MIX and %d QUE cases, want %d each", len(l.slaCases), len(l.queued), n)
	}
	gapless(t, "MIX", l.slaCases)
	gapless(t, "QUE", l.queued)
	for id, c := range l.assignee {
		if id == "" || c < n/3-1 || c > n/3+1 {
			t.Fatalf("uneven round robin: %v", l.assignee)
		}
	}
	for id := range l.queued {
		if l.claimed[id] != 1 {
			t.Fatalf("queued case %s claimed %d times", l.queued[id], l.claimed[id])
		}
	}
	if len(l.claimed) != n {
		t.Fatalf("%d cases claimed, want %d", len(l.claimed), n)
	}

	// SLA checks: every MIX case breached exactly once, whichever process saw it.
	eventually(t, 60*time.Second, func() (bool, string) {
		ev := slaEventCases(t, a)
		for id, name := range l.slaCases {
			if ev[id] == 0 {
				return false, name + " has no case.sla-expired yet"
			}
		}
		return true, ""
	})
	for id, c := range slaEventCases(t, a) {
		if c != 1 {
			t.Fatalf("case %s: %d case.sla-expired events", id, c)
		}
	}

	// Workflows: one completed run per case.
	all := map[string]string{}
	for id, name := range l.slaCases {
		all[id] = name
	}
	for id, name := range l.queued {
		all[id] = name
	}
	for id := range all {
		runOn(t, a, wf, id, "completed")
	}

	// Webhooks: every case.created delivered, at least once.
	eventually(t, 60*time.Second, func() (bool, string) {
		var bodies strings.Builder
		for _, h := range rc.all() {
			bodies.Write(h.Body)
		}
		got := bodies.String()
		for id, name := range all {
			if !strings.Contains(got, id) {
				return false, "no delivery for " + name
			}
		}
		return true, ""
	})
}
