package ui_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestKeyboardHelp: every signed-in page carries the keyboard help dialog and a footer
// link to the same list as a plain page, with no inline script or style; the script binds
// the keys.
func TestKeyboardHelp(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	s.user("rita@example.com", docket.RoleReviewer)
	q := s.queue("KYC backlog", s.template("KYC review", "KYC"))
	b := s.browser()
	b.signIn("rita@example.com")
	for _, path := range []string{"/", "/queues", "/queues/" + q.ID, "/notifications", "/keyboard"} {
		p := b.get(path)
		p.want(t, http.StatusOK, `<dialog id="keyboard-help"`, `<a href="/keyboard" data-dialog="keyboard-help"`, `<kbd>j</kbd>`)
		if strings.Contains(p.body, "<script>") || strings.Contains(p.body, " style=") || strings.Contains(p.body, "<style") {
			t.Errorf("%s: inline script or style would be blocked by the policy", path)
		}
	}
	b.get("/keyboard").want(t, http.StatusOK, "<h1>Keyboard shortcuts</h1>", "Next case in the queue")
	js := regexp.MustCompile(`src="(/static/app\.[0-9a-f]{10}\.js)"`).FindStringSubmatch(b.get("/").body)
	if js == nil {
		t.Fatal("no script on the page")
	}
	b.get(js[1]).want(t, http.StatusOK, `[data-row]`, `data-key="${key}"`, `keyboard-help`)
	if p := s.browser().get("/keyboard"); p.status != http.StatusSeeOther {
		t.Fatalf("/keyboard signed out: %d, want the sign-in page", p.status)
	}
}
