package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestCaseListFilters(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["other"] = h.createTemplate(`{"data":{"attributes":{"name":"Other","key":"OTH"}}}`)
		vars["c1"] = h.createCase(vars["tmpl"], `"tags":["x"]`)
		vars["c2"] = h.createCase(vars["tmpl"], `"tags":["y"]`)
		vars["c3"] = h.createCase(vars["other"], "")
		h.must(200, "POST", "/cases/"+vars["c1"]+"/add-objects", `{"meta":{"object-ids":["`+vars["act"]+`"]}}`)
		h.must(200, "POST", "/cases/"+vars["c1"]+"/assign", `{"meta":{"user-email-address":"ada@example.com"}}`)
		h.must(200, "POST", "/cases/"+vars["c1"]+"/set-status", `{"meta":{"status":"Approved"}}`)
		only := func(name, query string, in ...string) step {
			st := step{name: name, method: "GET", path: "/cases?" + query, status: 200}
			for _, c := range []string{"c1", "c2", "c3"} {
				frag := `"id":"{{` + c + `}}"`
				if slices.Contains(in, c) {
					st.want = append(st.want, frag)
				} else {
					st.not = append(st.not, frag)
				}
			}
			return st
		}
		bad := func(name, query, param string) step {
			return step{name: name, method: "GET", path: "/cases?" + query, status: 400,
				want: []string{`"source":{"parameter":"` + param + `"}`, `"title":"Bad Request"`}}
		}
		h.scenario(t, vars, []step{
			only("no filter", "", "c1", "c2", "c3"),
			only("status", "filter[status]=Approved", "c1"),
			only("status open", "filter[status]=Open", "c2", "c3"),
			only("template", "filter[case-template-id]={{other}}", "c3"),
			only("template snake", "filter[case_template_id]={{tmpl}}", "c1", "c2"),
			only("template camel", "filter[caseTemplateId]={{tmpl}}", "c1", "c2"),
			only("assignee", "filter[assignee-id]={{user}}", "c1"),
			only("queue", "filter[case-queue-id]=cqueue_01h455vb4pex5vsknk084sn02q"),
			only("account", "filter[account-id]={{act}}", "c1"),
			only("other account", "filter[account-id]={{act2}}"),
			only("inquiry", "filter[inquiry-id]=inq_01h455vb4pex5vsknk084sn02q"),
			only("transaction", "filter[transaction-id]=txn_01h455vb4pex5vsknk084sn02q"),
			only("reference", "filter[reference-id]=cust-1", "c1"),
			only("unknown reference", "filter[reference-id]=cust-9"),
			only("tag", "filter[tag]=y", "c2"),
			only("created since 2000", "filter[created-at-start]=2000-01-01T00:00:00Z", "c1", "c2", "c3"),
			only("created after 2999", "filter[created-at-start]=2999-01-01T00:00:00Z"),
			only("created before 2000", "filter[created-at-end]=2000-01-01T00:00:00%2B02:00"),
			only("created before 2999", "filter[created_at_end]=2999-01-01T00:00:00.5Z", "c1", "c2", "c3"),
			only("combined", "filter[case-template-id]={{tmpl}}&filter[status]=Open", "c2"),
			{name: "include on a list", method: "GET", path: "/cases?filter[assignee-id]={{user}}&include=assignee,accounts", status: 200,
				want: []string{`"included":[`, `"id":"{{user}}"`, `"id":"{{act}}"`}},
			bad("bad template id", "filter[case-template-id]=nope", "filter[case-template-id]"),
			bad("template id of another kind", "filter[case-template-id]={{c1}}", "filter[case-template-id]"),
			bad("bad assignee", "filter[assignee-id]={{act}}", "filter[assignee-id]"),
			bad("bad queue", "filter[case-queue-id]=queue", "filter[case-queue-id]"),
			bad("bad account", "filter[account-id]={{user}}", "filter[account-id]"),
			bad("bad inquiry", "filter[inquiry-id]=inq_", "filter[inquiry-id]"),
			bad("bad transaction", "filter[transaction-id]=txn_x", "filter[transaction-id]"),
			bad("bad start", "filter[created-at-start]=yesterday", "filter[created-at-start]"),
			bad("bad end", "filter[created-at-end]=2020-13-01T00:00:00Z", "filter[created-at-end]"),
			bad("page size 0", "page[size]=0", "page[size]"),
			bad("page size 101", "page[size]=101", "page[size]"),
			bad("page size negative", "page[size]=-1", "page[size]"),
			bad("page size words", "page[size]=ten", "page[size]"),
			bad("cursor garbage", "page[after]=garbage", "page[after]"),
			bad("cursor of another kind", "page[after]={{act}}", "page[after]"),
			bad("before cursor garbage", "page[before]=case_zzz", "page[before]"),
			bad("both cursors", "page[after]={{c1}}&page[before]={{c2}}", "page[before]"),
			bad("bad include", "include=everything", "include"),
			{name: "page size 100", method: "GET", path: "/cases?page[size]=100", status: 200},
			{name: "page size 1", method: "GET", path: "/cases?page[size]=1", status: 200,
				want: []string{`"id":"{{c3}}"`, `"next":"/api/v1/cases?page%5Bafter%5D={{c3}}&page%5Bsize%5D=1"`, `"prev":null`}},
		})
	})
}

func TestCasePaging(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		var created []string
		for i := range 25 {
			created = append(created, h.createCase(tmpl, fmt.Sprintf(`"tags":["paged"],"fields":{"riskScore":%d}`, i)))
		}
		h.createCase(tmpl, "") // untagged: the filter must hold across pages
		// Walk forward with links.next.
		var pages [][]string
		path := "/cases?page[size]=10&filter[tag]=paged"
		for path != "" {
			r := h.must(200, "GET", path, "")
			pages = append(pages, r.ids())
			if len(pages) == 1 && r.str("links.prev") != "" {
				t.Errorf("first page has links.prev %q", r.str("links.prev"))
			}
			if next := r.str("links.next"); next != "" && !strings.Contains(next, "filter%5Btag%5D=paged") {
				t.Errorf("links.next %q dropped the filter", next)
			}
			path = r.str("links.next")
			if len(pages) > 5 {
				t.Fatal("links.next never ends")
			}
		}
		sizes := []int{}
		var all []string
		for _, p := range pages {
			sizes = append(sizes, len(p))
			all = append(all, p...)
		}
		if !slices.Equal(sizes, []int{10, 10, 5}) {
			t.Fatalf("page sizes %v, want [10 10 5]", sizes)
		}
		want := slices.Clone(created)
		slices.Reverse(want) // newest first
		if !slices.Equal(all, want) {
			t.Fatalf("paging visited\n%v\nwant each case once, newest first\n%v", all, want)
		}
		// Walk back with links.prev from the last page.
		last := h.must(200, "GET", "/cases?page[size]=10&filter[tag]=paged&page[after]="+pages[1][9], "")
		if !slices.Equal(last.ids(), pages[2]) || last.str("links.next") != "" {
			t.Fatalf("last page %v next %q, want %v and no next", last.ids(), last.str("links.next"), pages[2])
		}
		prev := last.str("links.prev")
		for i := 1; i >= 0; i-- {
			if prev == "" {
				t.Fatalf("no links.prev back to page %d", i)
			}
			r := h.must(200, "GET", prev, "")
			if !slices.Equal(r.ids(), pages[i]) {
				t.Fatalf("links.prev gave %v, want page %d %v", r.ids(), i, pages[i])
			}
			if r.str("links.next") == "" {
				t.Errorf("page %d reached backwards has no links.next", i)
			}
			prev = r.str("links.prev")
		}
		if prev != "" {
			t.Errorf("first page reached backwards still has links.prev %q", prev)
		}
	})
}
