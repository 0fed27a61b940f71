package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// TestCommentMentionNotifies: a reviewer comments on a case mentioning a colleague, who
// sees the badge, finds the notification in the inbox and follows it to the case.
func TestCommentMentionNotifies(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		ada, bob := s.user(t, "reviewer"), s.user(t, "reviewer")
		c := s.newCase(t, s.template(t, nil), nil)
		s.assign(t, c, ada)
		body := "@" + bob.Email + " can you check the address proof?"

		b := s.tab(t)
		b.signIn(ada.Email)
		b.openOK("/cases/" + c.ID)
		b.fill("#comment-body", body)
		b.clickOK(`form[action="/cases/` + c.ID + `/comments"] button[type=submit]`)
		b.wantText("#comments", "can you check the address proof?")
		if got := b.text("#comments .mention"); got != "@"+bob.Email {
			t.Fatalf("the mention shows as %q", got)
		}

		bb := s.tab(t)
		bb.signIn(bob.Email)
		bb.wantText(".main-nav .badge", "1")
		bb.openOK("/notifications")
		note := `.note a[href="/cases/` + c.ID + `"]`
		if !bb.has(note) {
			t.Fatal("the mention is not in the mentioned user's inbox")
		}
		bb.wantText(".note", "can you check the address proof?")
		bb.clickOK(note)
		if bb.path() != "/cases/"+c.ID {
			t.Fatalf("the notification opened %s", bb.path())
		}
	})
}

// TestApproveDecidesInquiry is the README's seed 003 story through the dashboard: an
// under-18 inquiry completes, a workflow marks it for review and opens a KYC case; the
// reviewer approves the case on its page, and a second workflow approves the inquiry,
// which the case page then shows.
func TestApproveDecidesInquiry(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		u := s.user(t, "reviewer")
		tm := s.template(t, nil)
		s.publishWorkflow(t, "Under 18 review "+tm.Key, `{
			"trigger":{"type":"event","event":"inquiry.completed","condition":"age(trigger.fields.birthdate) < 18"},
			"steps":[{"id":"review","type":"action","action":"mark-inquiry-for-review"},
				{"id":"open-case","type":"action","action":"create-case","params":{"case-template-id":"`+tm.ID+`"}}]}`)
		s.publishWorkflow(t, "Case decides inquiry "+tm.Key, `{
			"trigger":{"type":"event","event":"case.resolved","condition":"trigger[\"case-template-id\"] == \"`+tm.ID+`\""},
			"steps":[{"id":"route","type":"conditional","routes":[
					{"condition":"trigger.resolution == \"Approved\"","next":"approve"},
					{"condition":"trigger.resolution == \"Declined\"","next":"decline"},
					{"next":"end"}]},
				{"id":"approve","type":"action","action":"approve-inquiry","next":"end"},
				{"id":"decline","type":"action","action":"decline-inquiry"}]}`)
		birth := time.Now().AddDate(-15, 0, 0).Format("2006-01-02")
		inq, _ := s.apiOK(t, 201, "POST", "/inquiries", `{"data":{"attributes":{"fields":{"birthdate":"`+birth+`"}}}}`)["id"].(string)
		s.apiOK(t, 200, "POST", "/inquiries/"+inq+"/complete", "")
		var caseID string
		eventually(t, 15*time.Second, func() (bool, string) {
			list, _, err := s.store.ListCases(ctx, docket.CaseFilter{InquiryID: inq})
			if err != nil || len(list) != 1 {
				return false, fmt.Sprintf("%d cases for the inquiry (%v)", len(list), err)
			}
			caseID = list[0].ID
			return true, ""
		})

		b := s.tab(t)
		b.signIn(u.Email)
		b.openOK("/cases/" + caseID)
		inquiryStatus := `#objects tr:has(code) .status`
		b.wantText("#objects", inq)
		if st := b.text(inquiryStatus); st != "needs review" {
			t.Fatalf("before the decision the inquiry shows %q, want needs review", st)
		}
		b.fill("#status-select", "Approved")
		b.fill("#status-comment", "Parent's consent is on file.")
		b.clickOK(`form[action="/cases/` + caseID + `/status"] button[type=submit]`)
		b.wantText(".case-facts", "Approved")
		// The second workflow runs in the background; the page shows its outcome once done.
		deadline := time.Now().Add(15 * time.Second)
		for b.text(inquiryStatus) != "approved" {
			if time.Now().After(deadline) {
				t.Fatalf("the inquiry still shows %q on the case page", b.text(inquiryStatus))
			}
			time.Sleep(100 * time.Millisecond)
			b.openOK("/cases/" + caseID)
		}
		b.wantText("#timeline", "Parent's consent is on file.")
	})
}

// TestViewerSeesNoWriteControls: a viewer reads a case but gets no control that changes
// it, and a change forged with the viewer's own valid session and CSRF token is refused.
func TestViewerSeesNoWriteControls(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		v := s.user(t, "viewer")
		tm := s.template(t, nil)
		c := s.newCase(t, tm, nil)
		s.assign(t, c, s.user(t, "reviewer"))

		b := s.tab(t)
		b.signIn(v.Email)
		b.openOK("/cases/" + c.ID)
		b.wantText("h1", c.Name)
		if n := b.count(`main form[method=post]`); n != 0 {
			forms := eval[string](b, `Array.from(document.querySelectorAll("main form[method=post]")).map(f => f.action).join(", ")`)
			t.Fatalf("a viewer sees %d forms that change things: %s", n, forms)
		}
		for _, sel := range []string{"[data-key=a]", "[data-key=s]", "[data-key=c]", "#comment-body", "#status-select"} {
			if b.has(sel) {
				t.Errorf("a viewer sees %s", sel)
			}
		}

		for _, forged := range []struct{ path, field, value string }{
			{"/cases/" + c.ID + "/comments", "body", "forged comment"},
			{"/cases/" + c.ID + "/status", "status", "Approved"},
			{"/cases/" + c.ID + "/assign", "op", "claim"},
		} {
			if st := b.forgePost(forged.path, forged.field, forged.value); st != 403 {
				t.Fatalf("a viewer's forged POST %s: status %d, want 403", forged.path, st)
			}
		}
		after, err := s.store.FindCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.CommentIDs) != 0 || after.Status != c.Status || after.AssigneeID == nil || *after.AssigneeID == v.ID {
			t.Fatalf("a refused change changed the case: %+v", after)
		}
	})
}

// forgePost adds a form to the page that posts one field, with the session's real CSRF
// token (read from the sign-out form), submits it and returns the answer's status.
func (b *tab) forgePost(path, field, value string) int {
	b.t.Helper()
	js := fmt.Sprintf(`(() => {
		const f = document.createElement("form");
		f.method = "post"; f.action = %s; f.id = "forged";
		const add = (n, v) => { const i = document.createElement("input"); i.type = "hidden"; i.name = n; i.value = v; f.append(i) };
		add(%s, document.querySelector('form[action="/logout"] input[name=%s]').value);
		add(%s, %s);
		const btn = document.createElement("button"); btn.type = "submit"; btn.textContent = "forged"; f.append(btn);
		document.body.append(f);
		return true })()`, jsString(path), jsString(auth.CSRFField), auth.CSRFField, jsString(field), jsString(value))
	eval[bool](b, js)
	return b.navigate("forged POST "+path, submitAction("#forged button"))
}

// TestHiddenTemplate: a reviewer outside a template's visible-to-roles gets 404 for its
// case's link and never meets the case: not on My work, not in the case list, its counts
// or search, not in a queue's counts, not in the notifications of its assignment.
func TestHiddenTemplate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		r := s.user(t, "reviewer")
		// The template is hidden from reviewers after the reviewer was given its case (a
		// case goes only to someone who may see it; templates can be re-scoped later).
		hiddenTm := s.template(t, nil)
		visibleTm := s.template(t, nil)
		tag := strings.ToLower(unique("watch"))
		tagged := func(nc *docket.NewCase) { nc.Tags = []string{tag} }
		hidden := s.newCase(t, hiddenTm, tagged)
		visible := s.newCase(t, visibleTm, tagged)
		s.assign(t, hidden, r)
		s.assign(t, visible, r)
		roles := []string{"manager", "admin"}
		if _, err := s.store.UpdateTemplate(ctx, actor, hiddenTm.ID, docket.CaseTemplateUpdate{VisibleToRoles: &roles}); err != nil {
			t.Fatal(err)
		}
		both := &docket.CaseQueue{Name: "Both " + hiddenTm.Key, Filter: docket.CaseQueueFilter{TemplateIDs: []string{hiddenTm.ID, visibleTm.ID}}}
		if err := s.store.CreateQueue(ctx, actor, both); err != nil {
			t.Fatal(err)
		}

		b := s.tab(t)
		b.signIn(r.Email)
		if st := b.open("/cases/" + hidden.ID); st != 404 {
			t.Fatalf("the hidden case's link: status %d, want 404", st)
		}
		b.openOK("/cases/" + visible.ID)

		b.openOK("/")
		b.wantText("main", visible.Name)
		b.wantNoText("main", hidden.Name)

		b.openOK("/cases?filter[tag]=" + tag)
		if names := b.rowNames(); len(names) != 1 || names[0] != visible.Name {
			t.Fatalf("the case list of the shared tag shows %v, want only %s", names, visible.Name)
		}
		if n := b.tabCount("All"); n != "1" {
			t.Fatalf("the All tab counts %q, want 1", n)
		}
		for _, c := range []struct {
			name string
			want int
		}{{visible.Name, 1}, {hidden.Name, 0}} {
			b.openOK("/cases")
			b.fill("#filter-q", c.name)
			b.clickOK(`form.filter-form button[type=submit]`)
			if n := b.count(caseRows); n != c.want {
				t.Fatalf("searching %s finds %d cases, want %d", c.name, n, c.want)
			}
		}

		b.openOK("/queues/" + both.ID)
		b.wantText(".queue-counts", "0 waiting", "1 open")
		b.wantNoText("main", hidden.Name)

		b.openOK("/notifications")
		b.wantText("main", visible.Name)
		b.wantNoText("main", hidden.Name)
	})
}
