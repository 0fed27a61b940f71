package store_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func mkQueue(t testing.TB, s *store.Store, name string, f docket.CaseQueueFilter) *docket.CaseQueue {
	t.Helper()
	q := &docket.CaseQueue{Name: name, Filter: f}
	noErr(t, s.CreateQueue(ctx, apiActor, q))
	return q
}

// queueCases lists every case a queue holds, in queue order, walking all pages.
func queueCases(t testing.TB, s *store.Store, queueID string, size int) []*docket.Case {
	t.Helper()
	f := docket.CaseFilter{QueueID: queueID, Page: docket.Page{Size: size}}
	var out []*docket.Case
	for {
		page, r := must2[*docket.Case](t)(s.ListCases(ctx, f))
		out = append(out, page...)
		if !r.HasNext || len(page) == 0 || len(out) > 1000 {
			return out
		}
		f.Page.After = page[len(page)-1].ID
	}
}

func TestQueueCRUD(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		ada := mkUser(t, s, "ada@example.com")
		q := mkQueue(t, s, "  High risk ", docket.CaseQueueFilter{TemplateIDs: []string{tm.ID, tm.ID}, Statuses: []string{" Open", "Open"},
			Tags: []string{"pep", " pep "}, SLA: docket.QueueSLADue, Assignee: docket.QueueUnassigned})
		if !docket.ValidID(docket.PrefixQueue, q.ID) || q.Status != docket.QueueActive || q.Name != "High risk" || !q.CreatedAt.Equal(epoch) {
			t.Fatalf("created %+v", q)
		}
		wantJSON(t, "normalized filter", q.Filter,
			`{"case-template-ids":["`+tm.ID+`"],"statuses":["Open"],"tags":["pep"],"sla":"due","assignee":"unassigned"}`)
		got := must[*docket.CaseQueue](t)(s.FindQueue(ctx, q.ID))
		wantJSON(t, "found", got, jsonText(t, q))
		empty := mkQueue(t, s, "Explicit only", docket.CaseQueueFilter{})
		wantJSON(t, "empty filter", empty.Filter, `{"case-template-ids":[],"statuses":[],"tags":[],"sla":"","assignee":""}`)

		for _, tc := range []struct {
			name  string
			q     docket.CaseQueue
			field string
		}{
			{"no name", docket.CaseQueue{Name: " "}, "name"},
			{"long name", docket.CaseQueue{Name: strings.Repeat("n", 201)}, "name"},
			{"bad template id", docket.CaseQueue{Name: "x", Filter: docket.CaseQueueFilter{TemplateIDs: []string{tm.ID, "ctmpl_nope"}}}, "filter.case-template-ids[1]"},
			{"unknown template", docket.CaseQueue{Name: "x", Filter: docket.CaseQueueFilter{TemplateIDs: []string{"ctmpl_01h455vb4pex5vsknk084sn02q"}}}, "filter.case-template-ids[0]"},
			{"blank status", docket.CaseQueue{Name: "x", Filter: docket.CaseQueueFilter{Statuses: []string{"Open", " "}}}, "filter.statuses[1]"},
			{"blank tag", docket.CaseQueue{Name: "x", Filter: docket.CaseQueueFilter{Tags: []string{""}}}, "filter.tags[0]"},
			{"bad sla", docket.CaseQueue{Name: "x", Filter: docket.CaseQueueFilter{SLA: "late"}}, "filter.sla"},
			{"bad assignee", docket.CaseQueue{Name: "x", Filter: docket.CaseQueueFilter{Assignee: "nobody"}}, "filter.assignee"},
			{"unknown assignee", docket.CaseQueue{Name: "x", Filter: docket.CaseQueueFilter{Assignee: "user_01h455vb4pex5vsknk084sn02q"}}, "filter.assignee"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantErr(t, s.CreateQueue(ctx, apiActor, &tc.q), docket.EInvalid, tc.field)
			})
		}

		clock.Add(time.Minute)
		name := "Renamed"
		up := must[*docket.CaseQueue](t)(s.UpdateQueue(ctx, userActor, q.ID, docket.CaseQueueUpdate{Name: &name}))
		if up.Name != "Renamed" || up.Filter.SLA != docket.QueueSLADue || !up.UpdatedAt.Equal(epoch.Add(time.Minute)) {
			t.Fatalf("renamed %+v", up)
		}
		up = must[*docket.CaseQueue](t)(s.UpdateQueue(ctx, userActor, q.ID, docket.CaseQueueUpdate{Filter: &docket.CaseQueueFilter{Assignee: ada.ID}}))
		wantJSON(t, "replaced filter", up.Filter, `{"case-template-ids":[],"statuses":[],"tags":[],"sla":"","assignee":"`+ada.ID+`"}`)
		// Nothing changes: no event.
		must[*docket.CaseQueue](t)(s.UpdateQueue(ctx, userActor, q.ID, docket.CaseQueueUpdate{Name: &name}))
		_, err := s.UpdateQueue(ctx, userActor, q.ID, docket.CaseQueueUpdate{Filter: &docket.CaseQueueFilter{SLA: "soon"}})
		wantErr(t, err, docket.EInvalid, "filter.sla")
		_, err = s.UpdateQueue(ctx, userActor, "cqueue_01h455vb4pex5vsknk084sn02q", docket.CaseQueueUpdate{Name: &name})
		wantErr(t, err, docket.ENotFound, "")

		clock.Add(time.Minute)
		arch := must[*docket.CaseQueue](t)(s.ArchiveQueue(ctx, userActor, q.ID))
		if arch.Status != docket.QueueArchived || arch.ArchivedAt == nil || !arch.ArchivedAt.Equal(epoch.Add(2*time.Minute)) {
			t.Fatalf("archived %+v", arch)
		}
		must[*docket.CaseQueue](t)(s.ArchiveQueue(ctx, userActor, q.ID)) // twice is a no-op
		wantStrings(t, "events", eventNames(t, s, q.ID), []string{docket.EventQueueArchived, docket.EventQueueCreated,
			docket.EventQueueUpdated, docket.EventQueueUpdated})
		// An archived queue takes no new cases.
		_, err = s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, QueueID: &q.ID})
		wantErr(t, err, docket.EInvalid, "case-queue-id")

		all, _ := must2[*docket.CaseQueue](t)(s.ListQueues(ctx, docket.CaseQueueListFilter{}))
		if len(all) != 2 || all[0].ID != empty.ID || all[1].ID != q.ID {
			t.Fatalf("list: %v", all)
		}
		active, _ := must2[*docket.CaseQueue](t)(s.ListQueues(ctx, docket.CaseQueueListFilter{Status: docket.QueueActive}))
		if len(active) != 1 || active[0].ID != empty.ID {
			t.Fatalf("active: %v", active)
		}
		first, r := must2[*docket.CaseQueue](t)(s.ListQueues(ctx, docket.CaseQueueListFilter{Page: docket.Page{Size: 1}}))
		if len(first) != 1 || !r.HasNext {
			t.Fatalf("page of 1: %v %+v", first, r)
		}
	})
}

func TestQueueFilterMatching(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		t1 := mkTemplate(t, s, &docket.CaseTemplate{Name: "One", Key: "ONE"})
		t2 := mkTemplate(t, s, &docket.CaseTemplate{Name: "Two", Key: "TWO"})
		alice := mkUser(t, s, "alice@example.com")
		explicitQ := mkQueue(t, s, "Explicit", docket.CaseQueueFilter{})
		sla := func(sec int64) *int64 { return &sec }
		mk := func(nc docket.NewCase) *docket.Case {
			clock.Add(time.Second)
			return mkCase(t, s, nc)
		}
		// ONE-1: due in an hour. ONE-2: breached (60 s SLA, clock moves 2 minutes on).
		// TWO-1: no SLA, assigned. TWO-2: no SLA, Pending, tagged x and y.
		a := mk(docket.NewCase{TemplateID: t1.ID, Tags: []string{"x"}, SLAExpiresInSecond: sla(3600)})
		b := mk(docket.NewCase{TemplateID: t1.ID, Tags: []string{"y"}, SLAExpiresInSecond: sla(60)})
		c := mk(docket.NewCase{TemplateID: t2.ID})
		d := mk(docket.NewCase{TemplateID: t2.ID, Tags: []string{"x", "y"}})
		caseOK(t)(s.AssignCase(ctx, apiActor, c.ID, alice.Email))
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, d.ID, "Pending"))
		// Never held by any queue, though explicitly in one and matching many filters below:
		// a resolved and a redacted case.
		resolved := mk(docket.NewCase{TemplateID: t1.ID, Tags: []string{"x", "y"}, QueueID: &explicitQ.ID})
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, resolved.ID, "Approved"))
		redacted := mk(docket.NewCase{TemplateID: t2.ID, Tags: []string{"x"}, QueueID: &explicitQ.ID})
		caseOK(t)(s.RedactCase(ctx, apiActor, redacted.ID))
		// Explicitly in the queue, matching none of the filters below but "none"/"unassigned".
		e := mk(docket.NewCase{TemplateID: t2.ID, QueueID: &explicitQ.ID})
		clock.Add(2 * time.Minute)

		tests := []struct {
			name string
			f    docket.CaseQueueFilter
			want []*docket.Case
		}{
			{"empty filter: explicit cases only", docket.CaseQueueFilter{}, nil},
			{"template", docket.CaseQueueFilter{TemplateIDs: []string{t1.ID}}, []*docket.Case{a, b}},
			{"templates", docket.CaseQueueFilter{TemplateIDs: []string{t1.ID, t2.ID}}, []*docket.Case{a, b, c, d, e}},
			{"status", docket.CaseQueueFilter{Statuses: []string{"Pending"}}, []*docket.Case{d}},
			{"statuses", docket.CaseQueueFilter{Statuses: []string{"Open", "Pending"}}, []*docket.Case{a, b, c, d, e}},
			{"resolved status holds nothing", docket.CaseQueueFilter{Statuses: []string{"Approved"}}, nil},
			{"tag", docket.CaseQueueFilter{Tags: []string{"x"}}, []*docket.Case{a, d}},
			{"any of the tags", docket.CaseQueueFilter{Tags: []string{"x", "y"}}, []*docket.Case{a, b, d}},
			{"unknown tag", docket.CaseQueueFilter{Tags: []string{"z"}}, nil},
			{"sla breached", docket.CaseQueueFilter{SLA: docket.QueueSLABreached}, []*docket.Case{b}},
			{"sla due", docket.CaseQueueFilter{SLA: docket.QueueSLADue}, []*docket.Case{a}},
			{"sla none", docket.CaseQueueFilter{SLA: docket.QueueSLANone}, []*docket.Case{c, d, e}},
			{"unassigned", docket.CaseQueueFilter{Assignee: docket.QueueUnassigned}, []*docket.Case{a, b, d, e}},
			{"assignee", docket.CaseQueueFilter{Assignee: alice.ID}, []*docket.Case{c}},
			{"template and unassigned", docket.CaseQueueFilter{TemplateIDs: []string{t2.ID}, Assignee: docket.QueueUnassigned}, []*docket.Case{d, e}},
			{"template and tag", docket.CaseQueueFilter{TemplateIDs: []string{t1.ID}, Tags: []string{"y"}}, []*docket.Case{b}},
			{"tag and sla none", docket.CaseQueueFilter{Tags: []string{"x"}, SLA: docket.QueueSLANone}, []*docket.Case{d}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				q := mkQueue(t, s, tc.name, tc.f)
				wantStrings(t, "held", sortedNames(queueCases(t, s, q.ID, 100)), sortedNames(tc.want))
				// Cases put in the queue explicitly are held whatever the filter.
				caseOK(t)(s.UpdateCase(ctx, apiActor, e.ID, docket.CaseUpdate{SetQueue: true, QueueID: ptr(&q.ID)}))
				withE := sortedNames(append(slices.Clone(tc.want), e))
				wantStrings(t, "held with explicit case", slices.Compact(sortedNames(queueCases(t, s, q.ID, 100))), slices.Compact(withE))
				caseOK(t)(s.UpdateCase(ctx, apiActor, e.ID, docket.CaseUpdate{SetQueue: true, QueueID: ptr(&explicitQ.ID)}))
			})
		}
		wantStrings(t, "explicit queue", caseNames(queueCases(t, s, explicitQ.ID, 100)), []string{e.Name})
		// Other case filters narrow a queue listing further.
		q := mkQueue(t, s, "All", docket.CaseQueueFilter{TemplateIDs: []string{t1.ID, t2.ID}})
		got := must2[*docket.Case](t)
		list, _ := got(s.ListCases(ctx, docket.CaseFilter{QueueID: q.ID, TemplateID: t2.ID, Tag: "y"}))
		wantStrings(t, "queue and filters", caseNames(list), []string{d.Name})
		// An unknown queue holds nothing.
		list, _ = got(s.ListCases(ctx, docket.CaseFilter{QueueID: "cqueue_01h455vb4pex5vsknk084sn02q"}))
		if len(list) != 0 {
			t.Fatalf("unknown queue holds %v", caseNames(list))
		}
	})
}

// queueOrderFixture builds a queue of template ONE whose cases, most urgent first, are
// want; the assigned case (last in want) cannot be claimed.
func queueOrderFixture(t *testing.T, s *store.Store) (q *docket.CaseQueue, want []*docket.Case, u *docket.User) {
	clock := useFakeClock(s)
	t1 := mkTemplate(t, s, &docket.CaseTemplate{Name: "One", Key: "ONE"})
	t2 := mkTemplate(t, s, &docket.CaseTemplate{Name: "Two", Key: "TWO"})
	u = mkUser(t, s, "ada@example.com")
	q = mkQueue(t, s, "Ones", docket.CaseQueueFilter{TemplateIDs: []string{t1.ID}})
	mk := func(tm *docket.CaseTemplate, sla int64, queue *string) *docket.Case {
		clock.Add(time.Minute)
		nc := docket.NewCase{TemplateID: tm.ID, QueueID: queue}
		if sla > 0 {
			nc.SLAExpiresInSecond = &sla
		}
		return mkCase(t, s, nc)
	}
	n1 := mk(t1, 0, nil)        // +1m, no SLA
	n2 := mk(t1, 7200, nil)     // +2m, expires +2h2m
	n3 := mk(t1, 600, nil)      // +3m, expires +13m
	n4 := mk(t1, 0, nil)        // +4m, no SLA
	n5 := mk(t1, 7200-180, nil) // +5m, expires +2h2m too: after n2, which is older
	n6 := mk(t2, 60, &q.ID)     // +6m, expires +7m; in the queue explicitly
	n7 := mk(t1, 0, nil)        // +7m, no SLA, assigned
	done := mk(t1, 30, nil)     // resolved: never held
	other := mk(t2, 30, nil)    // another template, not in the queue
	mine := mk(t1, 0, nil)      // +10m, no SLA
	_ = other
	caseOK(t)(s.AssignCase(ctx, apiActor, n7.ID, u.Email))
	caseOK(t)(s.SetCaseStatus(ctx, apiActor, done.ID, "Approved"))
	return q, []*docket.Case{n6, n3, n2, n5, n1, n4, n7, mine}, u
}

func TestQueueOrder(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		q, want, _ := queueOrderFixture(t, s)
		for _, size := range []int{1, 2, 3, 100} {
			wantStrings(t, "queue order", caseNames(queueCases(t, s, q.ID, size)), caseNames(want))
		}
		// Walk back from the end with page[before].
		page := func(p docket.Page) ([]*docket.Case, docket.PageResult) {
			return must2[*docket.Case](t)(s.ListCases(ctx, docket.CaseFilter{QueueID: q.ID, Page: p}))
		}
		last, r := page(docket.Page{Size: 3, After: want[4].ID})
		wantStrings(t, "last page", caseNames(last), caseNames(want[5:]))
		if r.HasNext || !r.HasPrev {
			t.Fatalf("last page result %+v", r)
		}
		prev, r := page(docket.Page{Size: 3, Before: last[0].ID})
		wantStrings(t, "page before", caseNames(prev), caseNames(want[2:5]))
		if !r.HasNext || !r.HasPrev {
			t.Fatalf("middle page result %+v", r)
		}
		first, r := page(docket.Page{Size: 3, Before: prev[0].ID})
		wantStrings(t, "first page", caseNames(first), caseNames(want[:2]))
		if r.HasPrev {
			t.Fatalf("first page result %+v", r)
		}
		_, _, err := s.ListCases(ctx, docket.CaseFilter{QueueID: q.ID, Page: docket.Page{After: "case_01h455vb4pex5vsknk084sn02q"}})
		var de *docket.Error
		if !errors.As(err, &de) || de.Code != docket.EBadRequest || de.Parameter != "page[after]" {
			t.Fatalf("unknown cursor: %v", err)
		}
	})
}

func TestClaimNextCase(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		q, want, u := queueOrderFixture(t, s)
		claimable := slices.Clone(want)
		claimable = slices.Delete(claimable, 6, 7) // the assigned one
		reviewer := docket.Actor{Type: docket.ActorUser, ID: u.ID}
		for i, w := range claimable {
			before := caseOK(t)(s.FindCase(ctx, w.ID))
			c := caseOK(t)(s.ClaimNextCase(ctx, reviewer, q.ID, " ADA@example.com", docket.Visibility{}))
			if c.ID != w.ID {
				t.Fatalf("claim %d got %s, want %s", i, c.Name, w.Name)
			}
			if c.AssigneeID == nil || *c.AssigneeID != u.ID || c.AssignedAt == nil || c.Assigner == nil || *c.Assigner != reviewer ||
				c.Version != before.Version+1 || c.Updater == nil || *c.Updater != reviewer {
				t.Fatalf("claimed case %+v", c)
			}
			wantJSON(t, "stored", caseOK(t)(s.FindCase(ctx, c.ID)), jsonText(t, c))
			if names := eventNames(t, s, c.ID); !slices.Contains(names, docket.EventCaseAssigned) {
				t.Fatalf("events %v", names)
			}
		}
		_, err := s.ClaimNextCase(ctx, reviewer, q.ID, u.Email, docket.Visibility{})
		if !errors.Is(err, docket.ErrQueueEmpty) {
			t.Fatalf("empty queue: %v", err)
		}
		// Unassigning puts a case back up for claiming.
		caseOK(t)(s.AssignCase(ctx, apiActor, want[3].ID, ""))
		if c := caseOK(t)(s.ClaimNextCase(ctx, reviewer, q.ID, u.Email, docket.Visibility{})); c.ID != want[3].ID {
			t.Fatalf("reclaimed %s", c.Name)
		}
		_, err = s.ClaimNextCase(ctx, reviewer, q.ID, "nobody@example.com", docket.Visibility{})
		wantErr(t, err, docket.EInvalid, "user-email-address")
		_, err = s.ClaimNextCase(ctx, reviewer, "cqueue_01h455vb4pex5vsknk084sn02q", u.Email, docket.Visibility{})
		wantErr(t, err, docket.ENotFound, "")
		must[*docket.CaseQueue](t)(s.ArchiveQueue(ctx, apiActor, q.ID))
		caseOK(t)(s.AssignCase(ctx, apiActor, want[0].ID, ""))
		_, err = s.ClaimNextCase(ctx, reviewer, q.ID, u.Email, docket.Visibility{})
		wantErr(t, err, docket.EConflict, "")
		if c := caseOK(t)(s.FindCase(ctx, want[0].ID)); c.AssigneeID != nil {
			t.Fatal("a refused claim assigned the case")
		}
	})
}

// claimRace runs 50 concurrent claims, spread over the given stores, on a queue of 30
// unassigned cases: 30 distinct cases must be assigned and the other 20 claims must find
// the queue empty.
func claimRace(t *testing.T, stores ...*store.Store) {
	const cases, claims = 30, 50
	s := stores[0]
	tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "Race", Key: "RACE"})
	q := mkQueue(t, s, "Race", docket.CaseQueueFilter{TemplateIDs: []string{tm.ID}, Assignee: docket.QueueUnassigned})
	var users []*docket.User
	for i := range 5 {
		users = append(users, mkUser(t, s, string(rune('a'+i))+"@example.com"))
	}
	sla := int64(3600)
	for i := range cases {
		nc := docket.NewCase{TemplateID: tm.ID}
		if i%2 == 0 {
			nc.SLAExpiresInSecond = &sla
		}
		mkCase(t, s, nc)
	}
	var (
		mu      sync.Mutex
		claimed = map[string]string{} // case id -> user id
		empty   int
		start   = make(chan struct{})
		wg      sync.WaitGroup
	)
	for i := range claims {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			u := users[i%len(users)]
			c, err := stores[i%len(stores)].ClaimNextCase(ctx, apiActor, q.ID, u.Email, docket.Visibility{})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, docket.ErrQueueEmpty):
				empty++
			case err != nil:
				t.Errorf("claim %d: %v", i, err)
			default:
				if prev, dup := claimed[c.ID]; dup {
					t.Errorf("case %s claimed twice (by %s and %s)", c.Name, prev, u.ID)
				}
				claimed[c.ID] = u.ID
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(claimed) != cases || empty != claims-cases {
		t.Fatalf("%d cases claimed and %d empty answers, want %d and %d", len(claimed), empty, cases, claims-cases)
	}
	// The store agrees: every case is assigned to its claimer, with one case.assigned event.
	for _, c := range allCases(t, s, docket.CaseFilter{TemplateID: tm.ID}) {
		if c.AssigneeID == nil || *c.AssigneeID != claimed[c.ID] || c.Version != 2 {
			t.Errorf("case %s: assignee %v version %d, claimed by %s", c.Name, c.AssigneeID, c.Version, claimed[c.ID])
		}
		if n := len(allEvents(t, s, docket.EventFilter{ObjectID: c.ID, Name: docket.EventCaseAssigned})); n != 1 {
			t.Errorf("case %s has %d case.assigned events", c.Name, n)
		}
	}
	if left := queueCases(t, s, q.ID, 100); len(left) != 0 {
		t.Fatalf("queue still holds %v", caseNames(left))
	}
}

// No t.Parallel here: see twoStores.
func TestClaimNextCaseConcurrent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) { claimRace(t, s) })
}

func TestClaimNextCaseTwoStores(t *testing.T) {
	twoStores(t, func(t *testing.T, a, b *store.Store) { claimRace(t, a, b) })
}
