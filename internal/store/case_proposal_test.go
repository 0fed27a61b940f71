package store_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// fourEyes creates a template whose Declined needs a second person, and two managers.
func fourEyes(t *testing.T, s *store.Store) (*docket.CaseTemplate, *docket.User, *docket.User) {
	t.Helper()
	tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC", FourEyesStatuses: []string{"Declined"}})
	ann, ben := mkUser(t, s, "ann@example.com"), mkUser(t, s, "ben@example.com")
	return tm, ann, ben
}

func userConfirmer(u *docket.User) docket.Confirmer {
	return docket.Confirmer{Actor: docket.Actor{Type: docket.ActorUser, ID: u.ID}, UserID: u.ID}
}

// TestFourEyesSteps follows one case through proposals, refusals, a sending back and a
// confirmation, checking the events each step writes.
func TestFourEyesSteps(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm, ann, ben := fourEyes(t, s)
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		annActor := docket.Actor{Type: docket.ActorUser, ID: ann.ID}
		set := func(status, comment string) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) {
				clock.Add(time.Minute)
				c, _, err := s.SetCaseStatusWithComment(ctx, annActor, id, status, comment)
				return c, err
			}
		}
		decide := func(confirm bool, by docket.Confirmer, d docket.ProposalDecision) func(string) (*docket.Case, error) {
			return func(id string) (*docket.Case, error) {
				clock.Add(time.Minute)
				f := s.RejectCaseStatus
				if confirm {
					f = s.ConfirmCaseStatus
				}
				c, _, err := f(ctx, by, id, d)
				return c, err
			}
		}
		pending := func(status string) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) {
				p := c.Proposal
				if c.Status != "Open" || c.ResolvedAt != nil || p == nil || p.Status != status || p.By != annActor ||
					p.ByUserID != ann.ID || p.At.IsZero() || p.At.After(clock.Now()) {
					t.Fatalf("want %s proposed by ann on an open case: %+v %+v", status, c, p)
				}
			}
		}
		noProposal := func(status string) func(t *testing.T, c *docket.Case) {
			return func(t *testing.T, c *docket.Case) {
				if c.Proposal != nil || c.Status != status {
					t.Fatalf("want %s and no proposal: %+v %+v", status, c, c.Proposal)
				}
			}
		}
		proposed, rejected := docket.EventCaseResolutionProposed, docket.EventCaseResolutionRejected
		runSteps(t, s, c, []step{
			{name: "propose Declined", do: set("Declined", ""), events: []string{proposed}, check: pending("Declined")},
			{name: "no other status meanwhile", do: set("Approved", ""), code: docket.EConflict, field: "status"},
			{name: "nor proposing it again", do: set("Declined", ""), code: docket.EConflict, field: "status"},
			{name: "the current status is a no-op", do: set("Open", ""), check: pending("Declined")},
			{name: "the proposer may not confirm", do: decide(true, userConfirmer(ann), docket.ProposalDecision{}), code: docket.EForbidden},
			{name: "nor send it back", do: decide(false, userConfirmer(ann), docket.ProposalDecision{}), code: docket.EForbidden},
			{name: "a key without a user may not confirm", do: decide(true, docket.Confirmer{Actor: apiActor}, docket.ProposalDecision{}), code: docket.EForbidden},
			{name: "confirming what is not proposed", do: decide(true, userConfirmer(ben), docket.ProposalDecision{Status: "Approved"}), code: docket.EConflict, field: "status"},
			{name: "a blank comment is none", do: decide(false, userConfirmer(ben), docket.ProposalDecision{Status: "Declined", Comment: "  "}),
				events: []string{rejected}, check: noProposal("Open")},
			{name: "nothing left to confirm", do: decide(true, userConfirmer(ben), docket.ProposalDecision{}), code: docket.EConflict},
			{name: "a status without four eyes is set", do: set("Pending", ""), events: []string{docket.EventCaseStatusUpdated}, check: noProposal("Pending")},
			{name: "propose with a reason", do: set("Declined", "document mismatch"), events: []string{proposed}, check: func(t *testing.T, c *docket.Case) {
				if c.Proposal == nil || c.Proposal.CommentID == "" || len(c.CommentIDs) != 1 || c.Proposal.CommentID != c.CommentIDs[0] {
					t.Fatalf("the proposal does not name its comment: %+v", c.Proposal)
				}
			}},
			{name: "a too long comment writes nothing", do: decide(true, userConfirmer(ben), docket.ProposalDecision{Comment: string(make([]byte, docket.MaxCommentLength+1))}),
				code: docket.EInvalid, field: "comment"},
			{name: "another person confirms", do: decide(true, userConfirmer(ben), docket.ProposalDecision{Status: "Declined", Comment: "agreed"}),
				events: []string{docket.EventCaseResolved, docket.EventCaseStatusUpdated}, check: func(t *testing.T, c *docket.Case) {
					by := userConfirmer(ben).Actor
					if c.Proposal != nil || len(c.CommentIDs) != 2 || c.Status != "Declined" || c.Resolution == nil || *c.Resolution != "Declined" ||
						c.Resolver == nil || *c.Resolver != by || !c.ResolvedAt.Equal(clock.Now()) {
						t.Fatalf("want resolved as Declined by ben: %+v", c)
					}
				}},
			{name: "a four-eyes status is left freely", do: set("Open", ""), events: []string{docket.EventCaseReopened, docket.EventCaseStatusUpdated}, check: noProposal("Open")},
			{name: "a status without four eyes resolves at once", do: set("Approved", ""),
				events: []string{docket.EventCaseResolved, docket.EventCaseStatusUpdated}, check: noProposal("Approved")},
		})
	})
}

// TestFourEyesProposer checks who the store records as the person behind a proposal: a
// user, the user an API key belongs to, nobody for a key without one or a workflow run;
// the person may not confirm it with another of their credentials.
func TestFourEyesProposer(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm, ann, ben := fourEyes(t, s)
		key := must[*docket.APIKey](t)(s.CreateUserAPIKey(ctx, ann.ID, "ann's", []string{docket.ScopeAll}, docket.NewAPIKeySecret()))
		bare := must[*docket.APIKey](t)(s.CreateAPIKey(ctx, "bare", []string{docket.ScopeAll}, docket.NewAPIKeySecret()))
		for _, tt := range []struct {
			name   string
			actor  docket.Actor
			person string
		}{
			{"a user", docket.Actor{Type: docket.ActorUser, ID: ann.ID}, ann.ID},
			{"a user's key", docket.Actor{Type: docket.ActorAPIKey, ID: key.ID}, ann.ID},
			{"a key without a user", docket.Actor{Type: docket.ActorAPIKey, ID: bare.ID}, ""},
			{"a workflow run", docket.Actor{Type: docket.ActorWorkflowRun, ID: "wfr_0000000000000000000000000"}, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
				c = caseOK(t)(s.SetCaseStatus(ctx, tt.actor, c.ID, "Declined"))
				if c.Proposal == nil || c.Proposal.By != tt.actor || c.Proposal.ByUserID != tt.person {
					t.Fatalf("proposal %+v, want by %v (person %q)", c.Proposal, tt.actor, tt.person)
				}
				_, _, err := s.ConfirmCaseStatus(ctx, userConfirmer(ann), c.ID, docket.ProposalDecision{})
				if tt.person == ann.ID {
					wantErr(t, err, docket.EForbidden, "")
					_, _, err = s.ConfirmCaseStatus(ctx, userConfirmer(ben), c.ID, docket.ProposalDecision{})
				}
				noErr(t, err)
			})
		}
	})
}

// TestFourEyesRace has two people confirm, or one confirm and one send back, the same
// proposal at once: exactly one wins, the other meets a conflict, and the case is
// resolved once.
func TestFourEyesRace(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm, ann, ben := fourEyes(t, s)
		cy := mkUser(t, s, "cy@example.com")
		for round := range 5 {
			c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
			caseOK(t)(s.SetCaseStatus(ctx, docket.Actor{Type: docket.ActorUser, ID: ann.ID}, c.ID, "Declined"))
			deciders := []func() error{
				func() error {
					_, _, err := s.ConfirmCaseStatus(ctx, userConfirmer(ben), c.ID, docket.ProposalDecision{Status: "Declined"})
					return err
				},
				func() error {
					f := s.ConfirmCaseStatus
					if round%2 == 1 {
						f = s.RejectCaseStatus
					}
					_, _, err := f(ctx, userConfirmer(cy), c.ID, docket.ProposalDecision{Status: "Declined"})
					return err
				},
			}
			errs := make([]error, len(deciders))
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, f := range deciders {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = f()
				}()
			}
			close(start)
			wg.Wait()
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
				} else if docket.ErrorCode(err) != docket.EConflict {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if won != 1 {
				t.Fatalf("round %d: %d won (%v)", round, won, errs)
			}
			names := eventNames(t, s, c.ID)
			resolved, settled := 0, 0
			for _, n := range names {
				switch n {
				case docket.EventCaseResolved:
					resolved++
					settled++
				case docket.EventCaseResolutionRejected:
					settled++
				}
			}
			if settled != 1 || resolved > 1 {
				t.Fatalf("round %d: events %v", round, names)
			}
		}
	})
}

// TestFourEyesRedaction checks that redacting a case erases the comment made with its
// proposal and withdraws the proposal, which could no longer be confirmed.
func TestFourEyesRedaction(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm, ann, _ := fourEyes(t, s)
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		c, cm, err := s.SetCaseStatusWithComment(ctx, docket.Actor{Type: docket.ActorUser, ID: ann.ID}, c.ID, "Declined", "passport of Jane Roe is forged")
		noErr(t, err)
		if c.Proposal == nil || c.Proposal.CommentID != cm.ID {
			t.Fatalf("proposal %+v, comment %s", c.Proposal, cm.ID)
		}
		c = caseOK(t)(s.RedactCase(ctx, apiActor, c.ID))
		if c.Proposal != nil {
			t.Fatalf("a redacted case keeps its proposal %+v", c.Proposal)
		}
		got := must[[]*docket.Comment](t)(s.FindComments(ctx, []string{cm.ID}))
		if len(got) != 1 || got[0].Body != "" {
			t.Fatalf("the proposal's comment survives redaction: %+v", got)
		}
		for _, e := range allEvents(t, s, docket.EventFilter{ObjectIDs: []string{c.ID, cm.ID}}) {
			if strings.Contains(string(e.Object), "Jane Roe") {
				t.Fatalf("event %s still holds the comment: %s", e.Name, e.Object)
			}
		}
	})
}

// TestFourEyesTemplate checks that a template's four-eyes statuses are stored, and
// refused unless they are end statuses of the template, on create and on update.
func TestFourEyesTemplate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm, _, _ := fourEyes(t, s)
		got := must[*docket.CaseTemplate](t)(s.FindTemplate(ctx, tm.ID))
		wantStrings(t, "four-eyes statuses", got.FourEyesStatuses, []string{"Declined"})
		plain := mkTemplate(t, s, &docket.CaseTemplate{Name: "Plain", Key: "PLAIN"})
		if plain.FourEyesStatuses == nil || len(plain.FourEyesStatuses) != 0 {
			t.Fatalf("default four-eyes statuses %#v", plain.FourEyesStatuses)
		}
		err := s.CreateTemplate(ctx, apiActor, &docket.CaseTemplate{Name: "Bad", Key: "BAD", FourEyesStatuses: []string{"Pending"}})
		wantErr(t, err, docket.EInvalid, "four-eyes-statuses[0]")
		_, err = s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{Statuses: ptr(statuses("Open", "initial", "Approved", "end"))})
		wantErr(t, err, docket.EInvalid, "four-eyes-statuses[0]")
		both := []string{"Approved", "Declined"}
		got = must[*docket.CaseTemplate](t)(s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{FourEyesStatuses: &both}))
		wantStrings(t, "updated four-eyes statuses", got.FourEyesStatuses, both)
	})
}
