package ui_test

import (
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestHomeShowsMyWork: My work lists the user's open cases most urgent first, the queues
// with the counts of what the user may see, and the latest unread notifications; a
// template hidden from the user's role leaves no trace.
func TestHomeShowsMyWork(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newWorkSite(t, dbURL)
		rita := s.user("rita@example.com", docket.RoleReviewer)
		s.user("bob@example.com", docket.RoleReviewer)
		kyc := s.template("KYC review", "KYC")
		// SAR's cases are hidden from reviewers once rita holds one (a case is given only
		// to someone who may see it; a template can be re-scoped later).
		sar := s.template("SAR", "SAR")
		s.queue("KYC backlog", kyc)
		s.queue("SAR review", sar)
		later, sooner := s.kase(kyc, 7200, rita.Email), s.kase(kyc, 3600, rita.Email)
		noSLA := s.kase(kyc, 0, rita.Email)
		s.kase(kyc, 60, "bob@example.com")
		s.kase(kyc, 60, "")
		s.kase(kyc, 0, "")
		done := s.kase(kyc, 10, rita.Email)
		_, err := s.store.SetCaseStatus(ctx, sysActor, done.ID, "Approved")
		noErr(t, err)
		hidden := s.kase(sar, 1, rita.Email)
		s.kase(sar, 1, "")
		s.hideFrom(sar, docket.RoleAdmin)
		_, err = s.store.AddComment(ctx, sysActor, later.ID, "@rita@example.com the address does not match")
		noErr(t, err)

		b := s.browser()
		b.signIn(rita.Email)
		p := b.get("/")
		p.want(t, 200, `data-row`)
		cases := section(t, p.body, "my-cases")
		wantList(t, "my open cases", linkTexts(cases, "/cases/"), sooner.Name, later.Name, noSLA.Name)
		if !strings.Contains(cases, "due in 1h<") || !strings.Contains(cases, "No SLA") {
			t.Fatalf("SLA countdowns missing:\n%s", cases)
		}
		queues := section(t, p.body, "my-queues")
		wantList(t, "queues", linkTexts(queues, "/queues/"), "KYC backlog")
		// KYC backlog: 2 waiting; open: rita's 3, bob's 1 and the 2 waiting.
		if !strings.Contains(queues, "<td>2</td>\n        <td>6</td>") {
			t.Fatalf("KYC backlog counts: want 2 waiting, 6 open:\n%s", queues)
		}
		// Unread: four assignments (one case since approved) and the mention; the hidden
		// case's assignment is not told.
		notes := section(t, p.body, "my-notes")
		if !strings.Contains(notes, "the address does not match") || !strings.Contains(notes, `<span class="count">5</span>`) {
			t.Fatalf("the mention is not among the unread notifications:\n%s", notes)
		}
		if got := badge(p.body); got != "5" {
			t.Fatalf("badge %q, want 5", got)
		}
		if strings.Contains(p.body, hidden.Name) || strings.Contains(p.body, "SAR") {
			t.Fatalf("a case or queue of a template hidden from reviewers shows on My work:\n%s", p.body)
		}
	})
}

// TestHomeCountsCapped: beyond the cases it lists, My work says how many there are.
func TestHomeCountsCapped(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	rita := s.user("rita@example.com", docket.RoleReviewer)
	kyc := s.template("KYC review", "KYC")
	for range 27 {
		s.kase(kyc, 0, rita.Email)
	}
	b := s.browser()
	b.signIn(rita.Email)
	p := b.get("/")
	p.want(t, 200, `The 25 most urgent of your 27 open cases.`, `<span class="count">27</span>`)
	if n := len(linkTexts(section(t, p.body, "my-cases"), "/cases/")); n != 25 {
		t.Fatalf("My work lists %d cases, want 25", n)
	}
}
