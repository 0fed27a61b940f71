package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestNotificationsInbox: the inbox lists the user's notifications newest first with
// the unread ones marked and linked to their case; one is marked read, then all up to
// the newest the page showed; the header badge follows on every page; notifications
// about a case the user may no longer see are left out everywhere.
func TestNotificationsInbox(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newWorkSite(t, dbURL)
		rita := s.user("rita@example.com", docket.RoleReviewer)
		s.user("bob@example.com", docket.RoleReviewer)
		kyc := s.template("KYC review", "KYC")
		sar := s.template("SAR", "SAR")
		c, secret := s.kase(kyc, 0, ""), s.kase(sar, 0, "")
		comment := func(on *docket.Case, body string) {
			t.Helper()
			_, err := s.store.AddComment(ctx, sysActor, on.ID, body)
			noErr(t, err)
		}
		for _, word := range []string{"first", "second", "third"} {
			comment(c, "@rita@example.com "+word)
		}
		comment(secret, "@rita@example.com @bob@example.com secret")
		s.hideFrom(sar, docket.RoleAdmin) // re-scoped after the fact

		b, bob := s.browser(), s.browser()
		b.signIn(rita.Email)
		bob.signIn("bob@example.com")
		p := b.get("/notifications")
		p.want(t, 200, `<span class="count">3</span>`, `href="/cases/`+c.ID+`"`)
		if strings.Contains(p.body, "secret") || strings.Contains(p.body, secret.ID) {
			t.Fatalf("the inbox shows a notification about a case rita may no longer see")
		}
		stored, _, err := s.store.ListNotifications(ctx, docket.NotificationFilter{UserID: rita.ID,
			Visibility: docket.Visibility{HiddenTemplateIDs: []string{sar.ID}}})
		noErr(t, err)
		wantList(t, "inbox order", noteBodies(p.body), bodies(stored)...)
		if n := strings.Count(p.body, `class="note unread"`); n != 3 {
			t.Fatalf("%d notifications marked unread, want 3", n)
		}
		for _, path := range []string{"/", "/queues", "/notifications", "/keyboard"} {
			if got := badge(b.get(path).body); got != "3" {
				t.Fatalf("badge on %s: %q, want 3", path, got)
			}
		}

		// Mark the oldest read, from the Unread tab; it comes back to the tab.
		oldest := stored[len(stored)-1].ID
		p = b.post("/notifications?unread=1", "/notifications/"+oldest+"/read", url.Values{"back": {"/notifications?unread=1"}})
		if p.status != http.StatusSeeOther || p.location() != "/notifications?unread=1" {
			t.Fatalf("mark read: %d to %q", p.status, p.location())
		}
		p = b.get(p.location())
		wantList(t, "unread tab", noteBodies(p.body), bodies(stored[:2])...)
		if got := badge(p.body); got != "2" {
			t.Fatalf("badge after marking one read: %q", got)
		}
		// Someone else's notification is not found; a forged "back" goes nowhere else.
		bobs, _, err := s.store.ListNotifications(ctx, docket.NotificationFilter{UserID: mustUser(t, s, "bob@example.com")})
		noErr(t, err)
		bob.post("/notifications", "/notifications/"+bobs[0].ID+"/read", url.Values{}).want(t, http.StatusSeeOther)
		b.post("/notifications", "/notifications/"+bobs[0].ID+"/read", url.Values{}).want(t, http.StatusNotFound)
		if p := b.post("/notifications", "/notifications/"+oldest+"/read", url.Values{"back": {"//evil.example"}}); p.location() != "/notifications" {
			t.Fatalf("back to %q", p.location())
		}

		// Mark all read with the page's up_to: a notification that arrived after the page
		// was shown stays unread.
		page := b.get("/notifications")
		upTo := regexp.MustCompile(`name="up_to" value="([^"]+)"`).FindStringSubmatch(page.body)
		if upTo == nil {
			t.Fatalf("no Mark all read form:\n%s", page.body)
		}
		comment(c, "@rita@example.com fourth")
		p = b.do("POST", "/notifications/read-all", url.Values{"csrf_token": {page.csrf(t)}, "up_to": {upTo[1]}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("read all: %d\n%s", p.status, p.body)
		}
		p = b.get(p.location())
		p.want(t, 200, "Marked 2 notifications read.")
		if got := badge(p.body); got != "1" {
			t.Fatalf("badge after mark all read: %q, want 1 (the fourth)", got)
		}
		if n := strings.Count(p.body, `class="note unread"`); n != 1 || !strings.Contains(p.body, "fourth") {
			t.Fatalf("after mark all read, %d unread shown", n)
		}
		// Without up_to every unread one is marked; then the badge and button are gone.
		p = b.post("/notifications", "/notifications/read-all", url.Values{})
		p = b.get(p.location())
		p.want(t, 200, "Marked 1 notification read.")
		if badge(p.body) != "" || strings.Contains(p.body, `action="/notifications/read-all"`) {
			t.Fatalf("nothing is unread, yet the badge or the button shows")
		}
		b.post("/notifications", "/notifications/read-all", url.Values{"up_to": {"nope"}}).want(t, http.StatusUnprocessableEntity)
		// The hidden case's notification was left as it was.
		if n, err := s.store.CountUnreadNotifications(ctx, rita.ID, docket.Visibility{}, 100); err != nil || n != 1 {
			t.Fatalf("unread in all: %d, %v; want the hidden one", n, err)
		}
	})
}

// TestBadgeCapped: the badge stops counting at 99+.
func TestBadgeCapped(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	rita := s.user("rita@example.com", docket.RoleReviewer)
	c := s.kase(s.template("KYC review", "KYC"), 0, "")
	b := s.browser()
	b.signIn(rita.Email)
	for _, tc := range []struct {
		add  int
		want string
	}{{99, "99"}, {1, "99+"}} {
		for range tc.add {
			_, err := s.store.QueueEmail(ctx, rita.Email, "Look", "at this", c.ID)
			noErr(t, err)
		}
		if got := badge(b.get("/").body); got != tc.want {
			t.Fatalf("badge %q, want %q", got, tc.want)
		}
	}
}

var noteBodyRe = regexp.MustCompile(`<p class="note-body">([^<]*)</p>`)

// noteBodies returns the shown texts of the notifications on a page, in order.
func noteBodies(body string) []string {
	var out []string
	for _, m := range noteBodyRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func bodies(list []*docket.Notification) []string {
	var out []string
	for _, n := range list {
		out = append(out, n.Body)
	}
	return out
}
