package browsertest

import (
	"net/http"
	"testing"

	"github.com/docket-hq/docket"
)

// TestFourEyesDecline: on a template whose Declined needs a second person, reviewer A
// declines a case with a reason; the case stays open under a banner naming A's proposal,
// A gets no Confirm button (and a forged confirmation is refused), and manager B
// confirms, after which the case shows Declined.
func TestFourEyesDecline(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		a, b := s.user(t, "reviewer"), s.user(t, "manager")
		tm := s.template(t, func(tm *docket.CaseTemplate) { tm.FourEyesStatuses = []string{"Declined"} })
		c := s.newCase(t, tm, nil)
		page := "/cases/" + c.ID

		ta := s.tab(t)
		ta.signIn(a.Email)
		ta.openOK(page)
		ta.fill("#status-select", "Declined")
		ta.fill("#status-comment", "The passport photo does not match.")
		ta.clickOK(`form[action="` + page + `/status"] button[type=submit]`)
		ta.wantText(".flash", "Proposed Declined with your comment; a second reviewer must confirm.")
		ta.wantText("#proposal", "Declined proposed by "+a.Name+", awaiting confirmation", "The passport photo does not match.")
		ta.wantText(".case-facts", "Open")
		if ta.has(`form[action="` + page + `/proposal/confirm"]`) {
			t.Fatal("the proposer is offered Confirm")
		}
		if code := ta.forgePost(page+"/proposal/confirm", "status", "Declined"); code != http.StatusForbidden {
			t.Fatalf("the proposer's forged confirmation answered %d", code)
		}

		tb := s.tab(t)
		tb.signIn(b.Email)
		tb.openOK(page)
		tb.wantText("#proposal", "Declined proposed by "+a.Name)
		tb.fill("#proposal-comment", "Agreed, declined.")
		tb.clickOK(`#proposal button.primary`)
		tb.wantText(".case-facts", "Declined", "resolved")
		if tb.has("#proposal") {
			t.Fatal("the banner stays after the confirmation")
		}
		tb.wantText("#timeline", "Confirmed Declined", "Agreed, declined.")

		got, err := s.store.FindCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != "Declined" || got.Resolver == nil || got.Resolver.ID != b.ID || got.Proposal != nil {
			t.Fatalf("after the confirmation: %+v", got)
		}
	})
}
