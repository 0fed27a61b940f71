package browsertest

import (
	"net/url"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

// caseRows is the selector of the case list's result rows.
const caseRows = "table.case-table tbody tr[data-row]"

// tabCount returns the count shown on the case list's status tab with the label, or ""
// when there is no such tab.
func (b *tab) tabCount(label string) string {
	b.t.Helper()
	return eval[string](b, `(() => {
		const a = Array.from(document.querySelectorAll("nav.tabs a")).find(a => a.firstChild.textContent.trim() === `+jsString(label)+`);
		return a ? a.querySelector(".count").textContent.trim() : "" })()`)
}

// rowNames returns the case names the case list shows.
func (b *tab) rowNames() []string {
	b.t.Helper()
	return eval[[]string](b, `Array.from(document.querySelectorAll("`+caseRows+` a[href^='/cases/']")).map(a => a.textContent.trim())`)
}

// TestFindCaseWithFilter: a reviewer narrows the case list with the filter form (a
// template and a tag), finds the one case, sees the filter kept in the address and the
// tabs counting only matches, and opens the case.
func TestFindCaseWithFilter(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		u := s.user(t, "reviewer")
		tm := s.template(t, nil)
		tag := strings.ToLower(unique("vip"))
		want := s.newCase(t, tm, func(nc *docket.NewCase) { nc.Tags = []string{tag} })
		s.newCase(t, tm, nil)
		s.newCase(t, s.template(t, nil), func(nc *docket.NewCase) { nc.Tags = []string{tag} })

		b := s.tab(t)
		b.signIn(u.Email)
		b.openOK("/cases")
		b.fill("#filter-template", tm.ID)
		b.fill("#filter-tag", tag)
		b.clickOK(`form.filter-form button[type=submit]`)
		at, err := url.Parse(b.path())
		if err != nil || at.Path != "/cases" || at.Query().Get("filter[case-template-id]") != tm.ID || at.Query().Get("filter[tag]") != tag {
			t.Fatalf("the filters are not in the address: %s", b.path())
		}
		if names := b.rowNames(); len(names) != 1 || names[0] != want.Name {
			t.Fatalf("the filtered list shows %v, want only %s", names, want.Name)
		}
		if n := b.tabCount("All"); n != "1" {
			t.Fatalf("the All tab counts %q, want 1", n)
		}

		// The address is the view: opened afresh, it shows the same.
		shared := b.path()
		b2 := s.tab(t)
		b2.signIn(u.Email)
		b2.openOK(shared)
		if names := b2.rowNames(); len(names) != 1 || names[0] != want.Name {
			t.Fatalf("the shared address shows %v", names)
		}
		b.clickOK(caseRows + ` a[href="/cases/` + want.ID + `"]`)
		b.wantText("h1", want.Name)
	})
}
