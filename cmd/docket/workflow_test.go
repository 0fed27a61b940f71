package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

var workflowEnv = map[string]string{"DOCKET_JOB_POLL_INTERVAL": "20ms"}

// publishWorkflow creates a workflow from a definition (JSON) and publishes it.
func publishWorkflow(t *testing.T, base, name, definition string) string {
	t.Helper()
	w := must(t, 201)(call(t, base, "POST", "/api/v1/workflows",
		fmt.Sprintf(`{"data":{"attributes":{"name":%q,"definition":%s}}}`, name, definition)))
	id := w["id"].(string)
	if v := attr(must(t, 200)(call(t, base, "POST", "/api/v1/workflows/"+id+"/publish", "")), "version"); v != float64(1) {
		t.Fatalf("published version %v", v)
	}
	return id
}

// runOn waits for the one run of a workflow about an object to reach status.
func runOn(t *testing.T, base, workflowID, objectID, status string) map[string]any {
	t.Helper()
	var run map[string]any
	eventually(t, 15*time.Second, func() (bool, string) {
		_, doc := call(t, base, "GET", "/api/v1/workflow-runs?filter[workflow-id]="+workflowID+"&filter[object-id]="+objectID, "")
		list, _ := doc["data"].([]any)
		if len(list) != 1 {
			return false, fmt.Sprintf("%d runs", len(list))
		}
		run = list[0].(map[string]any)
		return attr(run, "status") == status, fmt.Sprintf("run %v", run["attributes"])
	})
	return run
}

func casesOf(t *testing.T, base, filter string) []any {
	t.Helper()
	_, doc := call(t, base, "GET", "/api/v1/cases?"+filter, "")
	list, _ := doc["data"].([]any)
	return list
}

// TestWorkflowSeed003 is the seed 003 story through HTTP: an under-18 inquiry that
// completes is marked for review and gets a KYC case; the case's resolution decides the
// inquiry; an adult's inquiry opens nothing.
func TestWorkflowSeed003(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := startServerEnv(t, dbURL, workflowEnv)
		tmpl := must(t, 201)(call(t, s.base, "POST", "/api/v1/case-templates", `{"data":{"attributes":{"name":"KYC review","key":"KYC"}}}`))["id"].(string)
		open := publishWorkflow(t, s.base, "Under 18 review", `{
			"trigger":{"type":"event","event":"inquiry.completed","condition":"age(trigger.fields.birthdate) < 18"},
			"steps":[{"id":"review","type":"action","action":"mark-inquiry-for-review"},
				{"id":"open-case","type":"action","action":"create-case","params":{"case-template-id":"`+tmpl+`"}}]}`)
		decide := publishWorkflow(t, s.base, "Case decides inquiry", `{
			"trigger":{"type":"event","event":"case.resolved","condition":"trigger[\"case-template-id\"] == \"`+tmpl+`\""},
			"steps":[{"id":"route","type":"conditional","routes":[
					{"condition":"trigger.resolution == \"Approved\"","next":"approve"},
					{"condition":"trigger.resolution == \"Declined\"","next":"decline"},
					{"next":"end"}]},
				{"id":"approve","type":"action","action":"approve-inquiry","next":"end"},
				{"id":"decline","type":"action","action":"decline-inquiry"}]}`)
		for _, tt := range []struct{ resolution, want string }{{"Approved", "approved"}, {"Declined", "declined"}} {
			inq := must(t, 201)(call(t, s.base, "POST", "/api/v1/inquiries", `{"data":{"attributes":{"fields":{"birthdate":"2012-04-01"}}}}`))["id"].(string)
			must(t, 200)(call(t, s.base, "POST", "/api/v1/inquiries/"+inq+"/complete", ""))
			run := runOn(t, s.base, open, inq, "completed")
			if st := attr(must(t, 200)(call(t, s.base, "GET", "/api/v1/inquiries/"+inq, "")), "status"); st != "needs_review" {
				t.Fatalf("inquiry is %v, want needs_review", st)
			}
			cases := casesOf(t, s.base, "filter[inquiry-id]="+inq)
			if len(cases) != 1 {
				t.Fatalf("%d cases for the inquiry", len(cases))
			}
			c := cases[0].(map[string]any)
			if attr(c, "creator-type") != "workflow-run" || attr(c, "creator-id") != run["id"] {
				t.Fatalf("case creator %v %v, want the run %v", attr(c, "creator-type"), attr(c, "creator-id"), run["id"])
			}
			must(t, 200)(call(t, s.base, "POST", "/api/v1/cases/"+c["id"].(string)+"/set-status", `{"meta":{"status":"`+tt.resolution+`"}}`))
			runOn(t, s.base, decide, c["id"].(string), "completed")
			if st := attr(must(t, 200)(call(t, s.base, "GET", "/api/v1/inquiries/"+inq, "")), "status"); st != tt.want {
				t.Fatalf("case %s: inquiry is %v, want %s", tt.resolution, st, tt.want)
			}
		}
		adult := must(t, 201)(call(t, s.base, "POST", "/api/v1/inquiries", `{"data":{"attributes":{"fields":{"birthdate":"1990-04-01"}}}}`))["id"].(string)
		must(t, 200)(call(t, s.base, "POST", "/api/v1/inquiries/"+adult+"/complete", ""))
		time.Sleep(300 * time.Millisecond)
		if n := len(casesOf(t, s.base, "filter[inquiry-id]="+adult)); n != 0 {
			t.Fatalf("an adult's inquiry opened %d cases", n)
		}
	})
}

// TestWorkflowSeed004: an Alert transaction over the threshold opens an Alert case with
// the transaction and its account, the amount copied into a case field.
func TestWorkflowSeed004(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := startServerEnv(t, dbURL, workflowEnv)
		tt := must(t, 201)(call(t, s.base, "POST", "/api/v1/transaction-types", `{"data":{"attributes":{"name":"Alert",
			"field-schemas":[{"key":"amount","type":"float","label":"Amount","required":true}]}}}`))["id"].(string)
		tmpl := must(t, 201)(call(t, s.base, "POST", "/api/v1/case-templates", `{"data":{"attributes":{"name":"AML Alert","key":"AML",
			"field-schemas":[{"key":"amount","type":"float","label":"Amount"}]}}}`))["id"].(string)
		wf := publishWorkflow(t, s.base, "Large alerts", `{
			"trigger":{"type":"event","event":"transaction.created",
				"condition":"trigger[\"transaction-type\"].name == \"Alert\" && trigger.fields.amount > 10000"},
			"steps":[{"id":"open-case","type":"action","action":"create-case",
				"params":{"case-template-id":"`+tmpl+`","fields":{"amount":"=trigger.fields.amount"}}}]}`)
		big := must(t, 201)(call(t, s.base, "POST", "/api/v1/transactions", `{"data":{"attributes":{"transaction-type-id":"`+tt+`",
			"reference-id":"cust-7","fields":{"amount":12500.5}}}}`))
		small := must(t, 201)(call(t, s.base, "POST", "/api/v1/transactions", `{"data":{"attributes":{"transaction-type-id":"`+tt+`",
			"reference-id":"cust-8","fields":{"amount":9000}}}}`))["id"].(string)
		runOn(t, s.base, wf, big["id"].(string), "completed")
		cases := casesOf(t, s.base, "filter[transaction-id]="+big["id"].(string))
		if len(cases) != 1 {
			t.Fatalf("%d cases for the large alert", len(cases))
		}
		c := cases[0].(map[string]any)
		account := big["relationships"].(map[string]any)["account"].(map[string]any)["data"].(map[string]any)["id"].(string)
		if n := len(casesOf(t, s.base, "filter[account-id]="+account)); n != 1 {
			t.Fatalf("the account is on %d cases, want the alert's", n)
		}
		if amount := attr(c, "fields").(map[string]any)["amount"]; amount != 12500.5 {
			t.Fatalf("case amount %v", amount)
		}
		time.Sleep(300 * time.Millisecond)
		if n := len(casesOf(t, s.base, "filter[transaction-id]="+small)); n != 0 {
			t.Fatalf("an alert under the threshold opened %d cases", n)
		}
	})
}

// TestWorkflowCaseAction: a reviewer runs a case action that adds a watchlist report.
func TestWorkflowCaseAction(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := startServerEnv(t, dbURL, workflowEnv)
		tmpl := must(t, 201)(call(t, s.base, "POST", "/api/v1/case-templates", `{"data":{"attributes":{"name":"Fraud","key":"FRD"}}}`))["id"].(string)
		wf := publishWorkflow(t, s.base, "Run watchlist", `{"trigger":{"type":"case-action"},
			"steps":[{"id":"screen","type":"action","action":"create-report","params":{"report-type":"report/watchlist"}}]}`)
		c := must(t, 201)(call(t, s.base, "POST", "/api/v1/cases", `{"data":{"attributes":{"case-template-id":"`+tmpl+`"}}}`))["id"].(string)
		must(t, 201)(call(t, s.base, "POST", "/api/v1/cases/"+c+"/actions/"+wf, ""))
		runOn(t, s.base, wf, c, "completed")
		got := must(t, 200)(call(t, s.base, "GET", "/api/v1/cases/"+c, ""))
		reports := got["relationships"].(map[string]any)["reports"].(map[string]any)["data"].([]any)
		if len(reports) != 1 {
			t.Fatalf("case reports %v", reports)
		}
	})
}

// TestWorkflowResumesAfterRestart: a run waiting for its case's resolution survives a
// restart of the server, and goes on from where it was without creating the case again.
func TestWorkflowResumesAfterRestart(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := startServerEnv(t, dbURL, workflowEnv)
		tmpl := must(t, 201)(call(t, s.base, "POST", "/api/v1/case-templates", `{"data":{"attributes":{"name":"KYC","key":"KYC"}}}`))["id"].(string)
		wf := publishWorkflow(t, s.base, "Follow up", `{"trigger":{"type":"event","event":"inquiry.completed"},
			"steps":[{"id":"open-case","type":"action","action":"create-case","params":{"case-template-id":"`+tmpl+`"}},
				{"id":"wait","type":"wait","event":"case.resolved","object-id":"=steps[\"open-case\"].id","timeout":"1h","on-timeout":"end"},
				{"id":"approve","type":"action","action":"approve-inquiry"}]}`)
		inq := must(t, 201)(call(t, s.base, "POST", "/api/v1/inquiries", `{"data":{"attributes":{}}}`))["id"].(string)
		must(t, 200)(call(t, s.base, "POST", "/api/v1/inquiries/"+inq+"/complete", ""))
		must(t, 200)(call(t, s.base, "POST", "/api/v1/inquiries/"+inq+"/mark-for-review", ""))
		runOn(t, s.base, wf, inq, "waiting")
		if err := s.stop(); err != nil {
			t.Fatal(err)
		}
		s = startServerEnv(t, dbURL, workflowEnv)
		cases := casesOf(t, s.base, "filter[inquiry-id]="+inq)
		if len(cases) != 1 {
			t.Fatalf("%d cases after the restart", len(cases))
		}
		must(t, 200)(call(t, s.base, "POST", "/api/v1/cases/"+cases[0].(map[string]any)["id"].(string)+"/set-status", `{"meta":{"status":"Approved"}}`))
		run := runOn(t, s.base, wf, inq, "completed")
		if n := len(casesOf(t, s.base, "filter[inquiry-id]="+inq)); n != 1 {
			t.Fatalf("%d cases: the create-case step ran again", n)
		}
		if st := attr(must(t, 200)(call(t, s.base, "GET", "/api/v1/inquiries/"+inq, "")), "status"); st != "approved" {
			t.Fatalf("inquiry %v after the run, steps %v", st, attr(run, "steps"))
		}
	})
}
