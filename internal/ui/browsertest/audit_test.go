package browsertest

import (
	"strings"
	"testing"
	"time"
)

// TestAuditAccessLogAndVerify: a reviewer opens a case; an admin follows the case page's
// "Who opened this case" link, or filters the access log by the case, finds the
// reviewer's request (the access log recorded by the server, as serve records it), and
// verifies the event chain from the chain page.
func TestAuditAccessLogAndVerify(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		reviewer, admin := s.user(t, "reviewer"), s.user(t, "admin")
		c := s.newCase(t, s.template(t, nil), nil)
		page := "/cases/" + c.ID

		tr := s.tab(t)
		tr.signIn(reviewer.Email)
		tr.openOK(page)
		if tr.has(`a[href^="/admin/audit"]`) {
			t.Fatal("a reviewer is offered the access log")
		}

		ta := s.tab(t)
		ta.signIn(admin.Email)
		ta.openOK(page)
		ta.wantText("#audit-h", "Who opened this case")
		ta.openOK("/admin/audit")
		ta.fill("#al-object", c.ID)
		ta.clickOK(`form.audit-filters button[type=submit]`)
		ta.wantText("h2.audit-case", "Who opened "+c.Name)
		// The recorder writes in the background: reload until the reviewer's request
		// is there.
		filtered := ta.path()
		for deadline := time.Now().Add(stepTimeout); ; {
			if text := ta.text("table.access-log"); containsAll(text, reviewer.Name, "GET /cases/{id}", c.ID) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the access log at %s never lists %s opening %s:\n%s", filtered, reviewer.Name, c.ID, ta.text("main"))
			}
			ta.openOK(filtered)
		}
		ta.wantText("table.access-log", "200")

		ta.click(`nav.tabs a[href="/admin/audit/chain"]`)
		ta.wantText(".chain-head", "Sequence", "Hash")
		ta.clickOK(`form.verify-form button[type=submit]`)
		ta.wantText(".verify-ok", "The chain is intact.", "events checked up to sequence")
	})
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
