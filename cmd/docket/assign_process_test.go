package main

import (
	"fmt"
	"sync"
	"testing"

	"github.com/docket-hq/docket/internal/storetest"
)

// TestTwoProcessesRoundRobin creates 3,000 cases through two docket processes at once on a
// round-robin template over three reviewers: each reviewer gets 1,000 ± 1.
func TestTwoProcessesRoundRobin(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs real processes")
	}
	storetest.Each(t, func(t *testing.T, dbURL string) {
		a := startProcess(t, dbURL)
		b := startProcess(t, dbURL)
		var users []string
		for i := range 3 {
			u := must(t, 201)(call(t, a.base, "POST", "/api/v1/users",
				fmt.Sprintf(`{"data":{"attributes":{"email-address":"rr%d@example.com","role":"reviewer"}}}`, i)))
			users = append(users, fmt.Sprintf("%q", u["id"]))
		}
		tmpl := must(t, 201)(call(t, a.base, "POST", "/api/v1/case-templates", fmt.Sprintf(
			`{"data":{"attributes":{"name":"Alerts","key":"AML","assignment-policy":{"type":"round-robin","user-ids":[%s,%s,%s]}}}}`,
			users[0], users[1], users[2])))
		body := fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}}}`, tmpl["id"])
		var mu sync.Mutex
		perUser := map[string]int{}
		var wg sync.WaitGroup
		for w := range 15 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				base := []string{a.base, b.base}[w%2]
				for range 200 {
					status, doc, err := tryCall(base, "POST", "/api/v1/cases", body)
					if err != nil || status != 201 {
						t.Errorf("create: %d %v %v", status, err, doc)
						return
					}
					id, _ := attr(doc["data"].(map[string]any), "assignee-id").(string)
					mu.Lock()
					perUser[id]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		total := 0
		for _, n := range perUser {
			total += n
		}
		for id, n := range perUser {
			if id == "" || total != 3000 || n < 999 || n > 1001 {
				t.Fatalf("uneven round robin over %d cases: %v", total, perUser)
			}
		}
		t.Logf("%d cases: %v", total, perUser)
	})
}
