package workflow_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/worker"
)

var admin = docket.Actor{Type: docket.ActorUser, ID: "user_test"}

// startStore opens a store with its workers running, as docket serve does, with plain
// http allowed to 127.0.0.1 (https-request tests call an httptest server).
func startStore(t testing.TB, dbURL string) *store.Store {
	t.Helper()
	return startStoreWith(t, dbURL, func(host string) bool { return host == "127.0.0.1" })
}

// startStoreWith is startStore with the hosts that may be called over plain http.
func startStoreWith(t testing.TB, dbURL string, allowHTTP func(string) bool) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := worker.OpenStoreWith(ctx, dbURL, worker.StoreOptions{AllowHTTP: allowHTTP})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hooks := webhook.DefaultConfig()
	hooks.AllowPrivate = true // https-request tests call a server on loopback
	r, err := worker.New(ctx, s, worker.Config{Webhook: hooks, PollInterval: 20 * time.Millisecond, AllowHTTP: allowHTTP}, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		r.Stop(ctx)
		s.Close()
	})
	return s
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// waitRun waits until the workflow's newest run for object has stopped moving.
func waitRun(t *testing.T, s *store.Store, workflowID, objectID, status string) *docket.WorkflowRun {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last *docket.WorkflowRun
	for time.Now().Before(deadline) {
		runs, _, err := s.ListWorkflowRuns(context.Background(), docket.WorkflowRunFilter{WorkflowID: workflowID, ObjectID: objectID, Page: docket.Page{Size: 10}})
		noErr(t, err)
		if len(runs) > 0 {
			last = runs[0]
			if last.Status == status {
				return last
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("run of %s on %s never became %s; last: %+v", workflowID, objectID, status, last)
	return nil
}

func TestEngineUnder18(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		tmpl := &docket.CaseTemplate{Name: "KYC review", Key: "KYC", Statuses: []docket.Status{{Name: "Open", Type: docket.StatusInitial},
			{Name: "Approved", Type: docket.StatusEnd}, {Name: "Declined", Type: docket.StatusEnd}}}
		noErr(t, s.CreateTemplate(ctx, admin, tmpl))
		w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Under 18", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerEvent, Event: "inquiry.completed", Condition: `age(trigger.fields.birthdate) < 18`},
			Steps: []docket.WorkflowStep{
				{ID: "review", Type: docket.StepAction, Action: "mark-inquiry-for-review"},
				{ID: "open-case", Type: docket.StepAction, Action: "create-case", Params: map[string]any{"case-template-id": tmpl.ID}},
			}}})
		noErr(t, err)
		_, err = s.PublishWorkflow(ctx, admin, w.ID)
		noErr(t, err)
		q, err := s.CreateInquiry(ctx, admin, docket.NewInquiry{Fields: map[string]any{"birthdate": "2012-01-02"}})
		noErr(t, err)
		_, err = s.InquiryAction(ctx, admin, q.ID, "complete", nil)
		noErr(t, err)
		r := waitRun(t, s, w.ID, q.ID, docket.RunCompleted)
		q, err = s.FindInquiry(ctx, q.ID)
		noErr(t, err)
		if q.Status != "needs_review" {
			t.Fatalf("inquiry %s, want needs_review; run %+v", q.Status, r)
		}
		cases, _, err := s.ListCases(ctx, docket.CaseFilter{InquiryID: q.ID})
		noErr(t, err)
		if len(cases) != 1 || cases[0].Creator.Type != docket.ActorWorkflowRun || cases[0].Creator.ID != r.ID {
			t.Fatalf("cases %+v", cases)
		}
	})
}

// kycSetup creates the KYC template and publishes the seed 003 pair of workflows.
func kycSetup(t *testing.T, s *store.Store) (tmpl *docket.CaseTemplate, open, resolve *docket.Workflow) {
	t.Helper()
	ctx := context.Background()
	tmpl = &docket.CaseTemplate{Name: "KYC review", Key: "KYC"}
	noErr(t, s.CreateTemplate(ctx, admin, tmpl))
	publish := func(name string, def docket.WorkflowDefinition) *docket.Workflow {
		w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: name, Definition: def})
		noErr(t, err)
		w, err = s.PublishWorkflow(ctx, admin, w.ID)
		noErr(t, err)
		return w
	}
	open = publish("Under 18", docket.WorkflowDefinition{
		Trigger: docket.Trigger{Type: docket.TriggerEvent, Event: "inquiry.completed", Condition: `age(trigger.fields.birthdate) < 18`},
		Steps: []docket.WorkflowStep{
			{ID: "review", Type: docket.StepAction, Action: "mark-inquiry-for-review"},
			{ID: "open-case", Type: docket.StepAction, Action: "create-case", Params: map[string]any{"case-template-id": tmpl.ID,
				"fields": map[string]any{}, "tags": []any{"=\"minor\""}}},
		}})
	resolve = publish("Case decides inquiry", docket.WorkflowDefinition{
		Trigger: docket.Trigger{Type: docket.TriggerEvent, Event: "case.resolved", Condition: `trigger["case-template-id"] == "` + tmpl.ID + `"`},
		Steps: []docket.WorkflowStep{
			{ID: "route", Type: docket.StepConditional, Routes: []docket.Route{
				{Condition: `trigger.resolution == "Approved"`, Next: "approve"},
				{Condition: `trigger.resolution == "Declined"`, Next: "decline"},
				{Next: "end"}}},
			{ID: "approve", Type: docket.StepAction, Action: "approve-inquiry", Next: "end"},
			{ID: "decline", Type: docket.StepAction, Action: "decline-inquiry"},
		}})
	return tmpl, open, resolve
}

func TestEngineCaseResolutionDecidesInquiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		_, open, resolve := kycSetup(t, s)
		for _, tt := range []struct{ resolution, want string }{{"Approved", "approved"}, {"Declined", "declined"}} {
			q, err := s.CreateInquiry(ctx, admin, docket.NewInquiry{Fields: map[string]any{"birthdate": "2015-05-05"}})
			noErr(t, err)
			_, err = s.InquiryAction(ctx, admin, q.ID, "complete", nil)
			noErr(t, err)
			waitRun(t, s, open.ID, q.ID, docket.RunCompleted)
			cases, _, err := s.ListCases(ctx, docket.CaseFilter{InquiryID: q.ID})
			noErr(t, err)
			if len(cases) != 1 || len(cases[0].Tags) != 1 || cases[0].Tags[0] != "minor" {
				t.Fatalf("cases %+v", cases)
			}
			_, err = s.SetCaseStatus(ctx, admin, cases[0].ID, tt.resolution)
			noErr(t, err)
			r := waitRun(t, s, resolve.ID, cases[0].ID, docket.RunCompleted)
			q, err = s.FindInquiry(ctx, q.ID)
			noErr(t, err)
			if q.Status != tt.want || len(r.Steps) != 2 {
				t.Fatalf("resolved %s: inquiry %s, want %s; run steps %+v", tt.resolution, q.Status, tt.want, r.Steps)
			}
		}
		adult, err := s.CreateInquiry(ctx, admin, docket.NewInquiry{Fields: map[string]any{"birthdate": "1980-05-05"}})
		noErr(t, err)
		_, err = s.InquiryAction(ctx, admin, adult.ID, "complete", nil)
		noErr(t, err)
		time.Sleep(300 * time.Millisecond)
		runs, _, err := s.ListWorkflowRuns(ctx, docket.WorkflowRunFilter{ObjectID: adult.ID, Page: docket.Page{Size: 10}})
		noErr(t, err)
		if len(runs) != 0 {
			t.Fatalf("an adult's inquiry started %d runs", len(runs))
		}
	})
}

func TestEngineWaitExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		tmpl := &docket.CaseTemplate{Name: "KYC review", Key: "KYC"}
		noErr(t, s.CreateTemplate(ctx, admin, tmpl))
		w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Chase", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerEvent, Event: "inquiry.completed"},
			Steps: []docket.WorkflowStep{
				{ID: "open-case", Type: docket.StepAction, Action: "create-case", Params: map[string]any{"case-template-id": tmpl.ID}},
				{ID: "wait", Type: docket.StepWait, Event: "case.resolved", ObjectID: `=steps["open-case"].id`, Timeout: "1s", OnTimeout: "escalate"},
				{ID: "done", Type: docket.StepAction, Action: "tag-object", Params: map[string]any{"tags": "resolved-in-time"}, Next: "end"},
				{ID: "escalate", Type: docket.StepAction, Action: "tag-object", Params: map[string]any{"tags": "overdue", "object-id": `=steps["open-case"].id`}},
			}}})
		noErr(t, err)
		_, err = s.PublishWorkflow(ctx, admin, w.ID)
		noErr(t, err)
		q, err := s.CreateInquiry(ctx, admin, docket.NewInquiry{})
		noErr(t, err)
		_, err = s.InquiryAction(ctx, admin, q.ID, "complete", nil)
		noErr(t, err)
		r := waitRun(t, s, w.ID, q.ID, docket.RunCompleted)
		c, err := s.FindCase(ctx, r.Steps[0].Output.(map[string]any)["id"].(string))
		noErr(t, err)
		if len(c.Tags) != 1 || c.Tags[0] != "overdue" || len(r.Steps) != 3 || r.Steps[1].Output.(map[string]any)["timed-out"] != true {
			t.Fatalf("case tags %v; steps %+v", c.Tags, r.Steps)
		}
	})
}

// TestEngineScheduleAndLoopLimit: a due schedule starts exactly one run per due time, and a
// workflow that reacts to its own writes stops after MaxRunDepth runs in a chain.
func TestEngineScheduleAndLoopLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		acc := &docket.Account{}
		noErr(t, s.CreateAccount(ctx, admin, acc))
		sched, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Nightly", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerSchedule, Schedule: "@every 1h"},
			Steps:   []docket.WorkflowStep{{ID: "tag", Type: docket.StepAction, Action: "tag-object", Params: map[string]any{"object-id": acc.ID, "tags": "nightly"}}}}})
		noErr(t, err)
		sched, err = s.PublishWorkflow(ctx, admin, sched.ID)
		noErr(t, err)
		due := sched.NextRunAt.Add(time.Second)
		for i, want := range []int{1, 0} { // the second call finds next_run_at moved on
			got, err := s.RunDueSchedules(ctx, due, 10)
			noErr(t, err)
			if got != want {
				t.Fatalf("call %d started %d runs, want %d", i+1, got, want)
			}
		}
		// Every account update triggers the workflow, whose tag-object updates the account.
		// The scheduled run finishes first: its own account.updated must not start a chain here.
		waitRun(t, s, sched.ID, "", docket.RunCompleted)
		loop, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Loop", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerEvent, Event: "account.updated"},
			Steps:   []docket.WorkflowStep{{ID: "tag", Type: docket.StepAction, Action: "tag-object", Params: map[string]any{"tags": `="t" + string(len(trigger.tags))`}}}}})
		noErr(t, err)
		_, err = s.PublishWorkflow(ctx, admin, loop.ID)
		noErr(t, err)
		_, err = s.UpdateAccount(ctx, admin, acc.ID, docket.AccountUpdate{Fields: map[string]any{"x": 1}})
		noErr(t, err)
		deadline := time.Now().Add(10 * time.Second)
		var runs []*docket.WorkflowRun
		for time.Now().Before(deadline) {
			runs, _, err = s.ListWorkflowRuns(ctx, docket.WorkflowRunFilter{WorkflowID: loop.ID, Page: docket.Page{Size: 50}})
			noErr(t, err)
			if len(runs) == docket.MaxRunDepth+1 && runs[0].Status == docket.RunCompleted {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond)
		runs, _, err = s.ListWorkflowRuns(ctx, docket.WorkflowRunFilter{WorkflowID: loop.ID, Page: docket.Page{Size: 50}})
		noErr(t, err)
		if len(runs) != docket.MaxRunDepth+1 || runs[0].Depth != docket.MaxRunDepth {
			t.Fatalf("%d runs in the chain (deepest %d), want %d", len(runs), runs[0].Depth, docket.MaxRunDepth+1)
		}
	})
}

// TestEngineHTTPSRequest: an api-triggered run calls an outside service once, with the
// run's input, and records the answer as the step's output.
func TestEngineHTTPSRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		var mu sync.Mutex
		var keys []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			keys = append(keys, r.Header.Get("Idempotency-Key"))
			mu.Unlock()
			io.WriteString(w, `{"ok":true}`)
		}))
		t.Cleanup(srv.Close)
		w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Notify", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerAPI, InputSchema: []docket.FieldSchema{{Key: "who", Type: docket.FieldString, Required: true}}},
			Steps: []docket.WorkflowStep{{ID: "call", Type: docket.StepAction, Action: "https-request",
				Params: map[string]any{"url": srv.URL, "body": map[string]any{"who": "=input.who"}}}}}})
		noErr(t, err)
		_, err = s.PublishWorkflow(ctx, admin, w.ID)
		noErr(t, err)
		_, err = s.StartWorkflowRun(ctx, admin, w.ID, docket.RunStart{TriggerType: docket.TriggerAPI, Input: map[string]any{"who": "ada"}})
		noErr(t, err)
		r := waitRun(t, s, w.ID, "", docket.RunCompleted)
		out, _ := r.Steps[0].Output.(map[string]any)
		mu.Lock()
		defer mu.Unlock()
		if len(keys) != 1 || keys[0] != r.ID+".call" || fmt.Sprint(out["status"]) != "200" {
			t.Fatalf("requests %v; step output %v", keys, r.Steps[0].Output)
		}
	})
}

// TestEngineHTTPSRequestNUL: an answer holding NUL characters is still recorded (with
// U+FFFD in their place), although PostgreSQL's JSONB refuses \u0000.
func TestEngineHTTPSRequestNUL(t *testing.T) {
	cases := []struct{ name, answer, want string }{
		{name: "JSON", answer: `{"k\u0000":"a\u0000b"}`, want: "map[k\uFFFD:a\uFFFDb]"},
		{name: "text", answer: "a\x00b", want: "a\uFFFDb"},
	}
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					io.WriteString(w, c.answer)
				}))
				t.Cleanup(srv.Close)
				w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Call " + c.name, Definition: docket.WorkflowDefinition{
					Trigger: docket.Trigger{Type: docket.TriggerAPI},
					Steps:   []docket.WorkflowStep{{ID: "call", Type: docket.StepAction, Action: "https-request", Params: map[string]any{"url": srv.URL}}}}})
				noErr(t, err)
				_, err = s.PublishWorkflow(ctx, admin, w.ID)
				noErr(t, err)
				_, err = s.StartWorkflowRun(ctx, admin, w.ID, docket.RunStart{TriggerType: docket.TriggerAPI})
				noErr(t, err)
				r := waitRun(t, s, w.ID, "", docket.RunCompleted)
				out, _ := r.Steps[0].Output.(map[string]any)
				if got := fmt.Sprint(out["body"]); got != c.want {
					t.Fatalf("body recorded as %q, want %q", got, c.want)
				}
			})
		}
	})
}
