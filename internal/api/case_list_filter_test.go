package api_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a settable clock for the store, set before the server serves anything.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// TestCaseListSearchSortAndStates covers the filters the dashboard's case list added to
// GET /cases: assignee me and unassigned, SLA states, the search box, the SLA order and
// its paging.
func TestCaseListSearchSortAndStates(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		clock := &testClock{now: time.Now().UTC().Truncate(time.Millisecond)}
		h.store.Now = clock.Now
		vars := caseVars(h) // KYC: a one-hour SLA
		vars["other"] = h.createTemplate(`{"data":{"attributes":{"name":"Other","key":"OTH"}}}`)
		_, rev := h.userKey("rev@example.com", "reviewer", "*")
		vars["k1"] = h.createCase(vars["tmpl"], "")
		clock.Add(time.Second)
		vars["k2"] = h.must(201, "POST", "/cases", `{"data":{"attributes":{"case-template-id":"`+vars["tmpl"]+
			`"}},"meta":{"sla-expires-in-seconds":60}}`).str("data.id")
		clock.Add(time.Second)
		vars["o1"] = h.createCase(vars["other"], "")
		clock.Add(time.Second)
		vars["k3"] = h.createCase(vars["tmpl"], "")
		h.must(200, "POST", "/cases/"+vars["o1"]+"/add-objects", `{"meta":{"object-ids":["`+vars["act"]+`"]}}`)
		h.must(200, "POST", "/cases/"+vars["k1"]+"/assign", `{"meta":{"user-email-address":"rev@example.com"}}`)
		h.must(200, "POST", "/cases/"+vars["k3"]+"/set-status", `{"meta":{"status":"Approved"}}`)
		clock.Add(10 * time.Minute) // KYC-2's SLA has expired; KYC-1's has not

		all := []string{"k1", "k2", "o1", "k3"}
		only := func(name, query string, in ...string) step {
			st := step{name: name, method: "GET", path: "/cases?" + query, status: 200}
			for _, c := range all {
				if frag := `"id":"{{` + c + `}}"`; slices.Contains(in, c) {
					st.want = append(st.want, frag)
				} else {
					st.not = append(st.not, frag)
				}
			}
			return st
		}
		bad := func(name, query, param string) step {
			return step{name: name, method: "GET", path: "/cases?" + query, status: 400,
				want: []string{`"source":{"parameter":"` + param + `"}`}}
		}
		asRev := func(st step) step { st.headers = []string{"Authorization", rev}; return st }
		h.scenario(t, vars, []step{
			only("unassigned", "filter[assignee-id]=unassigned", "k2", "o1", "k3"),
			asRev(only("me, for a key that belongs to a user", "filter[assignee-id]=me", "k1")),
			bad("me, for a key that belongs to nobody", "filter[assignee-id]=me", "filter[assignee-id]"),
			only("breached", "filter[sla]=breached", "k2"),
			only("due: open, not yet breached", "filter[sla]=due", "k1"),
			only("no SLA", "filter[sla]=none", "o1"),
			bad("unknown SLA state", "filter[sla]=late", "filter[sla]"),
			only("search box: a name in any case", "filter[q]=kyc-2", "k2"),
			only("search box: a reference id", "filter[q]=cust-1", "o1"),
			only("search box: a case id", "filter[q]={{k3}}", "k3"),
			only("search box: nothing", "filter[q]=nobody", ""),
			only("search box and SLA state", "filter[q]=OTH-1&filter[sla]=none", "o1"),
			only("created on a day", "filter[created-at-start]=2000-01-01&filter[created-at-end]=2999-12-31", all...),
			only("created before a day", "filter[created-at-end]=2000-01-01"),
			bad("unknown sort", "sort=oldest", "sort"),
		})

		// SLA then age: KYC-2 (a minute), KYC-1 and KYC-3 (an hour, oldest first), then
		// the case without an SLA; pages keep the order both ways.
		order := func(path string, want ...string) *resp {
			t.Helper()
			r := h.must(200, "GET", path, "")
			var names []string
			for _, id := range r.ids() {
				for k, v := range vars {
					if v == id {
						names = append(names, k)
					}
				}
			}
			if strings.Join(names, ",") != strings.Join(want, ",") {
				t.Fatalf("GET %s: %v, want %v", path, names, want)
			}
			return r
		}
		order("/cases?sort=sla-expires-at", "k2", "k1", "k3", "o1")
		order("/cases?sort=-created-at", "k3", "o1", "k2", "k1")
		first := order("/cases?sort=sla-expires-at&page[size]=2", "k2", "k1")
		if next := first.str("links.next"); !strings.Contains(next, "sort=sla-expires-at") {
			t.Fatalf("next link %q drops the order", next)
		}
		second := order(first.str("links.next"), "k3", "o1")
		if second.str("links.next") != "" {
			t.Fatalf("a next link after the last page: %s", second.raw)
		}
		order(second.str("links.prev"), "k2", "k1")
	})
}
