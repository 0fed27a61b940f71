package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestQueueNext: "Next case" claims the most urgent waiting case the user may see
// through the store's claim and opens it, says so plainly when nothing is left, and
// never hands a reviewer a case of a template hidden from reviewers, which is absent
// from the reviewer's counts and lists too. Viewers see no button and their POST is
// refused.
func TestQueueNext(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		s.user("rita@example.com", docket.RoleReviewer)
		s.user("vic@example.com", docket.RoleViewer)
		s.user("ada@example.com", docket.RoleAdmin)
		kyc := s.template("KYC review", "KYC")
		sar := s.template("SAR", "SAR", docket.RoleAdmin)
		q := s.queue("KYC backlog", kyc, sar)
		sarOnly := s.queue("SAR review", sar)
		old := s.queue("Old backlog", kyc)
		_, err := s.store.ArchiveQueue(ctx, sysActor, old.ID)
		noErr(t, err)
		late, soon := s.kase(kyc, 7200, ""), s.kase(kyc, 600, "")
		secret := s.kase(sar, 60, "") // the most urgent, but hidden from reviewers
		held := s.kase(kyc, 1, "ada@example.com")

		rita, vic, ada := s.browser(), s.browser(), s.browser()
		rita.signIn("rita@example.com")
		vic.signIn("vic@example.com")
		ada.signIn("ada@example.com")
		qpath := "/queues/" + q.ID
		counts := func(waiting, open int) string {
			return fmt.Sprintf("<strong>%d</strong> waiting · <strong>%d</strong> open", waiting, open)
		}

		// The queue list: counts of what each user may see; the SAR-only queue is not a
		// reviewer's; archived queues are not listed.
		p := rita.get("/queues")
		p.want(t, 200, `<a href="/queues/`+q.ID+`">KYC backlog</a>`, "<td>2</td>\n        <td>3</td>", `action="/queues/`+q.ID+`/next"`)
		for _, absent := range []string{"SAR review", "Old backlog"} {
			if strings.Contains(p.body, absent) {
				t.Fatalf("/queues lists %s to a reviewer", absent)
			}
		}
		ada.get("/queues").want(t, 200, "<td>3</td>\n        <td>4</td>", "SAR review")

		// The queue page lists the visible cases in queue order, with the next-case key.
		p = rita.get(qpath)
		p.want(t, 200, counts(2, 3), `data-key="n"`)
		wantList(t, "queue cases", linkTexts(p.body, "/cases/"), held.Name, soon.Name, late.Name)
		if !strings.Contains(p.body, `href="/cases/`+soon.ID+`?queue=`+q.ID+`"`) {
			t.Fatalf("case links do not name the queue:\n%s", p.body)
		}
		if strings.Contains(p.body, secret.Name) {
			t.Fatalf("the queue page shows a hidden case to a reviewer")
		}
		wantList(t, "admin's queue cases", linkTexts(ada.get(qpath).body, "/cases/"), held.Name, secret.Name, soon.Name, late.Name)

		// Next, next, then nothing left; the hidden case is never handed out.
		for _, want := range []*docket.Case{soon, late} {
			p = rita.post(qpath, qpath+"/next", url.Values{})
			if p.status != http.StatusSeeOther || p.location() != "/cases/"+want.ID+"?queue="+q.ID {
				t.Fatalf("next: %d to %q, want %s", p.status, p.location(), want.Name)
			}
			rita.get("/queues").want(t, 200, want.Name+" from KYC backlog is yours now.")
		}
		p = rita.post(qpath, qpath+"/next", url.Values{})
		if p.status != http.StatusSeeOther || p.location() != qpath {
			t.Fatalf("next from an empty queue: %d to %q", p.status, p.location())
		}
		rita.get(p.location()).want(t, 200, "Nothing left in KYC backlog.", counts(0, 3))
		if c, err := s.store.FindCase(ctx, secret.ID); err != nil || c.AssigneeID != nil {
			t.Fatalf("the hidden case was handed out: %v %v", c.AssigneeID, err)
		}

		// The admin may take the SAR case.
		p = ada.post(qpath, qpath+"/next", url.Values{})
		if p.location() != "/cases/"+secret.ID+"?queue="+q.ID {
			t.Fatalf("admin's next: %d to %q", p.status, p.location())
		}

		// Viewers see no button, and a forged POST is refused; so is a POST without its
		// token, a hidden queue, an unknown queue, and an archived one says so.
		vp := vic.get(qpath)
		vp.want(t, 200, counts(0, 3))
		if strings.Contains(vp.body, "/next") || strings.Contains(vic.get("/queues").body, "/next") {
			t.Fatalf("a viewer is offered Next case")
		}
		for _, tc := range []struct {
			name   string
			b      *browser
			method string
			path   string
			token  bool
			status int
			want   string
		}{
			{"viewer next", vic, "POST", qpath + "/next", true, 403, "may not work cases"},
			{"next without token", rita, "POST", qpath + "/next", false, 403, "This form was refused"},
			{"hidden queue page", rita, "GET", "/queues/" + sarOnly.ID, false, 404, ""},
			{"hidden queue next", rita, "POST", "/queues/" + sarOnly.ID + "/next", true, 404, ""},
			{"unknown queue", rita, "GET", "/queues/" + docket.NewID(docket.PrefixQueue), false, 404, ""},
			{"bad cursor", rita, "GET", qpath + "?after=nope", false, 400, ""},
			{"archived next", rita, "POST", "/queues/" + old.ID + "/next", true, 303, ""},
		} {
			var form url.Values
			if tc.method == "POST" {
				form = url.Values{}
				if tc.token {
					form.Set("csrf_token", tc.b.get("/").csrf(t))
				}
			}
			p := tc.b.do(tc.method, tc.path, form)
			if p.status != tc.status || !strings.Contains(p.body, tc.want) {
				t.Fatalf("%s: status %d, want %d with %q\n%s", tc.name, p.status, tc.status, tc.want, p.body)
			}
		}
		rita.get("/queues/"+old.ID).want(t, 200, "Old backlog is archived: no case can be taken from it.")
		if c, err := s.store.FindCase(ctx, secret.ID); err != nil || c.AssigneeID == nil {
			t.Fatalf("secret case: %v", err)
		}
	})
}

// TestQueuePages: a queue's page lists 50 cases in queue order, and the next and
// previous links page through the rest by cursor.
func TestQueuePages(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	s.user("rita@example.com", docket.RoleReviewer)
	kyc := s.template("KYC review", "KYC")
	q := s.queue("KYC backlog", kyc)
	var want []string
	for i := range 52 {
		want = append(want, s.kase(kyc, int64(3600+60*i), "").Name)
	}
	b := s.browser()
	b.signIn("rita@example.com")
	p := b.get("/queues/" + q.ID)
	wantList(t, "first page", linkTexts(p.body, "/cases/"), want[:50]...)
	next := regexpFind(t, p.body, `href="(/queues/[^"]+\?after=[^"]+)" rel="next"`)
	p = b.get(next)
	wantList(t, "second page", linkTexts(p.body, "/cases/"), want[50:]...)
	if strings.Contains(p.body, `rel="next"`) {
		t.Fatal("the last page links to a next one")
	}
	prev := regexpFind(t, p.body, `href="(/queues/[^"]+\?before=[^"]+)" rel="prev"`)
	wantList(t, "back to the first page", linkTexts(b.get(prev).body, "/cases/"), want[:50]...)
}
