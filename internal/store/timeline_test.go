package store_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// timeline reads a whole timeline with pages of size n, newest first, and checks that
// reading it back with Before gives the same pages.
func timeline(t *testing.T, s *store.Store, f docket.TimelineFilter, n int) []*docket.Event {
	t.Helper()
	f.Page = docket.Page{Size: n}
	var out []*docket.Event
	var pages [][]*docket.Event
	for {
		page, r, err := s.CaseTimeline(ctx, f)
		noErr(t, err)
		out, pages = append(out, page...), append(pages, page)
		if !r.HasNext {
			break
		}
		f.Page = docket.Page{Size: n, After: page[len(page)-1].ID}
	}
	for i := len(pages) - 1; i > 0; i-- {
		page, r, err := s.CaseTimeline(ctx, docket.TimelineFilter{CaseID: f.CaseID, Visibility: f.Visibility, Page: docket.Page{Size: n, Before: pages[i][0].ID}})
		noErr(t, err)
		if !r.HasNext || eventIDs(page) != eventIDs(pages[i-1]) {
			t.Fatalf("page %d read backwards is %s, want %s", i-1, eventIDs(page), eventIDs(pages[i-1]))
		}
	}
	return out
}

func eventIDs(events []*docket.Event) string {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return strings.Join(ids, ",")
}

func TestCaseTimeline(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		acct, other := mkAccount(t, s, "cust-1"), mkAccount(t, s, "cust-2")
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, ObjectIDs: []string{acct.ID, other.ID}})
		elsewhere := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, ObjectIDs: []string{acct.ID}})
		cm := must[*docket.Comment](t)(s.AddComment(ctx, apiActor, c.ID, "hello"))
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, "Approved"))
		must[*docket.Account](t)(s.UpdateAccount(ctx, apiActor, acct.ID, docket.AccountUpdate{Fields: map[string]any{"a": 1}}))
		// Detached objects leave the timeline; other cases' events never enter it.
		caseOK(t)(s.RemoveCaseObjects(ctx, apiActor, c.ID, []string{other.ID}))
		must[*docket.Comment](t)(s.AddComment(ctx, apiActor, elsewhere.ID, "not here"))

		var want []string
		for _, e := range allEvents(t, s, docket.EventFilter{}) {
			if e.ObjectID == c.ID || e.ObjectID == cm.ID || e.ObjectID == acct.ID {
				want = append(want, e.Name)
			}
		}
		for _, n := range []int{1, 2, 100} {
			got := timeline(t, s, docket.TimelineFilter{CaseID: c.ID}, n)
			var names []string
			for _, e := range got {
				names = append(names, e.Name)
			}
			wantStrings(t, "timeline", names, want)
		}
		wantStrings(t, "newest first", want[:4], []string{docket.EventCaseUpdatedObjects, docket.EventAccountUpdated, docket.EventCaseResolved, docket.EventCaseStatusUpdated})

		// A case the reader may not see has no timeline, as it does not exist.
		_, _, err := s.CaseTimeline(ctx, docket.TimelineFilter{CaseID: c.ID, Visibility: docket.Visibility{HiddenTemplateIDs: []string{tm.ID}}})
		wantErr(t, err, docket.ENotFound, "")
		_, _, err = s.CaseTimeline(ctx, docket.TimelineFilter{CaseID: "case_01h455vb4pex5vsknk084sn02q"})
		wantErr(t, err, docket.ENotFound, "")
	})
}

func TestNameActors(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		u := mkUser(t, s, "ada@example.com")
		key := must[*docket.APIKey](t)(s.CreateAPIKey(ctx, "ci-bot", []string{docket.ScopeAll}, docket.NewAPIKeySecret()))
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		wf := must[*docket.Workflow](t)(s.CreateWorkflow(ctx, apiActor, docket.NewWorkflow{Name: "Park", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerCaseAction},
			Steps:   []docket.WorkflowStep{{ID: "a", Type: docket.StepAction, Action: "tag-object", Params: map[string]any{"tags": []any{"x"}}}}}}))
		must[*docket.Workflow](t)(s.PublishWorkflow(ctx, apiActor, wf.ID))
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		run := must[*docket.WorkflowRun](t)(s.StartWorkflowRun(ctx, apiActor, wf.ID, docket.RunStart{TriggerType: docket.TriggerCaseAction, CaseID: c.ID}))

		actors := []docket.Actor{
			{Type: docket.ActorUser, ID: u.ID}, {Type: docket.ActorAPIKey, ID: key.ID}, {Type: docket.ActorWorkflowRun, ID: run.ID},
			{Type: docket.ActorAssignmentPolicy, ID: tm.ID}, {Type: docket.ActorSystem, ID: "schedule"},
			{Type: docket.ActorUser, ID: "user_01h455vb4pex5vsknk084sn02q"}, {Type: docket.ActorUser, ID: u.ID},
		}
		n := must[docket.ActorNames](t)(s.NameActors(ctx, actors))
		for i, want := range []string{"ada", "ci-bot", "Park", "KYC review", "", "", "ada"} {
			if got := n.Name(actors[i]); got != want {
				t.Errorf("name of %v is %q, want %q", actors[i], got, want)
			}
		}
		if n.RunWorkflows[run.ID] != wf.ID {
			t.Errorf("run %s is of workflow %q, want %s", run.ID, n.RunWorkflows[run.ID], wf.ID)
		}
	})
}

func TestCaseActionsList(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		kyc := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		aml := mkTemplate(t, s, &docket.CaseTemplate{Name: "AML", Key: "AML"})
		steps := []docket.WorkflowStep{{ID: "a", Type: docket.StepAction, Action: "tag-object", Params: map[string]any{"tags": []any{"x"}}}}
		mk := func(name string, trig docket.Trigger, publish bool) {
			wf := must[*docket.Workflow](t)(s.CreateWorkflow(ctx, apiActor, docket.NewWorkflow{Name: name, Definition: docket.WorkflowDefinition{Trigger: trig, Steps: steps}}))
			if publish {
				must[*docket.Workflow](t)(s.PublishWorkflow(ctx, apiActor, wf.ID))
			}
		}
		mk("b any template", docket.Trigger{Type: docket.TriggerCaseAction,
			InputSchema: []docket.FieldSchema{{Key: "why", Type: docket.FieldString}}}, true)
		mk("a KYC only", docket.Trigger{Type: docket.TriggerCaseAction, CaseTemplateIDs: []string{kyc.ID}}, true)
		mk("c AML only", docket.Trigger{Type: docket.TriggerCaseAction, CaseTemplateIDs: []string{aml.ID}}, true)
		mk("d a draft", docket.Trigger{Type: docket.TriggerCaseAction}, false)
		mk("e an event", docket.Trigger{Type: docket.TriggerEvent, Event: "case.created"}, true)

		list := must[[]*docket.CaseAction](t)(s.CaseActions(ctx, kyc.ID))
		var names []string
		for _, a := range list {
			names = append(names, a.Workflow.Name)
		}
		wantStrings(t, "case actions on KYC", names, []string{"a KYC only", "b any template"})
		if len(list[1].Trigger.InputSchema) != 1 {
			t.Fatalf("a case action carries its published trigger: %+v", list[1].Trigger)
		}
	})
}

func TestSetCaseStatusWithComment(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		long := strings.Repeat("x", docket.MaxCommentLength+1)
		for _, tc := range []struct {
			name, status, comment string
			code, field           string
			wantStatus            string
			wantComments          int
			wantEvents            []string // sorted
		}{
			{name: "status and comment", status: "Approved", comment: " looks fine ", wantStatus: "Approved", wantComments: 1,
				wantEvents: []string{docket.EventCommentCreated, docket.EventCaseCreated, docket.EventCaseResolved, docket.EventCaseStatusUpdated}},
			{name: "status alone", status: "Pending", wantStatus: "Pending",
				wantEvents: []string{docket.EventCaseCreated, docket.EventCaseStatusUpdated}},
			{name: "comment alone", status: "Open", comment: "still open", wantStatus: "Open", wantComments: 1,
				wantEvents: []string{docket.EventCommentCreated, docket.EventCaseCreated}},
			{name: "unknown status", status: "Nope", comment: "why", code: docket.EInvalid, field: "status", wantStatus: "Open",
				wantEvents: []string{docket.EventCaseCreated}},
			{name: "comment too long", status: "Approved", comment: long, code: docket.EInvalid, field: "comment", wantStatus: "Open",
				wantEvents: []string{docket.EventCaseCreated}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
				got, cm, err := s.SetCaseStatusWithComment(ctx, apiActor, c.ID, tc.status, tc.comment)
				if tc.code != "" {
					wantErr(t, err, tc.code, tc.field)
				} else {
					noErr(t, err)
					if got.Status != tc.wantStatus || (cm != nil) != (tc.wantComments > 0) {
						t.Fatalf("got %s with comment %v", got.Status, cm)
					}
				}
				c = caseOK(t)(s.FindCase(ctx, c.ID))
				if c.Status != tc.wantStatus || len(c.CommentIDs) != tc.wantComments {
					t.Fatalf("case is %s with %d comments, want %s with %d", c.Status, len(c.CommentIDs), tc.wantStatus, tc.wantComments)
				}
				events, _ := must2[*docket.Event](t)(s.CaseTimeline(ctx, docket.TimelineFilter{CaseID: c.ID, Page: docket.Page{Size: 10}}))
				var names []string
				for _, e := range events {
					names = append(names, e.Name)
				}
				sort.Strings(names)
				wantStrings(t, "events", names, tc.wantEvents)
			})
		}
	})
}
