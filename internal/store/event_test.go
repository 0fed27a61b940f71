package store_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// Every write records exactly its events, with the writer, the time of the write and a
// snapshot of the object as it stood after the write.
func TestEventsOfEachWrite(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC", FieldSchemas: []docket.FieldSchema{{Key: "n", Type: docket.FieldInteger}}})
		mkUser(t, s, "alice@example.com")
		acct := mkAccount(t, s, "ref-1")
		var c *docket.Case
		sla := ptr(int64(60))
		writes := []struct {
			name   string
			actor  docket.Actor
			do     func(a docket.Actor) (*docket.Case, error)
			events []string
		}{
			{"create", apiActor, func(a docket.Actor) (*docket.Case, error) {
				return s.CreateCase(ctx, a, docket.NewCase{TemplateID: tm.ID, Tags: []string{"t"}, ObjectIDs: []string{acct.ID}})
			}, []string{docket.EventCaseCreated}},
			{"to Pending", userActor, func(a docket.Actor) (*docket.Case, error) { return s.SetCaseStatus(ctx, a, c.ID, "Pending") },
				[]string{docket.EventCaseStatusUpdated}},
			{"to Approved", apiActor, func(a docket.Actor) (*docket.Case, error) { return s.SetCaseStatus(ctx, a, c.ID, "Approved") },
				[]string{docket.EventCaseResolved, docket.EventCaseStatusUpdated}},
			{"reopen", userActor, func(a docket.Actor) (*docket.Case, error) { return s.SetCaseStatus(ctx, a, c.ID, "Open") },
				[]string{docket.EventCaseReopened, docket.EventCaseStatusUpdated}},
			{"same status", userActor, func(a docket.Actor) (*docket.Case, error) { return s.SetCaseStatus(ctx, a, c.ID, "Open") }, nil},
			{"assign", apiActor, func(a docket.Actor) (*docket.Case, error) { return s.AssignCase(ctx, a, c.ID, "alice@example.com") },
				[]string{docket.EventCaseAssigned}},
			{"tag", apiActor, func(a docket.Actor) (*docket.Case, error) {
				return s.ChangeCaseTags(ctx, a, c.ID, "add", []string{"u"})
			},
				[]string{docket.EventCaseUpdatedTags}},
			{"fields", userActor, func(a docket.Actor) (*docket.Case, error) {
				return s.UpdateCase(ctx, a, c.ID, docket.CaseUpdate{Fields: map[string]any{"n": 1.0}})
			}, []string{docket.EventCaseUpdatedFields}},
			{"fields and SLA", apiActor, func(a docket.Actor) (*docket.Case, error) {
				return s.UpdateCase(ctx, a, c.ID, docket.CaseUpdate{Fields: map[string]any{"n": 2.0}, SetSLA: true, SLA: &sla})
			}, []string{docket.EventCaseSLAUpdated, docket.EventCaseUpdatedFields}},
			{"remove object", apiActor, func(a docket.Actor) (*docket.Case, error) {
				return s.RemoveCaseObjects(ctx, a, c.ID, []string{acct.ID})
			},
				[]string{docket.EventCaseUpdatedObjects}},
			{"add object", apiActor, func(a docket.Actor) (*docket.Case, error) { return s.AddCaseObjects(ctx, a, c.ID, []string{acct.ID}) },
				[]string{docket.EventCaseUpdatedObjects}},
			{"redact", userActor, func(a docket.Actor) (*docket.Case, error) { return s.RedactCase(ctx, a, c.ID) },
				[]string{docket.EventCaseRedacted}},
		}
		seen := map[string]bool{}
		for _, e := range allEvents(t, s, docket.EventFilter{}) {
			seen[e.ID] = true
		}
		for _, w := range writes {
			at := clock.Add(time.Second)
			got, err := w.do(w.actor)
			if err != nil {
				t.Fatalf("%s: %v", w.name, err)
			}
			c = got
			var names []string
			for _, e := range allEvents(t, s, docket.EventFilter{}) {
				if seen[e.ID] {
					continue
				}
				seen[e.ID] = true
				names = append(names, e.Name)
				if e.ObjectType != "case" || e.ObjectID != c.ID || e.Actor != w.actor || !e.CreatedAt.Equal(at) || !docket.ValidID(docket.PrefixEvent, e.ID) {
					t.Fatalf("%s: event %+v", w.name, e)
				}
				var snap docket.Case
				noErr(t, json.Unmarshal(e.Object, &snap))
				if snap.ID != c.ID || snap.Version != c.Version || snap.Status != c.Status || !slices.Equal(snap.Tags, c.Tags) || !slices.Equal(snap.ObjectIDs, c.ObjectIDs) {
					t.Fatalf("%s: snapshot %s does not match the case %s", w.name, e.Object, jsonText(t, c))
				}
				if found := must[*docket.Event](t)(s.FindEvent(ctx, e.ID)); string(found.Object) != string(e.Object) || found.Name != e.Name {
					t.Fatalf("FindEvent differs from ListEvents")
				}
			}
			slices.Sort(names)
			wantStrings(t, w.name+": events", names, w.events)
		}
	})
}

func TestEventsOfOtherObjects(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		name := "KYC 2"
		must[*docket.CaseTemplate](t)(s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{Name: &name}))
		must[*docket.CaseTemplate](t)(s.ArchiveTemplate(ctx, apiActor, tm.ID))
		u := mkUser(t, s, "alice@example.com")
		must[*docket.User](t)(s.UpdateUser(ctx, apiActor, u.ID, docket.UserUpdate{Name: &name}))
		a := mkAccount(t, s, "ref")
		must[*docket.Account](t)(s.UpdateAccount(ctx, apiActor, a.ID, docket.AccountUpdate{Fields: map[string]any{"x": 1.0}}))
		must[*docket.Account](t)(s.RedactAccount(ctx, apiActor, a.ID))
		for id, want := range map[string][]string{
			tm.ID: {docket.EventTemplateArchived, docket.EventTemplateCreated, docket.EventTemplateUpdated},
			u.ID:  {docket.EventUserCreated, docket.EventUserUpdated},
			a.ID:  {docket.EventAccountCreated, docket.EventAccountRedacted, docket.EventAccountUpdated},
		} {
			wantStrings(t, id, eventNames(t, s, id), want)
		}
		for _, e := range allEvents(t, s, docket.EventFilter{ObjectID: tm.ID}) {
			if e.ObjectType != "case-template" || e.Actor != apiActor {
				t.Fatalf("template event %+v", e)
			}
		}
	})
}

// A write that fails leaves no event behind: the event is in the write's transaction.
func TestFailedWritesLeaveNoEvent(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC", FieldSchemas: []docket.FieldSchema{{Key: "req", Type: docket.FieldString, Required: true}}})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"req": "x"}})
		acct := mkAccount(t, s, "ref-1")
		mkUser(t, s, "alice@example.com")
		ghost := docket.NewID(docket.PrefixAccount)
		failures := []struct {
			name string
			do   func() error
		}{
			{"create case, second object unknown", func() error {
				_, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"req": "y"}, Tags: []string{"new"}, ObjectIDs: []string{acct.ID, ghost}})
				return err
			}},
			{"create case, required field missing", func() error {
				_, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID})
				return err
			}},
			{"unknown status", func() error { _, err := s.SetCaseStatus(ctx, apiActor, c.ID, "Nope"); return err }},
			{"assign to unknown email", func() error { _, err := s.AssignCase(ctx, apiActor, c.ID, "x@example.com"); return err }},
			{"null a required field", func() error {
				_, err := s.UpdateCase(ctx, apiActor, c.ID, docket.CaseUpdate{Fields: map[string]any{"req": nil}})
				return err
			}},
			{"attach known then unknown", func() error { _, err := s.AddCaseObjects(ctx, apiActor, c.ID, []string{acct.ID, ghost}); return err }},
			{"empty comment", func() error { _, err := s.AddComment(ctx, apiActor, c.ID, " "); return err }},
			{"duplicate template key", func() error { return s.CreateTemplate(ctx, apiActor, &docket.CaseTemplate{Name: "x", Key: "KYC"}) }},
			{"template drops a held status", func() error {
				st := statuses("New", "initial", "Done", "end")
				_, err := s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{Statuses: &st})
				return err
			}},
			{"duplicate user email", func() error {
				return s.CreateUser(ctx, apiActor, &docket.User{Email: "ALICE@example.com", Role: "admin"})
			}},
			{"duplicate account reference", func() error { return s.CreateAccount(ctx, apiActor, &docket.Account{ReferenceID: ptr("ref-1")}) }},
		}
		events, version := countEvents(t, s), c.Version
		for _, f := range failures {
			t.Run(f.name, func(t *testing.T) {
				if err := f.do(); docket.ErrorCode(err) == "" {
					t.Fatalf("want a user error, got %v", err)
				}
				if n := countEvents(t, s); n != events {
					t.Fatalf("failed write left %d events", n-events)
				}
			})
		}
		got := caseOK(t)(s.FindCase(ctx, c.ID))
		if got.Version != version || len(got.ObjectIDs) != 0 || got.AssigneeID != nil || got.Status != "Open" {
			t.Fatalf("failed writes changed the case: %+v", got)
		}
		if cases := allCases(t, s, docket.CaseFilter{}); len(cases) != 1 {
			t.Fatalf("failed creates left cases: %v", caseNames(cases))
		}
	})
}

func TestListEvents(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		var cases []*docket.Case
		for range 5 {
			c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
			caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, "Pending"))
			cases = append(cases, c)
		}
		all := allEvents(t, s, docket.EventFilter{})
		if len(all) != 11 {
			t.Fatalf("%d events, want 11", len(all))
		}
		ids := make([]string, len(all))
		for i, e := range all {
			ids[i] = e.ID
		}
		want := idOrder(ids...)
		slices.Reverse(want)
		wantStrings(t, "newest first", ids, want)
		if got := allEvents(t, s, docket.EventFilter{Name: docket.EventCaseCreated}); len(got) != 5 {
			t.Fatalf("%d case.created events, want 5", len(got))
		}
		if got := allEvents(t, s, docket.EventFilter{Name: docket.EventCaseStatusUpdated, ObjectID: cases[2].ID}); len(got) != 1 || got[0].ObjectID != cases[2].ID {
			t.Fatalf("name and object filter: %+v", got)
		}
		if got := allEvents(t, s, docket.EventFilter{ObjectType: "case-template"}); len(got) != 1 || got[0].ObjectID != tm.ID {
			t.Fatalf("object type filter: %+v", got)
		}
		if got := allEvents(t, s, docket.EventFilter{ObjectType: "case", Name: docket.EventCaseCreated, ObjectID: cases[1].ID}); len(got) != 1 {
			t.Fatalf("type, name and object filters: %+v", got)
		}
		if got := allEvents(t, s, docket.EventFilter{IDs: []string{ids[7], ids[2], docket.NewID(docket.PrefixEvent)}}); len(got) != 2 || got[0].ID != ids[2] || got[1].ID != ids[7] {
			t.Fatalf("ids filter: %+v", got)
		}
		page, r := must2[*docket.Event](t)(s.ListEvents(ctx, docket.EventFilter{Page: docket.Page{Size: 4, After: ids[3]}}))
		if len(page) != 4 || page[0].ID != ids[4] || !r.HasNext || !r.HasPrev {
			t.Fatalf("second page: %d %+v", len(page), r)
		}
		page, r = must2[*docket.Event](t)(s.ListEvents(ctx, docket.EventFilter{Page: docket.Page{Size: 4, Before: ids[4]}}))
		if len(page) != 4 || page[0].ID != ids[0] || r.HasPrev {
			t.Fatalf("page before: %d %+v", len(page), r)
		}
		_, err := s.FindEvent(ctx, docket.NewID(docket.PrefixEvent))
		wantErr(t, err, docket.ENotFound, "")
	})
}
