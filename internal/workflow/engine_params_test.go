package workflow_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestEngineNumbers: numbers behave as numbers in runs. An api trigger's float input is
// compared in a condition, integer input in an expression parameter, and plain JSON
// numbers in integer parameters (create-case's sla-expires-in-seconds, set-case-sla's
// expires-in-seconds) are taken, after the run's definition and input went through the
// store. (Issue 11, item 11: json.Number > int errored the run.)
func TestEngineNumbers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		tmpl := &docket.CaseTemplate{Name: "Big payments", Key: "PAY"}
		noErr(t, s.CreateTemplate(ctx, admin, tmpl))
		w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Big payments", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerAPI, InputSchema: []docket.FieldSchema{
				{Key: "amount", Type: docket.FieldFloat, Required: true}, {Key: "hours", Type: docket.FieldInteger, Required: true}}},
			Steps: []docket.WorkflowStep{
				{ID: "big", Type: docket.StepConditional, Routes: []docket.Route{
					{Condition: `input.amount > 100 && input.hours == 2`, Next: "open"}, {Next: "end"}}},
				{ID: "open", Type: docket.StepAction, Action: "create-case",
					Params: map[string]any{"case-template-id": tmpl.ID, "sla-expires-in-seconds": 3600}},
				{ID: "sla", Type: docket.StepAction, Action: "set-case-sla", Params: map[string]any{"expires-in-seconds": "=input.hours * 3600"}},
				{ID: "sla-again", Type: docket.StepConditional, Routes: []docket.Route{
					{Condition: `steps.open["sla-expires-at"] != nil && steps.big.route == 0`, Next: "tighten"}, {Next: "end"}}},
				{ID: "tighten", Type: docket.StepAction, Action: "set-case-sla", Params: map[string]any{"expires-in-seconds": 1800}},
			}}})
		noErr(t, err)
		_, err = s.PublishWorkflow(ctx, admin, w.ID)
		noErr(t, err)
		start := func(amount float64) {
			t.Helper()
			_, err := s.StartWorkflowRun(ctx, admin, w.ID, docket.RunStart{TriggerType: docket.TriggerAPI,
				Input: map[string]any{"amount": amount, "hours": 2}})
			noErr(t, err)
		}
		start(150.5)
		r := waitRun(t, s, w.ID, "", docket.RunCompleted)
		if len(r.Steps) != 5 {
			t.Fatalf("run took %d steps, want 5: %+v", len(r.Steps), r.Steps)
		}
		c, err := s.FindCase(ctx, r.Steps[1].Output.(map[string]any)["id"].(string))
		noErr(t, err)
		if c.SLAExpiresAt == nil || c.SLAExpiresAt.Sub(r.Steps[4].StartedAt).Minutes() > 31 {
			t.Fatalf("case SLA %v, want about 30 minutes after the last step", c.SLAExpiresAt)
		}
		start(99.5)
		r = waitRun(t, s, w.ID, "", docket.RunCompleted)
		if len(r.Steps) != 1 {
			t.Fatalf("a small amount took %d steps, want 1: %+v", len(r.Steps), r.Steps)
		}
	})
}

// TestEngineParamTypeAtRunTime: an expression whose value has the wrong type for its
// parameter errors the run at once, naming the parameter.
func TestEngineParamTypeAtRunTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		tmpl := &docket.CaseTemplate{Name: "SLA", Key: "SLA"}
		noErr(t, s.CreateTemplate(ctx, admin, tmpl))
		w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Bad SLA", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerAPI},
			Steps: []docket.WorkflowStep{
				{ID: "open", Type: docket.StepAction, Action: "create-case", Params: map[string]any{"case-template-id": tmpl.ID}},
				{ID: "sla", Type: docket.StepAction, Action: "set-case-sla", Params: map[string]any{"expires-in-seconds": `="soon"`}},
			}}})
		noErr(t, err)
		_, err = s.PublishWorkflow(ctx, admin, w.ID)
		noErr(t, err)
		_, err = s.StartWorkflowRun(ctx, admin, w.ID, docket.RunStart{TriggerType: docket.TriggerAPI})
		noErr(t, err)
		r := waitRun(t, s, w.ID, "", docket.RunErrored)
		if r.Error == nil || !strings.Contains(*r.Error, "expires-in-seconds") || len(r.Steps) != 2 || r.Steps[1].Attempts != 1 {
			t.Fatalf("run error %v after %+v, want expires-in-seconds refused on the first attempt", r.Error, r.Steps)
		}
	})
}

// TestEngineHTTPSRequestPlainHTTP: an https-request to a plain http URL is refused as
// webhooks are (DOCKET_WEBHOOK_ALLOW_HTTP): at save time when the URL is written out, and
// at run time when an expression makes it, without a request being sent. (Issue 11,
// item 10.)
func TestEngineHTTPSRequestPlainHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStoreWith(t, dbURL, nil) // no host may be called over plain http
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
		t.Cleanup(srv.Close)
		call := func(url string) docket.WorkflowDefinition {
			return docket.WorkflowDefinition{Trigger: docket.Trigger{Type: docket.TriggerAPI},
				Steps: []docket.WorkflowStep{{ID: "call", Type: docket.StepAction, Action: "https-request", Params: map[string]any{"url": url}}}}
		}
		_, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Plain", Definition: call(srv.URL)})
		if docket.ErrorCode(err) != docket.EInvalid || !strings.Contains(err.Error(), "https") {
			t.Fatalf("saving an http URL: %v, want refused", err)
		}
		w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Computed", Definition: call(`="` + srv.URL + `"`)})
		noErr(t, err)
		_, err = s.PublishWorkflow(ctx, admin, w.ID)
		noErr(t, err)
		_, err = s.StartWorkflowRun(ctx, admin, w.ID, docket.RunStart{TriggerType: docket.TriggerAPI})
		noErr(t, err)
		r := waitRun(t, s, w.ID, "", docket.RunErrored)
		if r.Error == nil || !strings.Contains(*r.Error, "must use https") || calls.Load() != 0 {
			t.Fatalf("run error %v with %d requests sent, want the URL refused before sending", r.Error, calls.Load())
		}
	})
}
