package ui_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

func TestCaseListBulk(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		f := newCaseListFixture(t, dbURL)
		id := func(name string) string { return f.cases[name].ID }
		status := func(name string) string {
			t.Helper()
			c, err := f.store.FindCase(ctx, id(name))
			noErr(t, err)
			return c.Status
		}
		form := func(action string, kv ...string) url.Values {
			v := url.Values{"action": {action}, "return": {"/cases?sort=sla-expires-at"}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Add(kv[i], kv[i+1])
			}
			return v
		}

		// Reviewers and viewers see no bulk controls, and a forged form is refused.
		for _, who := range []string{"rev", "vic"} {
			b := f.as(who)
			p := b.get("/cases")
			p.want(t, http.StatusOK, "data-row")
			for _, ctl := range []string{`id="bulk"`, `name="case-id"`, `name="all-on-page"`, "Apply to selected"} {
				if strings.Contains(p.body, ctl) {
					t.Fatalf("%s sees a bulk control %s", who, ctl)
				}
			}
			b.post("/cases", "/cases/bulk", form("set-status", "status", "Pending", "case-id", id("KYC-1"))).
				want(t, http.StatusForbidden, "may not run bulk actions")
		}
		if got := status("KYC-1"); got != "Open" {
			t.Fatalf("a refused bulk action changed KYC-1 to %s", got)
		}

		mia := f.as("mia")
		mia.get("/cases").want(t, http.StatusOK, `<form id="bulk" method="post" action="/cases/bulk"`,
			`name="case-id" value="`+id("KYC-1")+`" form="bulk"`, `name="all-on-page" value="1" form="bulk"`,
			`<option value="Closed">Closed</option>`, `<option value="ada@example.com">ada</option>`)

		// Each case by its own rules: OTH-1's template has no "Pending"; SAR-1 is hidden
		// from managers as if it did not exist.
		p := mia.post("/cases", "/cases/bulk", form("set-status", "status", "Pending",
			"case-id", id("KYC-1"), "case-id", id("OTH-1"), "case-id", id("KYC-2"), "case-id", id("SAR-1")))
		if p.status != http.StatusSeeOther || p.location() != "/cases?sort=sla-expires-at" {
			t.Fatalf("bulk: %d %q\n%s", p.status, p.location(), p.body)
		}
		mia.get(p.location()).want(t, http.StatusOK, "2 updated, 2 refused: OTH-1 (&#34;Pending&#34; is not a status of case template Other",
			"; "+id("SAR-1")+" (no such case).")
		for name, want := range map[string]string{"KYC-1": "Pending", "KYC-2": "Pending", "OTH-1": "New", "SAR-1": "Open"} {
			if got := status(name); got != want {
				t.Errorf("%s is %s, want %s", name, got, want)
			}
		}

		// "Select all on this page" takes every case of the page, whatever is ticked.
		p = mia.post("/cases", "/cases/bulk", form("add-tag", "tag-name", "review", "all-on-page", "1",
			"page-case-id", id("KYC-1"), "page-case-id", id("KYC-3"), "case-id", id("KYC-2")))
		p.want(t, http.StatusSeeOther)
		mia.get("/cases").want(t, http.StatusOK, "2 updated.")
		for name, tagged := range map[string]bool{"KYC-1": true, "KYC-3": true, "KYC-2": false} {
			c, err := f.store.FindCase(ctx, id(name))
			noErr(t, err)
			if slices.Contains(c.Tags, "review") != tagged {
				t.Errorf("%s tags %v", name, c.Tags)
			}
		}

		// Assigning needs a choice: a slip never unassigns a page of cases.
		p = mia.post("/cases", "/cases/bulk", form("assign", "case-id", id("KYC-1"), "tag-name", "kept"))
		p.want(t, http.StatusUnprocessableEntity, `id="bulk-assignee-error">Choose who gets the cases.`, `name="tag-name" maxlength="100" value="kept"`,
			`<option value="sla-expires-at" selected>`)
		c, err := f.store.FindCase(ctx, id("KYC-1"))
		noErr(t, err)
		if c.AssigneeID == nil || *c.AssigneeID != f.users["rev"].ID {
			t.Fatal("a refused assignment changed the assignee")
		}
		mia.post("/cases", "/cases/bulk", form("assign", "assignee", "ada@example.com", "case-id", id("KYC-1"), "case-id", id("KYC-2"))).
			want(t, http.StatusSeeOther)
		if got := clNames(f.as("ada").get("/cases?filter[assignee-id]=me").body); !slices.Equal(got, []string{"KYC-2", "KYC-1"}) {
			t.Fatalf("ada's cases after the bulk assignment: %v", got)
		}
		mia.post("/cases", "/cases/bulk", form("assign", "assignee", "nobody", "case-id", id("KYC-1"))).want(t, http.StatusSeeOther)
		mia.get("/cases").want(t, http.StatusOK, "1 updated.")

		// A request refused whole: nothing selected, an unknown action, no status, too many.
		for _, tc := range []struct {
			form url.Values
			frag string
		}{
			{form("add-tag", "tag-name", "x"), "select at least one case"},
			{form("close", "case-id", id("KYC-1")), "action must be one of"},
			{form("set-status", "case-id", id("KYC-1")), `id="bulk-status-error">choose the status to set`},
			{form("add-tag", "case-id", "KYC-1", "tag-name", "x"), "is not a case id"},
		} {
			mia.post("/cases", "/cases/bulk", tc.form).want(t, http.StatusUnprocessableEntity, tc.frag)
		}
		// With no row to show the form beside, the message shows above the list.
		empty := form("set-status", "case-id", id("KYC-1"))
		empty.Set("return", "/cases?filter[q]=nothing")
		mia.post("/cases", "/cases/bulk", empty).want(t, http.StatusUnprocessableEntity, `<p class="alert" role="alert">choose the status to set</p>`)
		many := form("add-tag", "tag-name", "x")
		for range docket.MaxBulkCases + 1 {
			many.Add("case-id", docket.NewID(docket.PrefixCase))
		}
		mia.post("/cases", "/cases/bulk", many).want(t, http.StatusUnprocessableEntity, "select at most 100 cases")
		// Without the CSRF token nothing happens.
		mia.do(http.MethodPost, "/cases/bulk", form("set-status", "status", "Open", "case-id", id("KYC-1"))).want(t, http.StatusForbidden)
		if got := status("KYC-1"); got != "Pending" {
			t.Fatalf("KYC-1 is %s", got)
		}
	})
}
