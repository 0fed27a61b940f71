package ui_test

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/storetest"
)

var clSavedRe = regexp.MustCompile(`<form method="post" action="/saved-views/(sview_[0-9a-z]+)/delete"`)

func TestCaseListSavedViews(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		f := newCaseListFixture(t, dbURL)
		rev, ada := f.as("rev"), f.as("ada")
		list := "/cases?sort=sla-expires-at&filter[assignee-id]=me"
		p := rev.get(list)
		p.want(t, http.StatusOK, `<input type="hidden" name="query" value="filter[assignee-id]=me&amp;sort=sla-expires-at">`,
			"None yet.")
		query := "filter[assignee-id]=me&sort=sla-expires-at"

		// Saving keeps the filters under the name, and opens them.
		save := func(b *browser, name, query string) *page {
			return b.post("/cases", "/saved-views", url.Values{"name": {name}, "query": {query}})
		}
		p = save(rev, " My urgent ", query)
		if p.status != http.StatusSeeOther || p.location() != "/cases?"+query {
			t.Fatalf("save: %d %q\n%s", p.status, p.location(), p.body)
		}
		p = rev.get(p.location())
		p.want(t, http.StatusOK, "Saved the view “My urgent”.",
			`<a href="/cases?filter[assignee-id]=me&amp;sort=sla-expires-at" aria-current="page">My urgent</a>`)
		if got := clNames(p.body); !slices.Equal(got, []string{"KYC-1"}) {
			t.Fatalf("the view lists %v", got)
		}
		m := clSavedRe.FindStringSubmatch(p.body)
		if m == nil {
			t.Fatalf("no delete form:\n%s", p.body)
		}
		id := m[1]
		// Elsewhere in the list it is a link, not the current view.
		rev.get("/cases").want(t, http.StatusOK, `<a href="/cases?filter[assignee-id]=me&amp;sort=sla-expires-at">My urgent</a>`)

		// Views are their owner's only: ada sees none and cannot delete rev's. "me" is
		// each reader's own: the same link shows ada her cases.
		p = ada.get("/cases?" + query)
		if strings.Contains(p.body, "My urgent") || len(clNames(p.body)) != 0 {
			t.Fatalf("ada sees rev's view or cases:\n%s", p.body)
		}
		ada.post("/cases", "/saved-views/"+id+"/delete", url.Values{}).want(t, http.StatusNotFound)
		must := func(err error) { t.Helper(); noErr(t, err) }
		_, err := f.store.FindSavedView(ctx, f.users["rev"].ID, id)
		must(err)

		// A refused name is shown beside the field, with the list as it was.
		p = save(rev, "  ", "filter[status]=Open")
		p.want(t, http.StatusUnprocessableEntity, `id="view-name-error">a saved view&#39;s name must be 1 to 100 characters`,
			`<input type="hidden" name="filter[status]" value="Open">`)
		save(rev, "Forged", "page[size]=5").want(t, http.StatusUnprocessableEntity, "not a case list filter")
		// A view of every case has an empty query.
		p = save(rev, "Everything", "")
		if p.status != http.StatusSeeOther || p.location() != "/cases" {
			t.Fatalf("save the empty view: %d %q", p.status, p.location())
		}

		// Deleting returns to the list the form was on.
		p = rev.post("/cases", "/saved-views/"+id+"/delete", url.Values{"return": {"/cases?filter[status]=Open"}})
		if p.status != http.StatusSeeOther || p.location() != "/cases?filter[status]=Open" {
			t.Fatalf("delete: %d %q", p.status, p.location())
		}
		p = rev.get(p.location())
		p.want(t, http.StatusOK, "Deleted the saved view “My urgent”.", ">Everything</a>")
		if strings.Contains(p.body, ">My urgent</a>") {
			t.Fatal("a deleted view is still listed")
		}
		// A return address elsewhere is not followed.
		p = rev.post("/cases", "/saved-views/"+clSavedRe.FindStringSubmatch(p.body)[1]+"/delete", url.Values{"return": {"//evil.example/cases"}})
		if p.location() != "/cases" {
			t.Fatalf("delete returned to %q", p.location())
		}

		// A viewer keeps views too; without the CSRF token nothing is saved.
		vic := f.as("vic")
		save(vic, "Watching", "filter[sla]=breached").want(t, http.StatusSeeOther)
		vic.do(http.MethodPost, "/saved-views", url.Values{"name": {"No token"}}).want(t, http.StatusForbidden)
		views, _, err := f.store.ListSavedViews(ctx, docket.SavedViewFilter{UserID: f.users["vic"].ID})
		must(err)
		if len(views) != 1 {
			t.Fatalf("vic has %d views, want 1", len(views))
		}
	})
}

// TestCaseListMatchesAPI checks the URL round trip: the case list's address, a saved
// view's query and the pager's links give the same cases, in the same order, at the
// API's GET /cases as on the page.
func TestCaseListMatchesAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		f := newCaseListFixture(t, dbURL)
		secret := docket.NewAPIKeySecret()
		_, err := f.store.CreateUserAPIKey(ctx, f.users["rev"].ID, "rev", []string{docket.ScopeAll}, secret)
		noErr(t, err)
		apiSrv := httptest.NewServer(api.New(f.store, slog.New(slog.NewTextHandler(io.Discard, nil)), api.Config{MaxBodyBytes: 1 << 20}, nil))
		t.Cleanup(apiSrv.Close)
		apiNames := func(query string) []string {
			t.Helper()
			req, _ := http.NewRequest(http.MethodGet, apiSrv.URL+"/api/v1/cases?"+query, nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			resp, err := http.DefaultClient.Do(req)
			noErr(t, err)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("API %s: %d %s", query, resp.StatusCode, body)
			}
			var names []string
			for _, m := range regexp.MustCompile(`"name":"([A-Z]+-[0-9]+)"`).FindAllStringSubmatch(string(body), -1) {
				names = append(names, m[1])
			}
			return names
		}
		rev := f.as("rev")
		for _, query := range []string{
			"",
			"filter[assignee-id]=me",
			"filter[assignee-id]=unassigned&sort=sla-expires-at",
			"filter[status]=Open&filter[case-template-id]=" + f.kyc.ID,
			"filter[q]=cust-1",
			"filter[sla]=breached",
			"filter[tag]=pep",
			"sort=sla-expires-at&page[size]=2",
		} {
			p := rev.get("/cases?" + query)
			page := clNames(p.body)
			if got := apiNames(query); !slices.Equal(got, page) {
				t.Errorf("%q: the API lists %v, the page %v", query, got, page)
			}
			if next := clLink(p.body, "next"); next != "" {
				_, q, _ := strings.Cut(next, "?")
				if got, want := apiNames(q), clNames(rev.get(next).body); !slices.Equal(got, want) {
					t.Errorf("%q, next page: the API lists %v, the page %v", q, got, want)
				}
			}
			// The query "Save view" would keep is the page's filters.
			m := regexp.MustCompile(`name="query" value="([^"]*)"`).FindStringSubmatch(p.body)
			saved := html.UnescapeString(m[1])
			if got := clNames(rev.get("/cases?" + saved).body); !slices.Equal(got, clNames(rev.get("/cases?"+strings.ReplaceAll(query, "page[size]=2", "page[size]=50")).body)) {
				t.Errorf("%q: the saved query %q lists %v", query, saved, got)
			}
		}
	})
}
