package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// step is one write in a sequence applied to a single case.
type step struct {
	name   string
	do     func(id string) (*docket.Case, error)
	code   string   // expected error code; empty: success
	field  string   // expected error field (see docket.Error)
	events []string // events this step must add to the case (sorted); nil: none
	check  func(t *testing.T, c *docket.Case)
}

// runSteps applies steps in order to case c, checking after each the error, the events it
// added, the version (+1 when it wrote events, unchanged otherwise) and that FindCase agrees.
func runSteps(t *testing.T, s *store.Store, c *docket.Case, steps []step) {
	t.Helper()
	version := c.Version
	seen := map[string]bool{}
	for _, e := range allEvents(t, s, docket.EventFilter{ObjectID: c.ID}) {
		seen[e.ID] = true
	}
	for _, st := range steps {
		got, err := st.do(c.ID)
		if st.code != "" {
			wantErr(t, err, st.code, st.field)
		} else if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		var added []string
		for _, e := range allEvents(t, s, docket.EventFilter{ObjectID: c.ID}) {
			if !seen[e.ID] {
				seen[e.ID] = true
				added = append(added, e.Name)
			}
		}
		slices.Sort(added)
		wantStrings(t, st.name+": events", added, st.events)
		found := caseOK(t)(s.FindCase(ctx, c.ID))
		if len(st.events) > 0 {
			version++
		}
		if found.Version != version {
			t.Fatalf("%s: version %d, want %d", st.name, found.Version, version)
		}
		if st.code == "" {
			if g, f := jsonText(t, got), jsonText(t, found); g != f {
				t.Fatalf("%s: returned and found cases differ:\n%s\n%s", st.name, g, f)
			}
		}
		if st.check != nil {
			st.check(t, found)
		}
	}
}

func TestSetCaseStatus(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		set := func(actor docket.Actor, status string) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) {
				clock.Add(time.Minute)
				return s.SetCaseStatus(ctx, actor, id, status)
			}
		}
		open := func(status string) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) {
				if c.Status != status || c.Resolution != nil || c.ResolvedAt != nil || c.Resolver != nil {
					t.Fatalf("want open in %s: %s %v %v %v", status, c.Status, c.Resolution, c.ResolvedAt, c.Resolver)
				}
			}
		}
		resolved := func(status string, by docket.Actor) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) {
				if c.Status != status || c.Resolution == nil || *c.Resolution != status || c.ResolvedAt == nil ||
					!c.ResolvedAt.Equal(clock.Now()) || c.Resolver == nil || *c.Resolver != by || !c.UpdatedAt.Equal(clock.Now()) {
					t.Fatalf("want resolved as %s by %v: %+v", status, by, c)
				}
			}
		}
		updated, resolvedEv, reopened := docket.EventCaseStatusUpdated, docket.EventCaseResolved, docket.EventCaseReopened
		runSteps(t, s, c, []step{
			{name: "to intermediate", do: set(apiActor, "Pending"), events: []string{updated}, check: open("Pending")},
			{name: "to end", do: set(userActor, "Approved"), events: []string{resolvedEv, updated}, check: resolved("Approved", userActor)},
			{name: "same end status", do: set(apiActor, "Approved"), check: func(t *testing.T, c *docket.Case) {
				if *c.Resolver != userActor || !c.ResolvedAt.Equal(clock.Now().Add(-time.Minute)) {
					t.Fatalf("no-op changed the resolution: %+v", c)
				}
			}},
			{name: "end to end", do: set(apiActor, "Declined"), events: []string{resolvedEv, updated}, check: resolved("Declined", apiActor)},
			{name: "end to initial", do: set(apiActor, "Open"), events: []string{reopened, updated}, check: open("Open")},
			{name: "same status", do: set(apiActor, "Open"), check: open("Open")},
			{name: "unknown status", do: set(apiActor, "Closed"), code: docket.EInvalid, field: "status"},
			{name: "status in wrong case", do: set(apiActor, "approved"), code: docket.EInvalid, field: "status"},
			{name: "empty status", do: set(apiActor, ""), code: docket.EInvalid, field: "status"},
			{name: "back to end", do: set(apiActor, "Approved"), events: []string{resolvedEv, updated}, check: resolved("Approved", apiActor)},
			{name: "end to intermediate", do: set(userActor, "Pending"), events: []string{reopened, updated}, check: func(t *testing.T, c *docket.Case) {
				open("Pending")(t, c)
				if *c.Updater != userActor {
					t.Fatalf("updater %+v", c.Updater)
				}
			}},
		})
	})
}

func TestAssignCase(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		alice, bob := mkUser(t, s, "alice@example.com"), mkUser(t, s, "bob@example.com")
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		other := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		assign := func(email string) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) {
				clock.Add(time.Second)
				return s.AssignCase(ctx, userActor, id, email)
			}
		}
		assignedTo := func(u *docket.User) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) {
				if u == nil {
					if c.AssigneeID != nil || c.AssignedAt != nil {
						t.Fatalf("want unassigned: %v %v", c.AssigneeID, c.AssignedAt)
					}
					return
				}
				if c.AssigneeID == nil || *c.AssigneeID != u.ID || c.AssignedAt == nil || c.Assigner == nil || *c.Assigner != userActor {
					t.Fatalf("want assigned to %s: %+v", u.Email, c)
				}
			}
		}
		ev := []string{docket.EventCaseAssigned}
		runSteps(t, s, c, []step{
			{name: "assign by email, any case", do: assign(" ALICE@example.com"), events: ev, check: assignedTo(alice)},
			{name: "assign again", do: assign("alice@example.com"), check: assignedTo(alice)},
			{name: "unknown email", do: assign("carol@example.com"), code: docket.EInvalid, field: "user-email-address", check: assignedTo(alice)},
			{name: "reassign", do: assign("bob@example.com"), events: ev, check: func(t *testing.T, c *docket.Case) {
				assignedTo(bob)(t, c)
				if !c.AssignedAt.Equal(clock.Now()) {
					t.Fatalf("assigned-at %v, want %v", c.AssignedAt, clock.Now())
				}
			}},
			{name: "unassign", do: assign(""), events: ev, check: assignedTo(nil)},
			{name: "unassign again", do: assign(""), check: assignedTo(nil)},
			{name: "assign back", do: assign("bob@example.com"), events: ev, check: assignedTo(bob)},
		})
		caseOK(t)(s.AssignCase(ctx, apiActor, other.ID, "alice@example.com"))
		wantStrings(t, "bob's cases", caseNames(allCases(t, s, docket.CaseFilter{AssigneeID: bob.ID})), []string{c.Name})
		wantStrings(t, "alice's cases", caseNames(allCases(t, s, docket.CaseFilter{AssigneeID: alice.ID})), []string{other.Name})
	})
}

func TestChangeCaseTags(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		tags := func(op string, tags ...string) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) { return s.ChangeCaseTags(ctx, apiActor, id, op, tags) }
		}
		want := func(tags ...string) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) { wantStrings(t, "tags", c.Tags, tags) }
		}
		many := make([]string, docket.MaxTags)
		for i := range many {
			many[i] = fmt.Sprintf("m%03d", i)
		}
		ev := []string{docket.EventCaseUpdatedTags}
		runSteps(t, s, c, []step{
			{name: "add deduped and sorted", do: tags("add", "b", "a", " b", "B"), events: ev, check: want("B", "a", "b")},
			{name: "add present", do: tags("add", "a"), check: want("B", "a", "b")},
			{name: "add one", do: tags("add", "Z", "c"), events: ev, check: want("B", "Z", "a", "b", "c")},
			{name: "remove some and absent", do: tags("remove", "b", "zzz", "B"), events: ev, check: want("Z", "a", "c")},
			{name: "remove absent", do: tags("remove", "zzz"), check: want("Z", "a", "c")},
			{name: "set", do: tags("set", "y", "x", "y"), events: ev, check: want("x", "y")},
			{name: "set same in other order", do: tags("set", "y", "x"), check: want("x", "y")},
			{name: "blank tag", do: tags("add", "ok", " "), code: docket.EInvalid, field: "tags[1]", check: want("x", "y")},
			{name: "tag too long", do: tags("add", strings.Repeat("t", docket.MaxTagLength+1)), code: docket.EInvalid, field: "tags[0]"},
			{name: "one too many in total", do: tags("add", many[:docket.MaxTags-1]...), code: docket.EInvalid, field: "tags", check: want("x", "y")},
			{name: "set to the maximum", do: tags("set", many...), events: ev, check: want(many...)},
			{name: "set empty", do: tags("set"), events: ev, check: want()},
		})
		if _, err := s.ChangeCaseTags(ctx, apiActor, c.ID, "toggle", []string{"a"}); err == nil {
			t.Fatal("unknown tag operation accepted")
		}
		caseOK(t)(s.ChangeCaseTags(ctx, apiActor, c.ID, "add", []string{"vip"}))
		wantStrings(t, "tagged", caseNames(allCases(t, s, docket.CaseFilter{Tag: "vip"})), []string{c.Name})
		wantStrings(t, "tag filter is exact", caseNames(allCases(t, s, docket.CaseFilter{Tag: "VIP"})), nil)
	})
}

func TestCaseObjects(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		a1, a2, a3 := mkAccount(t, s, "r1"), mkAccount(t, s, "r2"), mkAccount(t, s, "r3")
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		add := func(ids ...string) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) {
				clock.Add(time.Second)
				return s.AddCaseObjects(ctx, apiActor, id, ids)
			}
		}
		remove := func(ids ...string) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) { return s.RemoveCaseObjects(ctx, apiActor, id, ids) }
		}
		want := func(ids ...string) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) { wantStrings(t, "objects", c.ObjectIDs, ids) }
		}
		ev := []string{docket.EventCaseUpdatedObjects}
		runSteps(t, s, c, []step{
			{name: "add", do: add(a3.ID), events: ev, check: want(a3.ID)},
			{name: "add again", do: add(a3.ID), check: want(a3.ID)},
			{name: "add later ones come after", do: add(a2.ID, a1.ID, a3.ID), events: ev, check: want(append([]string{a3.ID}, idOrder(a1.ID, a2.ID)...)...)},
			{name: "remove", do: remove(a1.ID), events: ev, check: want(a3.ID, a2.ID)},
			{name: "remove again is a no-op", do: remove(a1.ID), check: want(a3.ID, a2.ID)},
			{name: "remove never attached", do: remove(docket.NewID(docket.PrefixAccount)), check: want(a3.ID, a2.ID)},
			{name: "add known then unknown: nothing attached", do: add(a1.ID, docket.NewID(docket.PrefixAccount)),
				code: docket.EInvalid, field: "object-ids[1]", check: want(a3.ID, a2.ID)},
			{name: "add malformed", do: add("act_nope"), code: docket.EInvalid, field: "object-ids[0]"},
			{name: "remove malformed", do: remove(a2.ID, "user_x"), code: docket.EInvalid, field: "object-ids[1]"},
			{name: "remove all", do: remove(a2.ID, a3.ID), events: ev, check: want()},
		})
		caseOK(t)(s.AddCaseObjects(ctx, apiActor, c.ID, []string{a2.ID}))
		wantStrings(t, "by account", caseNames(allCases(t, s, docket.CaseFilter{AccountID: a2.ID})), []string{c.Name})
		wantStrings(t, "by detached account", caseNames(allCases(t, s, docket.CaseFilter{AccountID: a1.ID})), nil)
		wantStrings(t, "by reference id", caseNames(allCases(t, s, docket.CaseFilter{ReferenceID: "r2"})), []string{c.Name})
	})
}

func TestUpdateCase(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC", FieldSchemas: []docket.FieldSchema{
			{Key: "a", Type: docket.FieldString}, {Key: "n", Type: docket.FieldInteger},
			{Key: "req", Type: docket.FieldString, Required: true}}})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"req": "x", "a": "1"}})
		fields := func(f map[string]any) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) {
				return s.UpdateCase(ctx, userActor, id, docket.CaseUpdate{Fields: f})
			}
		}
		sla := func(seconds *int64) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) {
				clock.Add(time.Minute)
				return s.UpdateCase(ctx, apiActor, id, docket.CaseUpdate{SetSLA: true, SLA: &seconds})
			}
		}
		want := func(js string) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) { wantJSON(t, "fields", c.Fields, js) }
		}
		slaAt := func(d *time.Duration) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) {
				if (d == nil) != (c.SLAExpiresAt == nil) || (d != nil && !c.SLAExpiresAt.Equal(clock.Now().Add(*d))) {
					t.Fatalf("sla-expires-at %v, want now + %v", c.SLAExpiresAt, d)
				}
			}
		}
		ev, slaEv := []string{docket.EventCaseUpdatedFields}, []string{docket.EventCaseSLAUpdated}
		queue := docket.NewID(docket.PrefixQueue)
		runSteps(t, s, c, []step{
			{name: "merge a field", do: fields(map[string]any{"n": 5.0}), events: ev, check: func(t *testing.T, c *docket.Case) {
				want(`{"a":"1","n":5,"req":"x"}`)(t, c)
				if *c.Updater != userActor {
					t.Fatalf("updater %+v", c.Updater)
				}
			}},
			{name: "same value", do: fields(map[string]any{"n": 5.0}), check: want(`{"a":"1","n":5,"req":"x"}`)},
			{name: "null removes", do: fields(map[string]any{"a": nil}), events: ev, check: want(`{"n":5,"req":"x"}`)},
			{name: "null on absent", do: fields(map[string]any{"a": nil}), check: want(`{"n":5,"req":"x"}`)},
			{name: "required to null", do: fields(map[string]any{"req": nil, "n": 6.0}), code: docket.EInvalid, field: "fields.req", check: want(`{"n":5,"req":"x"}`)},
			{name: "unknown field", do: fields(map[string]any{"zzz": 1.0}), code: docket.EInvalid, field: "fields.zzz"},
			{name: "wrong type", do: fields(map[string]any{"n": "five"}), code: docket.EInvalid, field: "fields.n"},
			{name: "change required", do: fields(map[string]any{"req": "y", "a": "2"}), events: ev, check: want(`{"a":"2","n":5,"req":"y"}`)},
			{name: "set SLA", do: sla(ptr(int64(60))), events: slaEv, check: slaAt(ptr(time.Minute))},
			{name: "clear SLA", do: sla(nil), events: slaEv, check: slaAt(nil)},
			{name: "clear absent SLA", do: sla(nil), check: slaAt(nil)},
			{name: "zero SLA", do: sla(ptr(int64(0))), code: docket.EInvalid, field: "sla-expires-in-seconds"},
			{name: "fields and SLA together", do: func(id string) (*docket.Case, error) {
				sec := ptr(int64(120))
				return s.UpdateCase(ctx, apiActor, id, docket.CaseUpdate{Fields: map[string]any{"n": 7.0}, SetSLA: true, SLA: &sec})
			}, events: []string{docket.EventCaseSLAUpdated, docket.EventCaseUpdatedFields}, check: slaAt(ptr(2 * time.Minute))},
			{name: "unknown queue", do: func(id string) (*docket.Case, error) {
				q := &queue
				return s.UpdateCase(ctx, apiActor, id, docket.CaseUpdate{SetQueue: true, QueueID: &q})
			}, code: docket.EInvalid, field: "case-queue-id"},
			{name: "no queue to no queue", do: func(id string) (*docket.Case, error) {
				var q *string
				return s.UpdateCase(ctx, apiActor, id, docket.CaseUpdate{SetQueue: true, QueueID: &q})
			}},
			{name: "empty update", do: func(id string) (*docket.Case, error) { return s.UpdateCase(ctx, apiActor, id, docket.CaseUpdate{}) }},
		})
	})
}
