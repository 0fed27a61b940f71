package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestListCasesFilters(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		t1 := mkTemplate(t, s, &docket.CaseTemplate{Name: "One", Key: "ONE"})
		t2 := mkTemplate(t, s, &docket.CaseTemplate{Name: "Two", Key: "TWO"})
		alice, bob := mkUser(t, s, "alice@example.com"), mkUser(t, s, "bob@example.com")
		a1, a2 := mkAccount(t, s, "ref-1"), mkAccount(t, s, "ref-2")
		// One case an hour: ONE-1 at epoch+1h, ONE-2 at +2h, TWO-1 at +3h, TWO-2 at +4h.
		mk := func(tm *docket.CaseTemplate, nc docket.NewCase) *docket.Case {
			clock.Add(time.Hour)
			nc.TemplateID = tm.ID
			return mkCase(t, s, nc)
		}
		c1 := mk(t1, docket.NewCase{Tags: []string{"x"}, ObjectIDs: []string{a1.ID}})
		c2 := mk(t1, docket.NewCase{Tags: []string{"y"}})
		c3 := mk(t2, docket.NewCase{Tags: []string{"x", "y"}, ObjectIDs: []string{a2.ID}})
		c4 := mk(t2, docket.NewCase{ObjectIDs: []string{a1.ID, a2.ID}})
		caseOK(t)(s.AssignCase(ctx, apiActor, c1.ID, alice.Email))
		caseOK(t)(s.AssignCase(ctx, apiActor, c3.ID, bob.Email))
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, c2.ID, "Pending"))
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, c4.ID, "Declined"))
		hour := func(h int) *time.Time { return ptr(epoch.Add(time.Duration(h) * time.Hour)) }
		tests := []struct {
			name string
			f    docket.CaseFilter
			want []*docket.Case
		}{
			{"none", docket.CaseFilter{}, []*docket.Case{c1, c2, c3, c4}},
			{"status", docket.CaseFilter{Status: "Open"}, []*docket.Case{c1, c3}},
			{"status of another case", docket.CaseFilter{Status: "Declined"}, []*docket.Case{c4}},
			{"status matched exactly", docket.CaseFilter{Status: "open"}, nil},
			{"template", docket.CaseFilter{TemplateID: t2.ID}, []*docket.Case{c3, c4}},
			{"assignee", docket.CaseFilter{AssigneeID: alice.ID}, []*docket.Case{c1}},
			{"account", docket.CaseFilter{AccountID: a1.ID}, []*docket.Case{c1, c4}},
			{"other account", docket.CaseFilter{AccountID: a2.ID}, []*docket.Case{c3, c4}},
			{"reference id", docket.CaseFilter{ReferenceID: "ref-2"}, []*docket.Case{c3, c4}},
			{"unknown reference id", docket.CaseFilter{ReferenceID: "ref-9"}, nil},
			{"tag", docket.CaseFilter{Tag: "x"}, []*docket.Case{c1, c3}},
			{"created from", docket.CaseFilter{CreatedAtStart: hour(2)}, []*docket.Case{c2, c3, c4}},
			{"created until, inclusive", docket.CaseFilter{CreatedAtEnd: hour(2)}, []*docket.Case{c1, c2}},
			{"created between", docket.CaseFilter{CreatedAtStart: hour(2), CreatedAtEnd: hour(3)}, []*docket.Case{c2, c3}},
			{"created in an empty range", docket.CaseFilter{CreatedAtStart: hour(5)}, nil},
			{"template and tag", docket.CaseFilter{TemplateID: t1.ID, Tag: "y"}, []*docket.Case{c2}},
			{"account and status", docket.CaseFilter{AccountID: a1.ID, Status: "Open"}, []*docket.Case{c1}},
			{"tag and assignee", docket.CaseFilter{Tag: "y", AssigneeID: bob.ID}, []*docket.Case{c3}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got := allCases(t, s, tc.f)
				wantStrings(t, "cases", sortedNames(got), sortedNames(tc.want))
				// Newest first: ids descend.
				ids := make([]string, len(got))
				for i, c := range got {
					ids[i] = c.ID
				}
				if !slices.IsSortedFunc(ids, func(a, b string) int { return -cmpStrings(a, b) }) {
					t.Fatalf("not newest first: %v", caseNames(got))
				}
			})
		}
	})
}

func cmpStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestListCasesPaging(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		const n = docket.MaxPageSize + 5
		ids := make([]string, 0, n)
		for range n {
			ids = append(ids, mkCase(t, s, docket.NewCase{TemplateID: tm.ID}).ID)
		}
		slices.Sort(ids)
		slices.Reverse(ids) // newest first
		list := func(p docket.Page) ([]string, docket.PageResult) {
			cases, r := must2[*docket.Case](t)(s.ListCases(ctx, docket.CaseFilter{Page: p}))
			out := make([]string, len(cases))
			for i, c := range cases {
				out[i] = c.ID
			}
			return out, r
		}
		check := func(what string, got []string, r docket.PageResult, want []string, next, prev bool) {
			t.Helper()
			wantStrings(t, what, got, want)
			if r.HasNext != next || r.HasPrev != prev {
				t.Fatalf("%s: has-next %v has-prev %v, want %v %v", what, r.HasNext, r.HasPrev, next, prev)
			}
		}
		got, r := list(docket.Page{})
		check("default size", got, r, ids[:docket.DefaultPageSize], true, false)
		got, r = list(docket.Page{Size: 1000})
		check("size capped", got, r, ids[:docket.MaxPageSize], true, false)
		got, r = list(docket.Page{Size: 40})
		check("page 1", got, r, ids[:40], true, false)
		got, r = list(docket.Page{Size: 40, After: ids[39]})
		check("page 2", got, r, ids[40:80], true, true)
		got, r = list(docket.Page{Size: 40, After: ids[79]})
		check("last page", got, r, ids[80:], false, true)
		got, r = list(docket.Page{Size: 40, Before: ids[80]})
		check("back to page 2", got, r, ids[40:80], true, true)
		got, r = list(docket.Page{Size: 40, Before: ids[40]})
		check("back to page 1", got, r, ids[:40], true, false)
		got, r = list(docket.Page{Size: 40, Before: ids[30]})
		check("before, short", got, r, ids[:30], true, false)
		got, r = list(docket.Page{Size: 5, After: ids[n-1]})
		check("after the oldest", got, r, nil, false, true)

		// Walking every page with a cursor sees each case exactly once.
		var all []string
		p := docket.Page{Size: 7}
		for {
			got, r := list(p)
			all = append(all, got...)
			if !r.HasNext {
				break
			}
			p.After = got[len(got)-1]
		}
		wantStrings(t, "walk", all, ids)
		want := make([]string, n)
		for i := range want {
			want[i] = fmt.Sprintf("KYC-%d", i+1)
		}
		slices.Sort(want)
		wantStrings(t, "names", sortedNames(allCases(t, s, docket.CaseFilter{})), want)
	})
}
