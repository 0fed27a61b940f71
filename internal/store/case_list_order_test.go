package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestListCasesSearchBoxAndStates(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		kyc := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		aml := mkTemplate(t, s, &docket.CaseTemplate{Name: "AML", Key: "AML", VisibleToRoles: []string{docket.RoleAdmin}})
		ada := mkUser(t, s, "ada@example.com")
		acct := mkAccount(t, s, "cust-7")
		sla := func(sec int64) *int64 { return &sec }
		open := mkCase(t, s, docket.NewCase{TemplateID: kyc.ID, SLAExpiresInSecond: sla(3600)})  // KYC-1, due
		late := mkCase(t, s, docket.NewCase{TemplateID: kyc.ID, SLAExpiresInSecond: sla(60)})    // KYC-2, breached
		noSLA := mkCase(t, s, docket.NewCase{TemplateID: kyc.ID, ObjectIDs: []string{acct.ID}})  // KYC-3
		done := mkCase(t, s, docket.NewCase{TemplateID: kyc.ID, SLAExpiresInSecond: sla(60)})    // KYC-4, resolved
		hidden := mkCase(t, s, docket.NewCase{TemplateID: aml.ID, SLAExpiresInSecond: sla(60)})  // AML-1
		twelve := mkCase(t, s, docket.NewCase{TemplateID: aml.ID, ObjectIDs: []string{acct.ID}}) // AML-2
		caseOK(t)(s.AssignCase(ctx, apiActor, open.ID, ada.Email))
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, done.ID, "Approved"))
		clock.Add(10 * time.Minute)
		vis := docket.Visibility{HiddenTemplateIDs: []string{aml.ID}}
		tests := []struct {
			name string
			f    docket.CaseFilter
			want []*docket.Case
		}{
			{"unassigned", docket.CaseFilter{Unassigned: true}, []*docket.Case{late, noSLA, done, hidden, twelve}},
			{"breached: open cases past their SLA", docket.CaseFilter{SLA: docket.QueueSLABreached}, []*docket.Case{late, hidden}},
			{"due", docket.CaseFilter{SLA: docket.QueueSLADue}, []*docket.Case{open}},
			{"no SLA", docket.CaseFilter{SLA: docket.QueueSLANone}, []*docket.Case{noSLA, twelve}},
			{"breached and visible", docket.CaseFilter{SLA: docket.QueueSLABreached, Visibility: vis}, []*docket.Case{late}},
			{"name", docket.CaseFilter{Query: "KYC-2"}, []*docket.Case{late}},
			{"name in lower case, spaced", docket.CaseFilter{Query: " kyc-2 "}, []*docket.Case{late}},
			{"name of another template", docket.CaseFilter{Query: "aml-1"}, []*docket.Case{hidden}},
			{"name of a hidden case", docket.CaseFilter{Query: "aml-1", Visibility: vis}, nil},
			{"name that does not exist", docket.CaseFilter{Query: "KYC-99"}, nil},
			{"name with a leading zero", docket.CaseFilter{Query: "KYC-02"}, nil},
			{"case id", docket.CaseFilter{Query: done.ID}, []*docket.Case{done}},
			{"reference id", docket.CaseFilter{Query: "cust-7"}, []*docket.Case{noSLA, twelve}},
			{"reference id, visible", docket.CaseFilter{Query: "cust-7", Visibility: vis}, []*docket.Case{noSLA}},
			{"reference ids as words, any case (free text)", docket.CaseFilter{Query: "CUST-7"}, []*docket.Case{noSLA, twelve}},
			{"text that is neither", docket.CaseFilter{Query: "hello world"}, nil},
			{"query and status", docket.CaseFilter{Query: "KYC-4", Status: "Open"}, nil},
			{"assignee and SLA", docket.CaseFilter{AssigneeID: ada.ID, SLA: docket.QueueSLADue}, []*docket.Case{open}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				wantStrings(t, "cases", sortedNames(allCases(t, s, tc.f)), sortedNames(tc.want))
				n := must[int](t)(s.CountCases(ctx, tc.f, 100))
				if n != len(tc.want) {
					t.Fatalf("count %d, want %d", n, len(tc.want))
				}
			})
		}
		// A count stops at its limit.
		if n := must[int](t)(s.CountCases(ctx, docket.CaseFilter{}, 3)); n != 3 {
			t.Fatalf("capped count %d, want 3", n)
		}
	})
}

func TestParseCaseName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in  string
		key string
		n   int64
	}{
		{"KYC-12", "KYC", 12}, {"kyc-12", "KYC", 12}, {" Aml2-7 ", "AML2", 7},
		{"KYC-0", "", 0}, {"KYC-012", "", 0}, {"KYC-+1", "", 0}, {"KYC--1", "", 0}, {"KYC12", "", 0},
		{"1KYC-3", "", 0}, {"KYC-", "", 0}, {"-3", "", 0}, {"KYC-1-2", "", 0}, {"KYC-99999999999999999999", "", 0},
	} {
		key, n, ok := docket.ParseCaseName(tc.in)
		if key != tc.key || n != tc.n || ok != (tc.key != "") {
			t.Errorf("ParseCaseName(%q) = %q %d %v, want %q %d", tc.in, key, n, ok, tc.key, tc.n)
		}
	}
}

// slaOrder sorts cases as the SLA order must: by SLA expiry with cases without an SLA
// last, then by id (oldest first).
func slaOrder(cases []*docket.Case) []string {
	cases = slices.Clone(cases)
	slices.SortFunc(cases, func(a, b *docket.Case) int {
		switch {
		case a.SLAExpiresAt == nil && b.SLAExpiresAt != nil:
			return 1
		case a.SLAExpiresAt != nil && b.SLAExpiresAt == nil:
			return -1
		case a.SLAExpiresAt != nil && !a.SLAExpiresAt.Equal(*b.SLAExpiresAt):
			return a.SLAExpiresAt.Compare(*b.SLAExpiresAt)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return caseNames(cases)
}

func TestListCasesBySLA(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		// SLAs repeat (so ties are broken by id) and a third of the cases have none.
		var all []*docket.Case
		for i := range 23 {
			nc := docket.NewCase{TemplateID: tm.ID}
			if i%3 != 0 {
				sla := int64(3600 * (1 + (i*7)%5))
				nc.SLAExpiresInSecond = &sla
			}
			all = append(all, mkCase(t, s, nc))
		}
		for _, c := range all[:6] {
			caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, "Pending"))
		}
		byName := map[string]*docket.Case{}
		for _, c := range all {
			byName[c.Name] = c
		}
		list := func(f docket.CaseFilter) ([]string, docket.PageResult) {
			f.Sort = docket.CaseSortSLA
			cases, r := must2[*docket.Case](t)(s.ListCases(ctx, f))
			return caseNames(cases), r
		}
		for _, tc := range []struct {
			name string
			f    docket.CaseFilter
			want []*docket.Case
		}{
			{"all", docket.CaseFilter{}, all},
			{"a status", docket.CaseFilter{Status: "Pending"}, all[:6]},
			{"another status", docket.CaseFilter{Status: "Open"}, all[6:]},
		} {
			t.Run(tc.name, func(t *testing.T) {
				want := slaOrder(tc.want)
				for _, size := range []int{1, 4, 5, 100} {
					// Forward, page by page, sees every case once, in order.
					var got []string
					var pages [][]string
					f := tc.f
					f.Page = docket.Page{Size: size}
					for {
						names, r := list(f)
						if r.HasPrev != (f.Page.After != "") {
							t.Fatalf("size %d: has-prev %v after %q", size, r.HasPrev, f.Page.After)
						}
						got, pages = append(got, names...), append(pages, names)
						if !r.HasNext {
							break
						}
						f.Page.After = byName[names[len(names)-1]].ID
					}
					wantStrings(t, "forward", got, want)
					// Back from the last page, page by page, gives the same pages.
					for i := len(pages) - 1; i > 0; i-- {
						f.Page = docket.Page{Size: size, Before: byName[pages[i][0]].ID}
						names, r := list(f)
						wantStrings(t, "backward", names, pages[i-1])
						if !r.HasNext || r.HasPrev != (i > 1) {
							t.Fatalf("size %d, back to page %d: has-next %v has-prev %v", size, i, r.HasNext, r.HasPrev)
						}
					}
				}
			})
		}
		// A cursor must name a case.
		_, _, err := s.ListCases(ctx, docket.CaseFilter{Sort: docket.CaseSortSLA, Page: docket.Page{After: docket.NewID(docket.PrefixCase)}})
		var e *docket.Error
		if !errors.As(err, &e) || e.Code != docket.EBadRequest || e.Parameter != "page[after]" {
			t.Fatalf("unknown cursor: %v", err)
		}
	})
}

func TestListQueueCasesSorted(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		q := &docket.CaseQueue{Name: "Open KYC", Filter: docket.CaseQueueFilter{TemplateIDs: []string{tm.ID}}}
		noErr(t, s.CreateQueue(ctx, apiActor, q))
		sla := int64(60)
		a := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		b := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: &sla})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		d := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, "Approved")) // resolved: no longer in the queue
		wantStrings(t, "queue order", caseNames(allCases(t, s, docket.CaseFilter{QueueID: q.ID})), caseNames([]*docket.Case{b, a, d}))
		wantStrings(t, "newest", caseNames(allCases(t, s, docket.CaseFilter{QueueID: q.ID, Sort: docket.CaseSortNewest})), caseNames([]*docket.Case{d, b, a}))
		wantStrings(t, "SLA", caseNames(allCases(t, s, docket.CaseFilter{QueueID: q.ID, Sort: docket.CaseSortSLA})), caseNames([]*docket.Case{b, a, d}))
		if n := must[int](t)(s.CountCases(ctx, docket.CaseFilter{QueueID: q.ID, Sort: docket.CaseSortSLA}, 10)); n != 3 {
			t.Fatalf("queue count %d, want 3", n)
		}
		wantStrings(t, "unknown queue", caseNames(allCases(t, s, docket.CaseFilter{QueueID: docket.NewID(docket.PrefixQueue), Sort: docket.CaseSortSLA})), nil)
	})
}

func TestCountCasesDeadline(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		for range 3 {
			mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		}
		// A deadline that has passed stops the count before it starts.
		past, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
		defer cancel()
		if _, err := s.CountCases(past, docket.CaseFilter{}, 10); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("count past its deadline: %v", err)
		}
		// A deadline that leaves time counts, and leaves the connection usable.
		for range 3 {
			soon, cancel := context.WithTimeout(ctx, time.Minute)
			n, err := s.CountCases(soon, docket.CaseFilter{Status: "Open"}, 10)
			cancel()
			if err != nil || n != 3 {
				t.Fatalf("count with time to spare: %d %v", n, err)
			}
		}
	})
}
