package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// slaEvents returns the case.sla-expired events of one case.
func slaEvents(t testing.TB, s *store.Store, caseID string) []*docket.Event {
	t.Helper()
	return allEvents(t, s, docket.EventFilter{ObjectID: caseID, Name: docket.EventCaseSLAExpired})
}

// userNotifications returns every notification of a user, newest first.
func userNotifications(t testing.TB, s *store.Store, userID string) []*docket.Notification {
	t.Helper()
	var out []*docket.Notification
	p := docket.Page{Size: docket.MaxPageSize}
	for {
		page, r := must2[*docket.Notification](t)(s.ListNotifications(ctx, docket.NotificationFilter{UserID: userID, Page: p}))
		out = append(out, page...)
		if !r.HasNext || len(page) == 0 {
			return out
		}
		p.After = page[len(page)-1].ID
	}
}

// notificationsOfKind keeps the notifications of one kind about one case.
func notificationsOfKind(list []*docket.Notification, kind, caseID string) []*docket.Notification {
	var out []*docket.Notification
	for _, n := range list {
		if n.Kind == kind && n.CaseID == caseID {
			out = append(out, n)
		}
	}
	return out
}

// TestExpireSLAsOnce breaches one case's SLA and runs the check many times at once from two
// stores on the same database (as two processes would): exactly one case.sla-expired event
// and one notification for the assignee. Resolved, redacted and not-yet-due cases are left
// alone.
func TestExpireSLAsOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		a, b := openStore(t, dbURL), openStore(t, dbURL)
		clock := useFakeClock(a)
		b.Now = clock.Now
		ada := mkUser(t, a, "ada@example.com")
		tm := mkTemplate(t, a, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		sla := func(sec int64) *int64 { return &sec }

		breached := mkCase(t, a, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: sla(60)})
		caseOK(t)(a.AssignCase(ctx, apiActor, breached.ID, "ada@example.com"))
		resolved := mkCase(t, a, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: sla(30)})
		caseOK(t)(a.AssignCase(ctx, apiActor, resolved.ID, "ada@example.com"))
		caseOK(t)(a.SetCaseStatus(ctx, apiActor, resolved.ID, "Approved"))
		redacted := mkCase(t, a, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: sla(30)})
		caseOK(t)(a.AssignCase(ctx, apiActor, redacted.ID, "ada@example.com"))
		caseOK(t)(a.RedactCase(ctx, apiActor, redacted.ID))
		notDue := mkCase(t, a, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: sla(3600)})
		caseOK(t)(a.AssignCase(ctx, apiActor, notDue.ID, "ada@example.com"))
		noSLA := mkCase(t, a, docket.NewCase{TemplateID: tm.ID})

		// A millisecond before the deadline only the resolved and redacted cases are past
		// theirs, and they are skipped.
		clock.Add(60*time.Second - time.Millisecond)
		if n, err := a.ExpireSLAs(ctx, clock.Now(), 100); err != nil || n != 0 {
			t.Fatalf("before the deadline: ExpireSLAs = %d, %v; want 0", n, err)
		}
		clock.Add(2 * time.Second)

		var mu sync.Mutex
		total := 0
		var wg sync.WaitGroup
		for i := range 8 {
			s := []*store.Store{a, b}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 3 {
					n, err := s.ExpireSLAs(ctx, clock.Now(), 100)
					if err != nil {
						t.Errorf("ExpireSLAs: %v", err)
						return
					}
					mu.Lock()
					total += n
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if total != 1 {
			t.Fatalf("ExpireSLAs reported %d breaches in all, want 1", total)
		}
		if ev := slaEvents(t, a, breached.ID); len(ev) != 1 {
			t.Fatalf("%d case.sla-expired events, want 1", len(ev))
		} else if ev[0].Actor != (docket.Actor{Type: docket.ActorSystem, ID: "sla"}) {
			t.Fatalf("event actor %+v", ev[0].Actor)
		}
		for _, c := range []*docket.Case{resolved, redacted, notDue, noSLA} {
			if ev := slaEvents(t, a, c.ID); len(ev) != 0 {
				t.Fatalf("case %s got %d case.sla-expired events, want none", c.Name, len(ev))
			}
		}
		all := userNotifications(t, a, ada.ID)
		got := notificationsOfKind(all, docket.NotifySLAExpired, breached.ID)
		if len(got) != 1 {
			t.Fatalf("%d SLA notifications for the breached case, want 1 (all: %d)", len(got), len(all))
		}
		n := got[0]
		if n.UserID == nil || *n.UserID != ada.ID || n.Email != "ada@example.com" ||
			n.Subject != "[Docket] "+breached.Name+" passed its SLA" || n.EmailedAt != nil || n.ReadAt != nil {
			t.Fatalf("SLA notification %+v", n)
		}
		for _, c := range []*docket.Case{resolved, redacted, notDue} {
			if x := notificationsOfKind(all, docket.NotifySLAExpired, c.ID); len(x) != 0 {
				t.Fatalf("case %s: %d SLA notifications, want none", c.Name, len(x))
			}
		}

		// An hour later the case that was due in an hour is breached, once, and nothing else.
		clock.Add(time.Hour)
		for i, want := range []int{1, 0, 0} {
			s := []*store.Store{a, b}[i%2]
			if n, err := s.ExpireSLAs(ctx, clock.Now(), 100); err != nil || n != want {
				t.Fatalf("an hour later, check %d: %d, %v; want %d", i, n, err, want)
			}
		}
		if ev := slaEvents(t, a, notDue.ID); len(ev) != 1 {
			t.Fatalf("case due in an hour: %d events, want 1", len(ev))
		}
		if ev := slaEvents(t, a, breached.ID); len(ev) != 1 {
			t.Fatalf("breached case: %d events after later checks, want 1", len(ev))
		}
	})
}

// TestExpireSLAsLimit checks that a limit smaller than the backlog records the rest on the
// next calls, each breach once.
func TestExpireSLAsLimit(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC", SLASeconds: ptr(int64(10))})
		for range 5 {
			mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		}
		clock.Add(11 * time.Second)
		var got []int
		for range 4 {
			n, err := s.ExpireSLAs(ctx, clock.Now(), 2)
			noErr(t, err)
			got = append(got, n)
		}
		if got[0] != 2 || got[1] != 2 || got[2] != 1 || got[3] != 0 {
			t.Fatalf("batches of 2 over 5 breaches: %v, want [2 2 1 0]", got)
		}
		if ev := allEvents(t, s, docket.EventFilter{Name: docket.EventCaseSLAExpired}); len(ev) != 5 {
			t.Fatalf("%d case.sla-expired events, want 5", len(ev))
		}
	})
}

// TestSLARearm: changing the SLA after a breach allows a second breach; PATCHing the same
// deadline does not.
func TestSLARearm(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		ada := mkUser(t, s, "ada@example.com")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: ptr(int64(60))})
		caseOK(t)(s.AssignCase(ctx, apiActor, c.ID, "ada@example.com"))

		clock.Add(61 * time.Second)
		if n := must[int](t)(s.ExpireSLAs(ctx, clock.Now(), 100)); n != 1 {
			t.Fatalf("first breach: %d", n)
		}
		// Extend: 120 s from now. Not due yet, so nothing happens at once.
		sla := ptr(int64(120))
		caseOK(t)(s.UpdateCase(ctx, apiActor, c.ID, docket.CaseUpdate{SLA: &sla, SetSLA: true}))
		if n := must[int](t)(s.ExpireSLAs(ctx, clock.Now(), 100)); n != 0 {
			t.Fatalf("right after extending: %d breaches, want 0", n)
		}
		clock.Add(121 * time.Second)
		if n := must[int](t)(s.ExpireSLAs(ctx, clock.Now(), 100)); n != 1 {
			t.Fatalf("second breach: %d, want 1", n)
		}
		if n := must[int](t)(s.ExpireSLAs(ctx, clock.Now(), 100)); n != 0 {
			t.Fatalf("second breach again: %d, want 0", n)
		}
		if ev := slaEvents(t, s, c.ID); len(ev) != 2 {
			t.Fatalf("%d case.sla-expired events, want 2", len(ev))
		}
		if got := notificationsOfKind(userNotifications(t, s, ada.ID), docket.NotifySLAExpired, c.ID); len(got) != 2 {
			t.Fatalf("%d SLA notifications, want 2", len(got))
		}

		// Clearing the SLA stops further breaches; setting one again re-arms.
		var none *int64
		caseOK(t)(s.UpdateCase(ctx, apiActor, c.ID, docket.CaseUpdate{SLA: &none, SetSLA: true}))
		clock.Add(24 * time.Hour)
		if n := must[int](t)(s.ExpireSLAs(ctx, clock.Now(), 100)); n != 0 {
			t.Fatalf("without an SLA: %d breaches", n)
		}
		one := ptr(int64(1))
		caseOK(t)(s.UpdateCase(ctx, apiActor, c.ID, docket.CaseUpdate{SLA: &one, SetSLA: true}))
		clock.Add(2 * time.Second)
		if n := must[int](t)(s.ExpireSLAs(ctx, clock.Now(), 100)); n != 1 {
			t.Fatalf("re-armed SLA: %d breaches, want 1", n)
		}
		if ev := slaEvents(t, s, c.ID); len(ev) != 3 {
			t.Fatalf("%d case.sla-expired events, want 3", len(ev))
		}
	})
}

// TestSLAUnassigned: a breached case without an assignee gets its event, and nobody is
// notified.
func TestSLAUnassigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		clock := useFakeClock(s)
		ada := mkUser(t, s, "ada@example.com")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC",
			NotificationPolicy: docket.NotificationPolicy{Emails: []string{}}})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: ptr(int64(60))})
		before := notificationCount(t, dbURL)
		clock.Add(time.Minute)
		if n := must[int](t)(s.ExpireSLAs(ctx, clock.Now(), 100)); n != 1 {
			t.Fatalf("breaches: %d, want 1", n)
		}
		if ev := slaEvents(t, s, c.ID); len(ev) != 1 {
			t.Fatalf("%d events, want 1", len(ev))
		}
		if after := notificationCount(t, dbURL); after != before {
			t.Fatalf("notifications went from %d to %d for an unassigned case", before, after)
		}
		if got := userNotifications(t, s, ada.ID); len(got) != 0 {
			t.Fatalf("ada has %d notifications", len(got))
		}
	})
}
