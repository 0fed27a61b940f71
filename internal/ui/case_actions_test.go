package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// caseStep is one request of a scenario on the case page: who sends it, the form (for a
// POST, sent with the CSRF token of the case page), and what the answer must hold. A
// redirect is followed, and want/forbid are checked on the page it leads to.
type caseStep struct {
	name   string
	who    func(w *caseWorld) *docket.User
	method string
	path   string // appended to the case page's path
	form   []string
	status int
	want   []string
	forbid []string
	check  func(t *testing.T, w *caseWorld)
}

func (w *caseWorld) run(t *testing.T, steps []caseStep) {
	t.Helper()
	browsers := map[string]*browser{}
	for _, st := range steps {
		u := st.who(w)
		b := browsers[u.ID]
		if b == nil {
			b = w.as(u)
			browsers[u.ID] = b
		}
		var p *page
		if st.method == http.MethodPost {
			p = b.submit(w.path(""), w.path(st.path), st.form...)
		} else {
			p = b.get(w.path(st.path))
		}
		if p.status != st.status {
			t.Fatalf("%s: status %d, want %d\n%s", st.name, p.status, st.status, p.body)
		}
		if p.status == http.StatusSeeOther {
			p = b.follow(p)
		}
		for _, f := range st.want {
			if !strings.Contains(p.body, f) {
				t.Fatalf("%s: page lacks %q:\n%s", st.name, f, p.body)
			}
		}
		for _, f := range st.forbid {
			if strings.Contains(p.body, f) {
				t.Fatalf("%s: page holds %q:\n%s", st.name, f, p.body)
			}
		}
		if st.check != nil {
			st.check(t, w)
		}
	}
}

func byAda(w *caseWorld) *docket.User  { return w.ada }
func byBob(w *caseWorld) *docket.User  { return w.bob }
func byMax(w *caseWorld) *docket.User  { return w.max }
func byVic(w *caseWorld) *docket.User  { return w.vc }
func byRoot(w *caseWorld) *docket.User { return w.root }

// caseIs fails unless the case has the status and the number of comments.
func caseIs(status string, comments int) func(t *testing.T, w *caseWorld) {
	return func(t *testing.T, w *caseWorld) {
		t.Helper()
		c, err := w.store.FindCase(ctx, w.c.ID)
		noErr(t, err)
		if c.Status != status || len(c.CommentIDs) != comments {
			t.Fatalf("case is %s with %d comments, want %s with %d", c.Status, len(c.CommentIDs), status, comments)
		}
	}
}

func TestCasePageActions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		controls := []string{`/status"`, `data-key="a"`, `/fields"`, `/comments"`, `/tags/add"`, `/objects/add"`, `/redact"`, `/objects/remove"`}
		long := strings.Repeat("x", docket.MaxCommentLength+1)
		w.run(t, []caseStep{
			{name: "a viewer reads", who: byVic, method: "GET", status: 200,
				want:   []string{"KYC review", "250.5", "cust-42", "due in 3h 20m", "OFAC SDN", "12000.5", "USD", w.related.Name, "Case created"},
				forbid: controls},
			{name: "a viewer's forged status change", who: byVic, method: "POST", path: "/status", form: []string{"status", "Approved"}, status: 403,
				want: []string{"may not work cases"}, check: caseIs("Open", 0)},
			{name: "a viewer's forged comment", who: byVic, method: "POST", path: "/comments", form: []string{"body", "hi"}, status: 403},
			{name: "a viewer's forged field edit", who: byVic, method: "POST", path: "/fields", form: []string{"fields.note", "x"}, status: 403},
			{name: "a viewer's forged claim", who: byVic, method: "POST", path: "/assign", form: []string{"op", "claim"}, status: 403},
			{name: "a viewer's forged tag", who: byVic, method: "POST", path: "/tags/add", form: []string{"tag", "x"}, status: 403},
			{name: "a viewer's forged attach", who: byVic, method: "POST", path: "/objects/add", form: []string{"object-ids", w.inquiry.ID}, status: 403},
			{name: "a viewer's forged redaction", who: byVic, method: "POST", path: "/redact", status: 403},
			{name: "a reviewer may not redact", who: byAda, method: "GET", path: "/redact", status: 403},

			{name: "a status the template lacks", who: byAda, method: "POST", path: "/status", form: []string{"status", "Nope", "comment", "because"}, status: 422,
				want: []string{"is not a status of case template", "\nbecause</textarea>", `aria-invalid="true"`}, check: caseIs("Open", 0)},
			{name: "a comment too long keeps the status", who: byAda, method: "POST", path: "/status", form: []string{"status", "Approved", "comment", long}, status: 422,
				want: []string{"A comment must be 1 to 20000 characters", `<option value="Approved" selected>`}, check: caseIs("Open", 0)},

			{name: "a field that is not a number", who: byAda, method: "POST", path: "/fields", form: []string{"fields.amount", "abc", "was.fields.amount", "250.5"}, status: 422,
				want: []string{"must be a number", `value="abc"`, `aria-describedby="in-fields-amount-err"`}},
			{name: "a field below its minimum", who: byAda, method: "POST", path: "/fields", form: []string{"fields.amount", "-1", "was.fields.amount", "250.5"}, status: 422,
				want: []string{"must be at least 0", `value="-1"`}},
			{name: "a hash field that is not JSON", who: byAda, method: "POST", path: "/fields", form: []string{"fields.details", "{oops", "was.fields.details", ""}, status: 422,
				want: []string{"must be valid JSON", "\n{oops</textarea>"}},
			{name: "fields saved", who: byAda, method: "POST", path: "/fields", status: 303,
				form: []string{"fields.amount", "300", "was.fields.amount", "250.5", "fields.reason", "pep", "was.fields.reason", "pep",
					"fields.note", "checked", "was.fields.note", "", "fields.details", `{"source": "web"}`, "was.fields.details", ""},
				want: []string{"Fields saved.", `value="300"`, `value="checked"`, "Fields changed", "Amount, Details, Note", "&#34;source&#34;: &#34;web&#34;"}},

			{name: "an unknown object", who: byAda, method: "POST", path: "/objects/add", form: []string{"object-ids", "inq_01h2xcejqtf2nbrexx3vqjhp41"}, status: 422,
				want: []string{"Object inq_01h2xcejqtf2nbrexx3vqjhp41 does not exist", `value="inq_01h2xcejqtf2nbrexx3vqjhp41"`, `id="object-ids-err"`}},
			{name: "not an object id", who: byAda, method: "POST", path: "/objects/add", form: []string{"object-ids", w.inquiry.ID + ", bogus"}, status: 422,
				want: []string{"&#34;bogus&#34; is not the id of an account"}},
			{name: "detach", who: byAda, method: "POST", path: "/objects/remove", form: []string{"object-ids", w.txn.ID}, status: 303,
				want: []string{"Detached 1 object.", "Objects changed", "Removed " + w.txn.ID}, forbid: []string{"12000.5"}},
			{name: "attach", who: byAda, method: "POST", path: "/objects/add", form: []string{"object-ids", w.txn.ID}, status: 303,
				want: []string{"Attached 1 object.", "12000.5", "Added " + w.txn.ID}},

			{name: "an empty tag", who: byAda, method: "POST", path: "/tags/add", form: []string{"tag", " "}, status: 422, want: []string{"A tag must be 1 to 100 characters"}},
			{name: "a tag added", who: byAda, method: "POST", path: "/tags/add", form: []string{"tag", "pep-check"}, status: 303,
				want: []string{"Tag “pep-check” added.", `<li class="tag">pep-check`, "Added pep-check."}},
			{name: "a tag removed", who: byAda, method: "POST", path: "/tags/remove", form: []string{"tag", "urgent"}, status: 303,
				want: []string{"Tag “urgent” removed.", "Removed urgent."}, forbid: []string{`<li class="tag">urgent`}},

			{name: "claim", who: byAda, method: "POST", path: "/assign", form: []string{"op", "claim"}, status: 303,
				want: []string{"The case is assigned to you.", "(you)", `value="unassign"`, "Assigned to ada"}, forbid: []string{`data-key="a"`}},
			{name: "another reviewer sees no claim", who: byBob, method: "GET", status: 200, forbid: []string{`data-key="a"`, `value="unassign"`, `id="assign-email"`}},
			{name: "another reviewer's late claim", who: byBob, method: "POST", path: "/assign", form: []string{"op", "claim"}, status: 409,
				want: []string{"Someone else holds this case now"}},
			{name: "another reviewer's forged unassign", who: byBob, method: "POST", path: "/assign", form: []string{"op", "unassign"}, status: 403,
				want: []string{"may not assign others"}},
			{name: "a manager assigns to nobody known", who: byMax, method: "POST", path: "/assign", form: []string{"op", "assign", "user-email-address", "nobody@example.com"}, status: 422,
				want: []string{"No user has the email address nobody@example.com", `value="nobody@example.com"`}},
			{name: "a manager reassigns", who: byMax, method: "POST", path: "/assign", form: []string{"op", "assign", "user-email-address", "bob@example.com"}, status: 303,
				want: []string{"The case is assigned to bob@example.com.", "Reassigned from ada to bob", "by max"}},

			{name: "an empty comment", who: byAda, method: "POST", path: "/comments", form: []string{"body", "  "}, status: 422,
				want: []string{"A comment must be 1 to 20000 characters"}},
			{name: "a comment with a mention", who: byAda, method: "POST", path: "/comments", form: []string{"body", "@bob@example.com please look"}, status: 303,
				want: []string{"the person you mentioned is notified", `<strong class="mention">@bob@example.com</strong> please look`, "Commented"},
				check: func(t *testing.T, w *caseWorld) {
					list, _, err := w.store.ListNotifications(ctx, docket.NotificationFilter{UserID: w.bob.ID, Page: docket.Page{Size: 10}})
					noErr(t, err)
					for _, n := range list {
						if n.Kind == docket.NotifyMention && n.CaseID == w.c.ID {
							return
						}
					}
					t.Fatalf("bob has no mention notification: %+v", list)
				}},
			{name: "a decision with its reason", who: byAda, method: "POST", path: "/status", form: []string{"status", "Approved", "comment", "Documents match"}, status: 303,
				want:  []string{"Status changed from Open to Approved, with your comment.", "Status changed from Open to Approved", "Resolved as Approved", "Documents match"},
				check: caseIs("Approved", 2)},

			{name: "an admin is asked to confirm", who: byRoot, method: "GET", path: "/redact", status: 200, want: []string{"Redact " + w.c.Name + "?", "cannot be undone"}},
			{name: "redacted", who: byRoot, method: "POST", path: "/redact", status: 303,
				want: []string{"The case is redacted", "This case is redacted", "Case redacted", "(redacted)"}, forbid: []string{"Documents match", `/fields"`, `/status"`}},
		})
	})
}

func TestCasePageRefusals(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		secret := &docket.CaseTemplate{Name: "SAR", Key: "SAR", VisibleToRoles: []string{docket.RoleAdmin}}
		noErr(t, w.store.CreateTemplate(ctx, system, secret))
		hidden, err := w.store.CreateCase(ctx, system, docket.NewCase{TemplateID: secret.ID})
		noErr(t, err)
		ada := w.as(w.ada)
		missing := ada.get("/cases/case_01h2xcejqtf2nbrexx3vqjhp41")
		missing.want(t, http.StatusNotFound, "Not found")
		// A hidden case answers as a missing one, for every request.
		hiddenPage := ada.get("/cases/" + hidden.ID)
		hiddenPage.want(t, http.StatusNotFound, "Not found", "case "+hidden.ID+" not found")
		if strings.ReplaceAll(hiddenPage.body, hidden.ID, "X") != strings.ReplaceAll(missing.body, "case_01h2xcejqtf2nbrexx3vqjhp41", "X") {
			t.Fatalf("a hidden case's page differs from a missing case's:\n%s\n---\n%s", hiddenPage.body, missing.body)
		}
		ada.submit(w.path(""), "/cases/"+hidden.ID+"/status", "status", "Approved").want(t, http.StatusNotFound)
		ada.submit(w.path(""), "/cases/"+hidden.ID+"/comments", "body", "hi").want(t, http.StatusNotFound)
		ada.get("/cases/"+hidden.ID+"/redact").want(t, http.StatusNotFound)
		root := w.as(w.root)
		root.get("/cases/"+hidden.ID).want(t, http.StatusOK, hidden.Name)

		// Without the CSRF token, nothing is changed.
		ada.do(http.MethodPost, w.path("/status"), url.Values{"status": {"Approved"}}).want(t, http.StatusForbidden, "This form was refused")
		caseIs("Open", 0)(t, w)
		// A redacted case refuses changes beside the form, as a conflict.
		_, err = w.store.RedactCase(ctx, system, w.c.ID)
		noErr(t, err)
		ada.submit(w.path(""), w.path("/comments"), "body", "late").want(t, http.StatusConflict, "is redacted and can no longer change")
	})
}

// TestFieldsSaveOnlyWhatChanged saves the fields the user changed and leaves the others as
// they are, line breaks included, even though browsers send a textarea's as CRLF.
func TestFieldsSaveOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	w := newCaseWorld(t, storetest.SQLiteURL(t))
	_, err := w.store.UpdateCase(ctx, system, w.c.ID, docket.CaseUpdate{Fields: map[string]any{"note": "line one\nline two", "details": map[string]any{"k": 1}}})
	noErr(t, err)
	ada := w.as(w.ada)
	ada.get(w.path("")).want(t, http.StatusOK, `<textarea id="in-fields-note" name="fields.note" rows="4">`+"\nline one\nline two</textarea>")
	p := ada.submit(w.path(""), w.path("/fields"),
		"fields.amount", "1", "was.fields.amount", "250.5",
		"fields.note", "line one\r\nline two", "was.fields.note", "line one\nline two",
		"fields.details", "{\r\n  \"k\": 1\r\n}", "was.fields.details", "{\n  \"k\": 1\n}")
	ada.follow(p).want(t, http.StatusOK, "Fields saved.", `<p class="tl-detail">Amount</p>`)
	c, err := w.store.FindCase(ctx, w.c.ID)
	noErr(t, err)
	if c.Fields["note"] != "line one\nline two" {
		t.Fatalf("note is %q", c.Fields["note"])
	}
}
