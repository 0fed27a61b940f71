package ui_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

var timelineEntryRe = regexp.MustCompile(`<li class="tl tl-[a-z]+" id="(evt_[0-9a-z]+)">`)
var olderRe = regexp.MustCompile(`<a href="([^"]+)" rel="next">Older events</a>`)
var newerRe = regexp.MustCompile(`<a href="([^"]+)" rel="prev">Newer events</a>`)

// TestCaseTimeline pages through a timeline of more than 200 events: every event of the
// case, its comments and its objects once, newest first, each said with who did it.
func TestCaseTimeline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		key, err := w.store.CreateAPIKey(ctx, "ci-bot", []string{docket.ScopeAll}, docket.NewAPIKeySecret())
		noErr(t, err)
		byKey := docket.Actor{Type: docket.ActorAPIKey, ID: key.ID}
		for i := range 105 {
			_, err := w.store.ChangeCaseTags(ctx, byKey, w.c.ID, "add", []string{"t" + string(rune('a'+i%26)) + string(rune('a'+i/26))})
			noErr(t, err)
			_, err = w.store.ChangeCaseTags(ctx, docket.Actor{Type: docket.ActorUser, ID: w.bob.ID}, w.c.ID, "remove", []string{"t" + string(rune('a'+i%26)) + string(rune('a'+i/26))})
			noErr(t, err)
		}
		_, err = w.store.AddComment(ctx, byKey, w.c.ID, "from the pipeline")
		noErr(t, err)
		_, err = w.store.InquiryAction(ctx, system, w.inquiry.ID, docket.InquiryComplete, nil)
		noErr(t, err)
		// Events of other cases and of objects not attached stay out.
		_, err = w.store.ChangeCaseTags(ctx, system, w.related.ID, "add", []string{"elsewhere"})
		noErr(t, err)

		b := w.as(w.vc)
		first := b.get(w.path(""))
		first.want(t, http.StatusOK, "Inquiry completed <code>"+w.inquiry.ID+"</code>", "Commented", "from the pipeline",
			"by API key “ci-bot”", "Tags changed", "Removed tdd.", "by bob")
		var ids []string
		pages := 0
		for p := first; ; pages++ {
			got := timelineEntryRe.FindAllStringSubmatch(p.body, -1)
			if len(got) == 0 || len(got) > 50 {
				t.Fatalf("page %d shows %d events, want 1 to 50", pages, len(got))
			}
			for _, m := range got {
				ids = append(ids, m[1])
			}
			more := olderRe.FindStringSubmatch(p.body)
			if more == nil {
				break
			}
			p = b.get(strings.ReplaceAll(more[1], "&amp;", "&"))
			p.want(t, http.StatusOK, "Newer events")
		}
		// case.created, 210 tag changes, a comment; the account, inquiry (created,
		// completed), report (created, ready, matched) and transaction's events.
		if want := 1 + 210 + 1 + 1 + 2 + 3 + 1; len(ids) != want || pages != 4 {
			t.Fatalf("the timeline has %d events on %d pages, want %d on 5", len(ids), pages+1, want)
		}
		if !slices.IsSortedFunc(ids, func(a, b string) int { return strings.Compare(b, a) }) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Fatal("the timeline must list each event once, newest first")
		}
		if strings.Contains(first.body, "elsewhere") {
			t.Fatal("another case's events must stay out of the timeline")
		}
		// Newer events from the second page lead back to the first.
		second := b.get(strings.ReplaceAll(olderRe.FindStringSubmatch(first.body)[1], "&amp;", "&"))
		back := b.get(strings.ReplaceAll(newerRe.FindStringSubmatch(second.body)[1], "&amp;", "&"))
		if got := timelineEntryRe.FindAllStringSubmatch(back.body, -1); len(got) != 50 || got[0][1] != ids[0] || got[49][1] != ids[49] {
			t.Fatalf("newer events from page 2 do not show page 1")
		}
	})
}

// TestTimelineActors names who did each thing: a person, an API key, an assignment
// policy.
func TestTimelineActors(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	ada := s.user("ada@example.com", docket.RoleReviewer)
	tm := &docket.CaseTemplate{Name: "Round", Key: "RND", AssignmentPolicy: docket.AssignmentPolicy{Type: docket.AssignRoundRobin, UserIDs: []string{ada.ID}}}
	noErr(t, s.store.CreateTemplate(ctx, system, tm))
	c, err := s.store.CreateCase(ctx, system, docket.NewCase{TemplateID: tm.ID})
	noErr(t, err)
	_, err = s.store.AssignCase(ctx, docket.Actor{Type: docket.ActorUser, ID: ada.ID}, c.ID, "")
	noErr(t, err)
	b := s.browser()
	b.signIn(ada.Email)
	b.get("/cases/"+c.ID).want(t, http.StatusOK, "Assigned to ada", "by the assignment policy of “Round”", "Unassigned from ada", "by ada", "by Docket (test)")
}

// TestCaseSLABreached says plainly when a case's SLA has passed.
func TestCaseSLABreached(t *testing.T) {
	t.Parallel()
	w := newCaseWorld(t, storetest.SQLiteURL(t))
	b := w.as(w.ada)
	b.get(w.path("")).want(t, http.StatusOK, "due in 3h 20m")
	w.clock.Add(5 * time.Hour)
	b.get(w.path("")).want(t, http.StatusOK, `class="breached"><strong>breached 1h 39m ago</strong>`)
}

// TestCasePageKeepsItsQueue offers the next case of the queue a case was opened from,
// and keeps offering it after a change on the page.
func TestCasePageKeepsItsQueue(t *testing.T) {
	t.Parallel()
	w := newCaseWorld(t, storetest.SQLiteURL(t))
	q := w.queue("KYC inbox", w.tmpl)
	ada := w.as(w.ada)
	from := w.path("?queue=" + q.ID)
	ada.get(from).want(t, http.StatusOK, `action="/queues/`+q.ID+`/next"`, "Next in KYC inbox", `name="queue" value="`+q.ID+`"`)
	p := ada.submit(from, w.path("/status"), "status", "Pending", "queue", q.ID)
	if p.status != http.StatusSeeOther || p.location() != from {
		t.Fatalf("after a change: %d %q, want a redirect to %s", p.status, p.location(), from)
	}
	// A refused change shows the page again with the queue's button.
	ada.submit(from, w.path("/status"), "status", "Nope", "queue", q.ID).want(t, http.StatusUnprocessableEntity, "Next in KYC inbox")
	ada.get(w.path("")).lacks(t, "Next in KYC inbox")
}
