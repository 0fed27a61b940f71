package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/docket-hq/docket"
)

// queue creates a queue holding the open cases of a template.
func (s *server) queue(t *testing.T, tm *docket.CaseTemplate) *docket.CaseQueue {
	t.Helper()
	q := &docket.CaseQueue{Name: "Queue " + tm.Key, Filter: docket.CaseQueueFilter{TemplateIDs: []string{tm.ID}}}
	if err := s.store.CreateQueue(ctx, actor, q); err != nil {
		t.Fatal(err)
	}
	return q
}

// slaIn returns a NewCase change that sets the case's SLA to seconds from now.
func slaIn(seconds int64) func(*docket.NewCase) {
	return func(nc *docket.NewCase) { nc.SLAExpiresInSecond = &seconds }
}

// TestClaimFromQueue: "Next case" on the queues page gives the reviewer the queue's most
// urgent unassigned case and opens it; the next click gives the next one; an empty queue
// says so.
func TestClaimFromQueue(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		u := s.user(t, "reviewer")
		tm := s.template(t, nil)
		q := s.queue(t, tm)
		later := s.newCase(t, tm, slaIn(48*3600))
		urgent := s.newCase(t, tm, slaIn(3600))
		taken := s.newCase(t, tm, slaIn(60))
		s.assign(t, taken, s.user(t, "reviewer")) // someone else's already: not in the waiting line
		next := `form[action="/queues/` + q.ID + `/next"] button[type=submit]`

		b := s.tab(t)
		b.signIn(u.Email)
		b.openOK("/queues")
		b.clickOK(next)
		if !strings.HasPrefix(b.path(), "/cases/"+urgent.ID) {
			t.Fatalf("Next case opened %s, want the most urgent case %s", b.path(), urgent.ID)
		}
		b.wantText(".flash", urgent.Name, "is yours now")
		b.wantAssignee(urgent.ID, u.ID)

		b.openOK("/queues/" + q.ID)
		b.clickOK(next)
		if !strings.HasPrefix(b.path(), "/cases/"+later.ID) {
			t.Fatalf("the second Next case opened %s, want %s", b.path(), later.ID)
		}
		b.wantAssignee(later.ID, u.ID)

		b.openOK("/queues/" + q.ID)
		b.clickOK(next)
		if b.path() != "/queues/"+q.ID {
			t.Fatalf("an empty queue should keep the reviewer on its page, at %s", b.path())
		}
		b.wantText(".flash", "Nothing left in "+q.Name)
	})
}

// wantAssignee fails unless the store holds the case as assigned to the user.
func (b *tab) wantAssignee(caseID, userID string) {
	b.t.Helper()
	c, err := b.srv.store.FindCase(ctx, caseID)
	if err != nil {
		b.t.Fatal(err)
	}
	if c.AssigneeID == nil || *c.AssigneeID != userID {
		b.t.Fatalf("case %s is assigned to %v, want %s", caseID, c.AssigneeID, userID)
	}
}

// TestKeyboard: j and k move the highlight among a list's rows, Enter opens the
// highlighted row, / goes to the search box, and ? shows the keys (except in a field).
func TestKeyboard(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		u := s.user(t, "reviewer")
		tm := s.template(t, nil)
		q := s.queue(t, tm)
		first := s.newCase(t, tm, slaIn(3600))
		second := s.newCase(t, tm, slaIn(7200))
		s.newCase(t, tm, slaIn(10800))

		b := s.tab(t)
		b.signIn(u.Email)
		b.openOK("/queues/" + q.ID)
		highlighted := `(document.querySelector("[data-row][aria-current=true] a") || {}).textContent || ""`
		for _, step := range []struct{ key, want string }{
			{"j", first.Name}, {"j", second.Name}, {"k", first.Name}, {"k", first.Name}, {"j", second.Name},
		} {
			b.key(step.key)
			if got := eval[string](b, highlighted); got != step.want {
				t.Fatalf("after %s the highlighted row is %q, want %q", step.key, got, step.want)
			}
		}
		if st := b.navigate("press Enter", keyAction("\r")); st != 200 {
			t.Fatalf("Enter opened a page with status %d", st)
		}
		if !strings.HasPrefix(b.path(), "/cases/"+second.ID) {
			t.Fatalf("Enter opened %s, want the highlighted case %s", b.path(), second.ID)
		}

		if eval[bool](b, `document.getElementById("keyboard-help").open`) {
			t.Fatal("the keyboard help is open before ? is pressed")
		}
		b.openOK("/cases")
		b.key("/")
		if id := eval[string](b, `document.activeElement.id`); id != "filter-q" {
			t.Fatalf("/ focused %q, want the search box", id)
		}
		b.key("?") // typed into the search box: no help
		if eval[bool](b, `document.getElementById("keyboard-help").open`) {
			t.Fatal("? typed into a field opened the keyboard help")
		}
		b.do("leave the search box", chromedp.Blur(chromedp.CSS("#filter-q")))
		b.key("?")
		b.waitFor("the keyboard help", `document.getElementById("keyboard-help").open`)
		b.wantText("#keyboard-help", "Move down / up a list")
	})
}
