package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// The tests of this file check that a redaction reaches the copies Docket makes of a
// person's data outside the redacted object's own row and events (issue 11, items 1
// and 4). The end-to-end sweep over every table is TestRedactionSweep in cmd/docket.

// redactFixture is a case holding an account, both with personal data, and a run of a
// case.created workflow about the case whose record holds the data (as an engine's step
// would record it), with a second, unrelated case and run beside them.
type redactFixture struct {
	s                   *store.Store
	acct                *docket.Account
	c, other            *docket.Case
	run, otherRun       *docket.WorkflowRun
	secret, otherSecret string
}

// mailOf returns the notification id the run's send-email step recorded.
func mailOf(r *docket.WorkflowRun) string {
	id, _ := r.Steps[0].Output.(map[string]any)["notification-id"].(string)
	return id
}

func newRedactFixture(t *testing.T, s *store.Store) *redactFixture {
	t.Helper()
	f := &redactFixture{s: s, secret: "SSN-078-05-1120", otherSecret: "kept-555-0199"}
	tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC",
		FieldSchemas: []docket.FieldSchema{{Key: "ssn", Type: docket.FieldString}}})
	f.acct = &docket.Account{ReferenceID: objPtr("ref-" + f.secret), Fields: map[string]any{"name": "Jane " + f.secret}}
	noErr(t, s.CreateAccount(ctx, apiActor, f.acct))
	wf := must[*docket.Workflow](t)(s.CreateWorkflow(ctx, apiActor, docket.NewWorkflow{Name: "mail", Definition: docket.WorkflowDefinition{
		Trigger: docket.Trigger{Type: docket.TriggerEvent, Event: docket.EventCaseCreated},
		Steps: []docket.WorkflowStep{{ID: "mail", Type: docket.StepAction, Action: "send-email",
			Params: map[string]any{"to": "ops@example.com", "subject": "new", "body": `="SSN " + trigger.fields.ssn`}}}}}))
	must[*docket.Workflow](t)(s.PublishWorkflow(ctx, apiActor, wf.ID))
	f.c = mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"ssn": f.secret}, ObjectIDs: []string{f.acct.ID}})
	f.other = mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"ssn": f.otherSecret}})
	f.run = f.step(t, f.c.ID, f.secret)
	f.otherRun = f.step(t, f.other.ID, f.otherSecret)
	return f
}

// step records a completed send-email step on the run about caseID, as the engine does:
// its input holds the mail built from the secret, its output the mail's notification.
func (f *redactFixture) step(t *testing.T, caseID, secret string) *docket.WorkflowRun {
	t.Helper()
	runs, _ := must2[*docket.WorkflowRun](t)(f.s.ListWorkflowRuns(ctx, docket.WorkflowRunFilter{ObjectID: caseID, Page: docket.Page{Size: 10}}))
	if len(runs) != 1 {
		t.Fatalf("%d runs about %s", len(runs), caseID)
	}
	var run *docket.WorkflowRun
	noErr(t, f.s.Atomically(ctx, func(ctx context.Context) error {
		r, _, err := f.s.LockWorkflowRun(ctx, runs[0].ID)
		if err != nil {
			return err
		}
		id, err := f.s.QueueEmail(ctx, "ops@example.com", "about "+secret, "SSN "+secret, caseID)
		if err != nil {
			return err
		}
		msg := "retried: " + secret + " was refused"
		now := r.CreatedAt
		r.Steps = append(r.Steps, docket.StepRun{StepID: "mail", Type: docket.StepAction, Status: docket.StepRunCompleted, Attempts: 2,
			Input:  map[string]any{"to": "ops@example.com", "body": "SSN " + secret, "case-id": caseID},
			Output: map[string]any{"subject": "about " + secret, "notification-id": id}, Error: &msg, StartedAt: now, FinishedAt: &now})
		r.Status, r.CurrentStep, r.CompletedAt = docket.RunCompleted, "", &now
		run = r
		return f.s.SaveWorkflowRun(ctx, r, docket.EventWorkflowRunCompleted)
	}))
	return run
}

// holds reports whether the run's record or any of its events holds text.
func (f *redactFixture) holds(t *testing.T, runID, text string) bool {
	t.Helper()
	r := must[*docket.WorkflowRun](t)(f.s.FindWorkflowRun(ctx, runID))
	b, err := json.Marshal(r)
	noErr(t, err)
	found := strings.Contains(string(b), text)
	events := allEvents(t, f.s, docket.EventFilter{ObjectID: runID})
	if len(events) != 2 {
		t.Fatalf("run %s has %d events, want created and completed", runID, len(events))
	}
	for _, e := range events {
		found = found || strings.Contains(string(e.Object), text)
	}
	return found
}

// TestRedactErasesWorkflowRuns (issue 11, item 1): redacting the case a run is about, or
// an account its trigger object holds, erases the run's data in its record and its
// workflow-run.* events, keeping the ids the engine and an auditor follow. Runs about
// other objects keep theirs.
func TestRedactErasesWorkflowRuns(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		redact func(f *redactFixture) error
	}{
		{"case", func(f *redactFixture) error { _, err := f.s.RedactCase(ctx, userActor, f.c.ID); return err }},
		{"account", func(f *redactFixture) error { _, err := f.s.RedactAccount(ctx, userActor, f.acct.ID); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eachStore(t, func(t *testing.T, s *store.Store) {
				f := newRedactFixture(t, s)
				for _, text := range []string{f.secret, "Jane"} {
					if !f.holds(t, f.run.ID, text) {
						t.Fatalf("the fixture's run does not hold %q: the test would prove nothing", text)
					}
				}
				noErr(t, tc.redact(f))
				for _, text := range []string{f.secret, "Jane", "ops@example.com"} {
					if f.holds(t, f.run.ID, text) {
						t.Errorf("the run still holds %q after the %s was redacted", text, tc.name)
					}
				}
				r := must[*docket.WorkflowRun](t)(s.FindWorkflowRun(ctx, f.run.ID))
				var trig struct {
					ID       string `json:"id"`
					Accounts []struct {
						ID string `json:"id"`
					} `json:"accounts"`
				}
				noErr(t, json.Unmarshal(r.Trigger.Object, &trig))
				st := r.Steps[0]
				out, _ := st.Output.(map[string]any)
				in, _ := st.Input.(map[string]any)
				if trig.ID != f.c.ID || len(trig.Accounts) != 1 || trig.Accounts[0].ID != f.acct.ID || r.Trigger.ObjectID != f.c.ID ||
					r.Status != docket.RunCompleted || st.StepID != "mail" || st.Attempts != 2 || out["notification-id"] != mailOf(f.run) ||
					in["case-id"] != f.c.ID || st.Error == nil {
					t.Errorf("the erased run lost its skeleton: trigger %s, step %+v", r.Trigger.Object, st)
				}
				if !f.holds(t, f.otherRun.ID, f.otherSecret) {
					t.Errorf("redacting the %s erased another case's run", tc.name)
				}
				if r.RedactedAt == nil {
					t.Errorf("the erased run has no redacted-at")
				}
				// A step in flight during the redaction (an https-request made with the
				// data read before) records what it read: the erased run takes none of it.
				noErr(t, s.Atomically(ctx, func(ctx context.Context) error {
					r, _, err := s.LockWorkflowRun(ctx, f.run.ID)
					if err != nil {
						return err
					}
					now := r.CreatedAt
					r.Steps = append(r.Steps, docket.StepRun{StepID: "late", Type: docket.StepAction, Status: docket.StepRunCompleted,
						Input: map[string]any{"url": "https://x.example/" + f.secret}, Output: map[string]any{"echo": f.secret, "case": f.c.ID},
						StartedAt: now, FinishedAt: &now})
					return s.SaveWorkflowRun(ctx, r, "")
				}))
				late := must[*docket.WorkflowRun](t)(s.FindWorkflowRun(ctx, f.run.ID))
				if b, _ := json.Marshal(late); strings.Contains(string(b), f.secret) || len(late.Steps) != 2 ||
					late.Steps[1].Output.(map[string]any)["case"] != f.c.ID {
					t.Errorf("a step saved after the redaction kept its data or lost its ids: %s", b)
				}
			})
		})
	}
}

// TestRedactErasesWorkflowMail (issue 11, item 3): the mail a workflow's send-email step
// wrote is erased with the object its run holds, address included when it went to no
// user; another run's mail is kept.
func TestRedactErasesWorkflowMail(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		f := newRedactFixture(t, s)
		mine, other := mailOf(f.run), mailOf(f.otherRun)
		for _, id := range []string{mine, other} {
			if n := must[*docket.Notification](t)(s.FindNotification(ctx, id)); !strings.Contains(n.Body, "SSN") {
				t.Fatalf("notification %s before redaction: %+v", id, n)
			}
		}
		must[*docket.Account](t)(s.RedactAccount(ctx, userActor, f.acct.ID))
		n := must[*docket.Notification](t)(s.FindNotification(ctx, mine))
		if n.Body != "" || n.Subject != "" || n.Email != "" || n.UserID != nil {
			t.Errorf("the run's mail after redaction: %+v", n)
		}
		if n := must[*docket.Notification](t)(s.FindNotification(ctx, other)); !strings.Contains(n.Body, f.otherSecret) || n.Email == "" {
			t.Errorf("another run's mail was erased: %+v", n)
		}
	})
}

// TestRedactAccountReference (issue 11, item 4): an account's reference id goes from the
// objects linked to it, their rows and events, so that no case is found by it any more;
// an unrelated reference stays.
func TestRedactAccountReference(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		const ref, otherRef = "cust-REF-4711", "cust-other"
		acct := mkAccount(t, s, ref)
		tt := &docket.TransactionType{Name: "Payment"}
		noErr(t, s.CreateTransactionType(ctx, apiActor, tt))
		txn := objOK[*docket.Transaction](t)(s.CreateTransaction(ctx, apiActor, docket.NewTransaction{TypeID: tt.ID, ReferenceID: objPtr(ref)}))
		inq := objOK[*docket.Inquiry](t)(s.CreateInquiry(ctx, apiActor, docket.NewInquiry{ReferenceID: objPtr(ref)}))
		rep := objOK[*docket.Report](t)(s.CreateReport(ctx, apiActor, docket.NewReport{Type: "report/watchlist", ReferenceID: objPtr(ref)}))
		keep := objOK[*docket.Transaction](t)(s.CreateTransaction(ctx, apiActor, docket.NewTransaction{TypeID: tt.ID, ReferenceID: objPtr(otherRef)}))
		if txn.AccountID == nil || *txn.AccountID != acct.ID || inq.AccountID == nil || *inq.AccountID != acct.ID {
			t.Fatalf("objects not linked to the account: %+v %+v", txn, inq)
		}
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "AML", Key: "AML"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, ObjectIDs: []string{txn.ID}})
		other := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, ObjectIDs: []string{keep.ID}})
		wantStrings(t, "cases by reference before", caseNames(allCases(t, s, docket.CaseFilter{ReferenceID: ref})), []string{c.Name})

		must[*docket.Account](t)(s.RedactAccount(ctx, userActor, acct.ID))
		wantStrings(t, "cases by reference after", caseNames(allCases(t, s, docket.CaseFilter{ReferenceID: ref})), nil)
		got := objOK[*docket.Transaction](t)(s.FindTransaction(ctx, txn.ID))
		gotInq := objOK[*docket.Inquiry](t)(s.FindInquiry(ctx, inq.ID))
		gotRep := objOK[*docket.Report](t)(s.FindReport(ctx, rep.ID))
		if got.ReferenceID != nil || gotInq.ReferenceID != nil || gotRep.ReferenceID != nil || got.AccountID == nil || *got.AccountID != acct.ID {
			t.Errorf("linked objects after redaction: %+v %+v %+v", got, gotInq, gotRep)
		}
		for _, id := range []string{txn.ID, inq.ID, rep.ID} {
			for _, e := range allEvents(t, s, docket.EventFilter{ObjectID: id}) {
				if strings.Contains(string(e.Object), ref) {
					t.Errorf("event %s of %s still holds the reference: %s", e.Name, id, e.Object)
				}
			}
		}
		wantStrings(t, "another reference", caseNames(allCases(t, s, docket.CaseFilter{ReferenceID: otherRef})), []string{other.Name})
		if k := objOK[*docket.Transaction](t)(s.FindTransaction(ctx, keep.ID)); k.ReferenceID == nil || *k.ReferenceID != otherRef {
			t.Errorf("an unrelated transaction lost its reference: %+v", k)
		}
	})
}
