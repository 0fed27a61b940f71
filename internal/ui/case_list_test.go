package ui_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/ui"
)

// clFixture is a site with cases for the case list's tests: KYC (a one-hour SLA),
// OTH (its own statuses, no SLA) and SAR (seen by admins only); mia is a manager, rev
// and ada reviewers, vic a viewer.
type clFixture struct {
	*site
	kyc, oth, sar *docket.CaseTemplate
	queue         *docket.CaseQueue
	users         map[string]*docket.User
	cases         map[string]*docket.Case // by name
}

var clActor = docket.Actor{Type: docket.ActorSystem, ID: "test"}

func newCaseListFixture(t *testing.T, dbURL string) *clFixture {
	t.Helper()
	s := newSite(t, dbURL, nil)
	s.store.Now = s.clock.Now // one clock for sessions and SLAs, set before anything runs
	f := &clFixture{site: s, users: map[string]*docket.User{}, cases: map[string]*docket.Case{}}
	for _, u := range []struct{ email, role string }{
		{"mia@example.com", "manager"}, {"rev@example.com", "reviewer"}, {"ada@example.com", "reviewer"}, {"vic@example.com", "viewer"},
	} {
		f.users[strings.Split(u.email, "@")[0]] = s.user(u.email, u.role)
	}
	hour := int64(3600)
	f.kyc = &docket.CaseTemplate{Name: "KYC review", Key: "KYC", SLASeconds: &hour}
	f.oth = &docket.CaseTemplate{Name: "Other", Key: "OTH", Statuses: []docket.Status{{Name: "New", Type: docket.StatusInitial}, {Name: "Closed", Type: docket.StatusEnd}}}
	f.sar = &docket.CaseTemplate{Name: "SAR filing", Key: "SAR", VisibleToRoles: []string{docket.RoleAdmin}}
	for _, tm := range []*docket.CaseTemplate{f.kyc, f.oth, f.sar} {
		noErr(t, s.store.CreateTemplate(ctx, clActor, tm))
	}
	ref := "cust-1"
	acct := &docket.Account{ReferenceID: &ref}
	noErr(t, s.store.CreateAccount(ctx, clActor, acct))
	minute := int64(60)
	for _, nc := range []docket.NewCase{
		{TemplateID: f.kyc.ID},                              // KYC-1: assigned to rev, due
		{TemplateID: f.kyc.ID, SLAExpiresInSecond: &minute}, // KYC-2: breached
		{TemplateID: f.kyc.ID},                              // KYC-3: approved
		{TemplateID: f.oth.ID, Tags: []string{"pep"}, ObjectIDs: []string{acct.ID}},
		{TemplateID: f.sar.ID},
		{TemplateID: f.sar.ID, Tags: []string{"pep"}},
	} {
		s.clock.Add(time.Second)
		c, err := s.store.CreateCase(ctx, clActor, nc)
		noErr(t, err)
		f.cases[c.Name] = c
	}
	f.change(t, func() (*docket.Case, error) {
		return s.store.AssignCase(ctx, clActor, f.cases["KYC-1"].ID, "rev@example.com")
	})
	f.change(t, func() (*docket.Case, error) {
		return s.store.SetCaseStatus(ctx, clActor, f.cases["KYC-3"].ID, "Approved")
	})
	f.queue = &docket.CaseQueue{Name: "Other work", Filter: docket.CaseQueueFilter{TemplateIDs: []string{f.oth.ID}}}
	noErr(t, s.store.CreateQueue(ctx, clActor, f.queue))
	s.clock.Add(10 * time.Minute) // KYC-2's SLA has expired, KYC-1's has not
	return f
}

func (f *clFixture) change(t *testing.T, fn func() (*docket.Case, error)) {
	t.Helper()
	c, err := fn()
	noErr(t, err)
	f.cases[c.Name] = c
}

// as returns a browser signed in as the named user.
func (f *clFixture) as(name string) *browser {
	b := f.browser()
	b.signIn(f.users[name].Email)
	return b
}

var clRowRe = regexp.MustCompile(`<th scope="row"><a href="/cases/case_[0-9a-z]+">([^<]+)</a></th>`)

// clNames returns the case names a list page shows, in order.
func clNames(body string) []string {
	var out []string
	for _, m := range clRowRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// clLink returns the unescaped href of the pager link with the given rel, or "".
func clLink(body, rel string) string {
	m := regexp.MustCompile(`href="([^"]+)" rel="` + rel + `"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestCaseListFilters(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		f := newCaseListFixture(t, dbURL)
		rev := f.as("rev")
		today := f.clock.Now().UTC().Format(time.DateOnly)
		for _, tc := range []struct {
			name, query string
			want        []string // in order
			frags       []string
		}{
			{"everything visible, newest first", "", []string{"OTH-1", "KYC-3", "KYC-2", "KYC-1"}, nil},
			{"template", "filter[case-template-id]=" + f.kyc.ID, []string{"KYC-3", "KYC-2", "KYC-1"},
				[]string{`<option value="` + f.kyc.ID + `" selected>KYC review</option>`}},
			{"status", "filter[status]=Open", []string{"KYC-2", "KYC-1"}, []string{`<input type="hidden" name="filter[status]" value="Open">`}},
			{"assigned to me", "filter[assignee-id]=me", []string{"KYC-1"}, []string{`<option value="me" selected>Me</option>`}},
			{"assigned to a user", "filter[assignee-id]=" + f.users["rev"].ID, []string{"KYC-1"}, nil},
			{"unassigned", "filter[assignee-id]=unassigned", []string{"OTH-1", "KYC-3", "KYC-2"}, nil},
			{"queue", "filter[case-queue-id]=" + f.queue.ID, []string{"OTH-1"}, []string{`" selected>Other work</option>`,
				`<option value="">The queue's order (most urgent first)</option>`}},
			{"tag (a hidden case has it too)", "filter[tag]=pep", []string{"OTH-1"}, []string{`name="filter[tag]" value="pep"`}},
			{"SLA breached", "filter[sla]=breached", []string{"KYC-2"}, []string{`<option value="breached" selected>`, `class="breached"><strong>breached 9m ago</strong>`}},
			{"SLA due", "filter[sla]=due", []string{"KYC-1"}, []string{"due in 49m"}},
			{"no SLA", "filter[sla]=none", []string{"OTH-1"}, []string{"No SLA"}},
			{"created today", "filter[created-at-start]=" + today + "&filter[created-at-end]=" + today, []string{"OTH-1", "KYC-3", "KYC-2", "KYC-1"},
				[]string{`type="date" value="` + today + `"`}},
			{"created long ago", "filter[created-at-end]=2000-01-01", nil, []string{"No cases match these filters."}},
			{"search: a name in any case", "filter[q]=kyc-2", []string{"KYC-2"}, []string{`value="kyc-2" data-key="/"`}},
			{"search: a reference id", "filter[q]=cust-1", []string{"OTH-1"}, nil},
			{"search: a hidden case", "filter[q]=SAR-1", nil, nil},
			{"search: words, best match first", "filter[q]=Pe", []string{"OTH-1"}, []string{`<option value="">Best match first</option>`}},
			{"search: words, newest first", "filter[q]=kyc&sort=-created-at", []string{"KYC-3", "KYC-2", "KYC-1"}, nil},
			{"SLA then age", "sort=sla-expires-at", []string{"KYC-2", "KYC-1", "KYC-3", "OTH-1"}, []string{`<option value="sla-expires-at" selected>`}},
			{"combined", "filter[case-template-id]=" + f.kyc.ID + "&filter[status]=Open&sort=sla-expires-at", []string{"KYC-2", "KYC-1"}, nil},
			{"empty form fields are ignored", "filter[q]=&filter[tag]=&filter[sla]=&sort=", []string{"OTH-1", "KYC-3", "KYC-2", "KYC-1"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := rev.get("/cases?" + tc.query)
				p.want(t, http.StatusOK, append([]string{`data-key="/"`}, tc.frags...)...)
				if got := clNames(p.body); !slices.Equal(got, tc.want) {
					t.Fatalf("lists %v, want %v", got, tc.want)
				}
				if strings.Contains(strings.Join(clNames(p.body), ","), "SAR-") || strings.Contains(p.body, "SAR filing") {
					t.Fatal("a reviewer sees a case or template hidden from reviewers")
				}
			})
		}
		// A refused filter is shown beside its field, with the user's input kept; the
		// filters a phone folds away are unfolded so that the message is seen.
		rev.get("/cases?filter[sla]=late&filter[tag]=kept").want(t, http.StatusBadRequest,
			`<p class="field-error">filter[sla] must be breached, due or none</p>`, `name="filter[tag]" value="kept"`,
			`<details class="more-filters" open>`, `Filters <span class="count">2 active</span>`)
		rev.get("/cases?filter[tag]=kept").want(t, http.StatusOK, `<details class="more-filters">`)
		rev.get("/cases?filter[created-at-start]=yesterday").want(t, http.StatusBadRequest, "must be an RFC 3339 time")
		rev.get("/cases?page[after]=garbage").want(t, http.StatusBadRequest, "This page link is broken")
		// An admin sees every template's cases.
		admin := f.user("root@example.com", "admin")
		b := f.browser()
		b.signIn(admin.Email)
		if got := clNames(b.get("/cases").body); len(got) != 6 {
			t.Fatalf("admin sees %v", got)
		}
	})
}

func TestCaseListTabs(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		f := newCaseListFixture(t, dbURL)
		rev := f.as("rev")
		tab := func(label, count string, current bool) string {
			cur := ""
			if current {
				cur = ` aria-current="page"`
			}
			return `"` + cur + `>` + label + ` <span class="count">` + count + `</span></a>`
		}
		// Counts leave out SAR's cases, which reviewers may not see. KYC and the other
		// template share no status: across templates there is only "All", and a hint.
		p := rev.get("/cases")
		p.want(t, http.StatusOK, tab("All", "4", true), "Choose a template to see a tab for each of its statuses")
		p.lacks(t, ">Open <span", ">New <span")
		// A chosen status keeps its tab.
		rev.get("/cases?filter[status]=Open").want(t, http.StatusOK, tab("All", "4", false), tab("Open", "2", true))
		// With a template chosen, its statuses.
		kyc := "filter[case-template-id]=" + f.kyc.ID
		rev.get("/cases?"+kyc).want(t, http.StatusOK, tab("All", "3", true), tab("Open", "2", false), tab("Pending", "0", false),
			tab("Approved", "1", false), tab("Declined", "0", false))
		// A tab keeps the other filters and counts within them.
		p = rev.get("/cases?filter[status]=Open&filter[assignee-id]=unassigned&" + kyc + "&sort=sla-expires-at")
		p.want(t, http.StatusOK, tab("All", "2", false), tab("Open", "1", true), tab("Approved", "1", false),
			`<a href="/cases?filter[status]=Approved&amp;filter[case-template-id]=`+f.kyc.ID+`&amp;filter[assignee-id]=unassigned&amp;sort=sla-expires-at">`)
		// With a template chosen, its statuses only.
		p = rev.get("/cases?filter[case-template-id]=" + f.oth.ID)
		p.want(t, http.StatusOK, tab("All", "1", true), tab("New", "1", false), tab("Closed", "0", false))
		if strings.Contains(p.body, ">Open <span") {
			t.Fatal("tabs of another template's statuses")
		}
		// An admin's counts include SAR's cases.
		admin := f.user("root@example.com", "admin")
		b := f.browser()
		b.signIn(admin.Email)
		b.get("/cases?filter[status]=Open").want(t, http.StatusOK, tab("All", "6", false), tab("Open", "4", true))

		// Counts that cannot finish within their time budget show no number, and the page
		// still lists its cases.
		ui.SetCountBudget(f.srv.Config.Handler, -time.Second)
		p = rev.get("/cases?filter[status]=Open")
		p.want(t, http.StatusOK, `aria-current="page">Open <span class="count" title="Not counted: counting would take too long">–</span>`)
		if got := clNames(p.body); !slices.Equal(got, []string{"KYC-2", "KYC-1"}) {
			t.Fatalf("uncounted tabs, listed %v", got)
		}
	})
}

func TestCaseListCappedCounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		f := newCaseListFixture(t, dbURL)
		// 1,001 more open KYC cases, created concurrently so that the store commits them in
		// groups.
		const n = 1001
		var wg sync.WaitGroup
		errs := make(chan error, n)
		next := make(chan struct{}, n)
		for range n {
			next <- struct{}{}
		}
		close(next)
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range next {
					if _, err := f.store.CreateCase(ctx, clActor, docket.NewCase{TemplateID: f.kyc.ID}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		p := f.as("rev").get("/cases?filter[case-template-id]=" + f.kyc.ID)
		p.want(t, http.StatusOK, `>All <span class="count">1,000+</span>`, `>Open <span class="count">1,000+</span>`,
			`>Approved <span class="count">1</span>`)
		if got := len(clNames(p.body)); got != 50 {
			t.Fatalf("a page lists %d cases, want 50", got)
		}
		if len(p.body) > 100_000 {
			t.Fatalf("a page of 50 cases is %d bytes, over 100 KB", len(p.body))
		}
	})
}

func TestCaseListPaging(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		f := newCaseListFixture(t, dbURL)
		for range 5 {
			f.clock.Add(time.Second)
			_, err := f.store.CreateCase(ctx, clActor, docket.NewCase{TemplateID: f.oth.ID})
			noErr(t, err)
		}
		rev := f.as("rev")
		for _, tc := range []struct {
			query string
			size  int
		}{
			{"", 3}, {"sort=sla-expires-at&filter[case-template-id]=" + f.oth.ID, 3}, {"sort=sla-expires-at", 2},
		} {
			start := fmt.Sprintf("/cases?%s&page[size]=%d", tc.query, tc.size)
			t.Run(start, func(t *testing.T) {
				want := clNames(rev.get("/cases?" + tc.query + "&page[size]=100").body)
				// Forward to the last page, then back to the first, by the pager's links.
				var pages [][]string
				path := start
				for path != "" {
					p := rev.get(path)
					p.want(t, http.StatusOK)
					pages = append(pages, clNames(p.body))
					if len(pages) > 1 && clLink(p.body, "prev") == "" {
						t.Fatalf("page %d has no previous link", len(pages))
					}
					path = clLink(p.body, "next")
				}
				if got := slices.Concat(pages...); !slices.Equal(got, want) || len(pages) < 2 {
					t.Fatalf("pages %v, want %v in pages of the size asked", pages, want)
				}
				last := rev.get(start)
				for i := 0; clLink(last.body, "next") != ""; i++ {
					last = rev.get(clLink(last.body, "next"))
				}
				for i := len(pages) - 2; i >= 0; i-- {
					last = rev.get(clLink(last.body, "prev"))
					if got := clNames(last.body); !slices.Equal(got, pages[i]) {
						t.Fatalf("back to page %d: %v, want %v", i+1, got, pages[i])
					}
				}
				if clLink(last.body, "prev") != "" {
					t.Fatal("the first page has a previous link")
				}
			})
		}
	})
}

// TestCaseListSLAWords checks the SLA and age words against the clock.
func TestCaseListSLAWords(t *testing.T) {
	t.Parallel()
	f := newCaseListFixture(t, storetest.SQLiteURL(t))
	for _, tc := range []struct {
		advance time.Duration
		frags   []string
	}{
		{0, []string{"due in 49m", "breached 9m ago", `<span class="muted">resolved</span>`, "10m ago", `title="`}},
		{2 * time.Hour, []string{"breached 2h 9m ago", "breached 1h 10m ago", "2h 10m ago"}},
		{3 * 24 * time.Hour, []string{"breached 3d 2h ago", "3d 2h ago"}},
	} {
		f.clock.Add(tc.advance)
		// Sign in afresh: the session would not outlive the clock's jumps.
		f.as("rev").get("/cases?filter[case-template-id]="+f.kyc.ID).want(t, http.StatusOK, tc.frags...)
	}
}
