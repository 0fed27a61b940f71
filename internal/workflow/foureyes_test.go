package workflow_test

import (
	"context"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestFourEyesDecidesInquiryOnConfirmation is seed 003 with a template whose Declined
// needs a second person: the reviewer's Declined starts nothing, and the "case decides
// inquiry" workflow declines the inquiry only once another person confirms.
func TestFourEyesDecidesInquiryOnConfirmation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		tmpl, open, resolve := kycSetup(t, s)
		fourEyes := []string{"Declined"}
		_, err := s.UpdateTemplate(ctx, admin, tmpl.ID, docket.CaseTemplateUpdate{FourEyesStatuses: &fourEyes})
		noErr(t, err)
		q, err := s.CreateInquiry(ctx, admin, docket.NewInquiry{Fields: map[string]any{"birthdate": "2015-05-05"}})
		noErr(t, err)
		_, err = s.InquiryAction(ctx, admin, q.ID, "complete", nil)
		noErr(t, err)
		waitRun(t, s, open.ID, q.ID, docket.RunCompleted)
		cases, _, err := s.ListCases(ctx, docket.CaseFilter{InquiryID: q.ID})
		noErr(t, err)
		c := cases[0]

		reviewer := docket.Actor{Type: docket.ActorUser, ID: "user_reviewer"}
		c, err = s.SetCaseStatus(ctx, reviewer, c.ID, "Declined")
		noErr(t, err)
		if c.Proposal == nil || c.ResolvedAt != nil {
			t.Fatalf("Declined was not proposed: %+v", c)
		}
		// Runs start in the transaction of the event that triggers them, so none exists now
		// means none was started by the proposal.
		if n := countRuns(t, s, resolve.ID, c.ID); n != 0 {
			t.Fatalf("the proposal started %d runs of %q", n, resolve.Name)
		}
		manager := docket.Confirmer{Actor: docket.Actor{Type: docket.ActorUser, ID: "user_manager"}, UserID: "user_manager"}
		_, _, err = s.ConfirmCaseStatus(ctx, manager, c.ID, docket.ProposalDecision{Status: "Declined"})
		noErr(t, err)
		waitRun(t, s, resolve.ID, c.ID, docket.RunCompleted)
		if q, err = s.FindInquiry(ctx, q.ID); err != nil || q.Status != "declined" {
			t.Fatalf("inquiry %+v %v, want declined", q, err)
		}
		if n := countRuns(t, s, resolve.ID, c.ID); n != 1 {
			t.Fatalf("the confirmation started %d runs", n)
		}
	})
}

// TestFourEyesWorkflowProposes runs a case action that sets a four-eyes status: the run
// only proposes it, a second run cannot push it through (its change is refused, as
// any status change is while a proposal awaits), and a person confirms it.
func TestFourEyesWorkflowProposes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		s := startStore(t, dbURL)
		tmpl := &docket.CaseTemplate{Name: "KYC review", Key: "KYC", FourEyesStatuses: []string{"Declined"}}
		noErr(t, s.CreateTemplate(ctx, admin, tmpl))
		w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Decline", Definition: docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerCaseAction},
			Steps:   []docket.WorkflowStep{{ID: "decline", Type: docket.StepAction, Action: "set-case-status", Params: map[string]any{"status": "Declined"}}},
		}})
		noErr(t, err)
		_, err = s.PublishWorkflow(ctx, admin, w.ID)
		noErr(t, err)
		c, err := s.CreateCase(ctx, admin, docket.NewCase{TemplateID: tmpl.ID})
		noErr(t, err)
		run, err := s.StartWorkflowRun(ctx, admin, w.ID, docket.RunStart{TriggerType: docket.TriggerCaseAction, CaseID: c.ID})
		noErr(t, err)
		if r := waitRun(t, s, w.ID, c.ID, docket.RunCompleted); r.ID != run.ID {
			t.Fatalf("run %s, want %s", r.ID, run.ID)
		}
		c, err = s.FindCase(ctx, c.ID)
		noErr(t, err)
		if c.Proposal == nil || c.Proposal.By != (docket.Actor{Type: docket.ActorWorkflowRun, ID: run.ID}) || c.Proposal.ByUserID != "" || c.ResolvedAt != nil {
			t.Fatalf("the run did not propose Declined: %+v %+v", c, c.Proposal)
		}
		again, err := s.StartWorkflowRun(ctx, admin, w.ID, docket.RunStart{TriggerType: docket.TriggerCaseAction, CaseID: c.ID})
		noErr(t, err)
		if r := waitRun(t, s, w.ID, c.ID, docket.RunErrored); r.ID != again.ID {
			t.Fatalf("run %s, want %s", r.ID, again.ID)
		}
		if c, err = s.FindCase(ctx, c.ID); err != nil || c.ResolvedAt != nil || c.Proposal == nil {
			t.Fatalf("a second run resolved the case: %+v %v", c, err)
		}
		// No person proposed it, so any person with the permission may confirm it.
		manager := docket.Confirmer{Actor: docket.Actor{Type: docket.ActorUser, ID: "user_manager"}, UserID: "user_manager"}
		c, _, err = s.ConfirmCaseStatus(ctx, manager, c.ID, docket.ProposalDecision{})
		noErr(t, err)
		if c.Status != "Declined" || c.ResolvedAt == nil {
			t.Fatalf("confirmed case %+v", c)
		}
	})
}

// countRuns counts a workflow's runs on an object (up to 10).
func countRuns(t *testing.T, s *store.Store, workflowID, objectID string) int {
	t.Helper()
	runs, _, err := s.ListWorkflowRuns(context.Background(), docket.WorkflowRunFilter{WorkflowID: workflowID, ObjectID: objectID, Page: docket.Page{Size: 10}})
	noErr(t, err)
	return len(runs)
}
