package browsertest

import (
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

// TestAnalyticsFilter: a manager opens the analytics page, picks a template and monthly
// buckets in the filter form, and the chart and the table under it change to that
// template's cases by month; the filters stay in the URL.
func TestAnalyticsFilter(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		m := s.user(t, "manager")
		tm := s.template(t, nil)
		for range 3 {
			s.newCase(t, tm, nil)
		}
		done := s.newCase(t, tm, nil)
		if _, err := s.store.SetCaseStatus(ctx, actor, done.ID, docket.DefaultStatusApproved); err != nil {
			t.Fatal(err)
		}

		b := s.tab(t)
		b.signIn(m.Email)
		b.openOK("/")
		b.clickOK(`.main-nav a[href="/analytics"]`)
		const rows = "#fig-volume ~ .table-wrap tbody tr, section[aria-labelledby=fig-volume] .figure-table tbody tr"
		days := b.count(rows)
		line := eval[string](b, `document.querySelector("#main .s-created").getAttribute("points")`)
		if days < 30 || line == "" {
			t.Fatalf("the default view has %d rows of volume and a line %q", days, line)
		}

		b.fill("#an-template", tm.ID)
		b.fill("#an-bucket", docket.BucketMonth)
		b.clickOK(`.analytics-filters button[type=submit]`)
		if p := b.path(); !strings.Contains(p, "bucket=month") || !strings.Contains(p, tm.ID) {
			t.Fatalf("the filters are not in the URL: %s", p)
		}
		if n := b.count(rows); n >= days || n < 1 {
			t.Fatalf("by month the volume table has %d rows (by day %d)", n, days)
		}
		if after := eval[string](b, `document.querySelector("#main .s-created").getAttribute("points")`); after == line {
			t.Fatal("the volume chart did not change")
		}
		b.wantText("section[aria-labelledby=fig-volume] .summary", "3 open now")
		last := eval[string](b, `[...document.querySelectorAll("section[aria-labelledby=fig-volume] .figure-table tbody tr")].pop().innerText`)
		if f := strings.Fields(last); len(f) < 6 || f[len(f)-4] != "4" || f[len(f)-3] != "1" || f[len(f)-1] != "3" {
			t.Fatalf("this month's line: %q, want 4 created, 1 resolved, 3 open", last)
		}
		b.wantText("section[aria-labelledby=fig-mix] .figure-table", "Approved")
	})
}
