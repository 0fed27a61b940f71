package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestAdminEventBrowser: the event browser filters by name, object type and object id,
// shows each payload escaped, and leaves out the events of cases (and their comments)
// of templates hidden from the reader's role, in the list and by link.
func TestAdminEventBrowser(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		s.user("admin@example.com", docket.RoleAdmin)
		s.user("rita@example.com", docket.RoleReviewer)
		open, secret := s.template("KYC", "KYC"), s.template("SAR", "SAR", docket.RoleAdmin)
		shown, hidden := s.kase(open, 0, ""), s.kase(secret, 0, "")
		_, err := s.store.AddComment(ctx, sysActor, shown.ID, "<b>bold</b> claim")
		noErr(t, err)
		_, err = s.store.AddComment(ctx, sysActor, hidden.ID, "secret note")
		noErr(t, err)
		hiddenEvent, shownEvent := s.eventOf(docket.EventCaseCreated, hidden.ID), s.eventOf(docket.EventCaseCreated, shown.ID)

		bold := html.EscapeString("<b>bold</b> claim")
		admin, rita := s.browser(), s.browser()
		admin.signIn("admin@example.com")
		rita.signIn("rita@example.com")
		for _, tc := range []struct {
			name  string
			b     *browser
			path  string
			has   []string
			lacks []string
		}{
			{"everything", admin, "/admin/events", []string{shown.ID, hidden.ID, "secret note", "<code>case-template.created</code>"}, nil},
			{"by name", admin, "/admin/events?name=case-comment.created",
				[]string{"<code>case-comment.created</code>", `value="case-comment.created"`, "secret note"}, []string{"<code>case.created</code>"}},
			{"by type", admin, "/admin/events?object-type=case-template",
				[]string{"<code>case-template.created</code>", `<option value="case-template" selected>`}, []string{"<code>case.created</code>"}},
			{"by object", admin, "/admin/events?object-id=" + shown.ID, []string{shownEvent, `value="` + shown.ID + `"`}, []string{hiddenEvent, bold}},
			{"by type and object", admin, "/admin/events?object-type=case-comment&object-id=" + shown.ID, []string{"No event matches"}, []string{shownEvent}},
			{"payload escaped", admin, "/admin/events?name=case-comment.created", []string{bold}, []string{"<b>bold</b>"}},
			{"one event", admin, "/admin/events/" + hiddenEvent, []string{hidden.ID, `<details open>`}, nil},
			{"reviewer's list", rita, "/admin/events", []string{shown.ID, bold}, []string{hidden.ID, hiddenEvent, "secret note", `href="/admin"`}},
			{"reviewer by object", rita, "/admin/events?object-id=" + hidden.ID, []string{"No event matches"}, []string{hiddenEvent}},
			{"reviewer by name", rita, "/admin/events?name=case-comment.created", []string{bold}, []string{"secret note"}},
			{"reviewer's one event", rita, "/admin/events/" + shownEvent, []string{shown.ID}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := tc.b.get(tc.path)
				p.want(t, http.StatusOK, tc.has...)
				p.lacks(t, tc.lacks...)
			})
		}
		rita.get("/admin/events/"+hiddenEvent).want(t, http.StatusNotFound, "Not found")
		rita.get("/admin/events/"+hiddenEvent).lacks(t, "secret note")
		admin.get("/admin/events?after=nonsense").want(t, http.StatusBadRequest, "broken page cursor")
	})
}

var olderEventsRe = regexp.MustCompile(`href="(/admin/events\?[^"]+)" rel="next"`)

// TestAdminEventBrowserPages: the browser pages through the newest events first, keeping
// its filters, and each event shows on one page only.
func TestAdminEventBrowserPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		s.user("viewer@example.com", docket.RoleViewer)
		tm := s.template("KYC", "KYC")
		for range 30 {
			s.kase(tm, 0, "")
		}
		b := s.browser()
		b.signIn("viewer@example.com")
		first := b.get("/admin/events?name=case.created")
		first.want(t, http.StatusOK, "Older")
		first.lacks(t, "Newer")
		m := olderEventsRe.FindStringSubmatch(first.body)
		if m == nil {
			t.Fatalf("no link to older events:\n%s", first.body)
		}
		next, err := url.Parse(html.UnescapeString(m[1]))
		noErr(t, err)
		if next.Query().Get("name") != "case.created" {
			t.Fatalf("the older page drops the filter: %s", next)
		}
		second := b.get(next.String())
		second.want(t, http.StatusOK, "Newer")
		second.lacks(t, `rel="next"`)
		ids := regexp.MustCompile(`href="/admin/events/(evt_[0-9a-z]+)"`)
		seen := map[string]bool{}
		for i, p := range []*page{first, second} {
			for _, id := range ids.FindAllStringSubmatch(p.body, -1) {
				if seen[id[1]] {
					t.Fatalf("page %d repeats %s", i+1, id[1])
				}
				seen[id[1]] = true
			}
		}
		if len(seen) != 30 || strings.Count(first.body, `<li class="event">`) != 25 {
			t.Fatalf("%d events over two pages, %d on the first; want 30 and 25", len(seen), strings.Count(first.body, `<li class="event">`))
		}
	})
}
