package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestAdminQueues: a manager creates a queue with the case list's pickers, sees its
// counts, changes its filter and archives it; a refused save shows the message beside
// the input and saves nothing.
func TestAdminQueues(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL, nil)
		s.user("manager@example.com", docket.RoleManager)
		ada := s.user("ada@example.com", docket.RoleReviewer)
		kyc, aml := s.template("KYC", "KYC"), s.template("AML", "AML")
		s.kase(kyc, 0, "")
		s.kase(kyc, 0, "")
		s.kase(kyc, 0, ada.Email)
		s.kase(aml, 0, "")
		b := s.browser()
		b.signIn("manager@example.com")
		b.get("/admin/queues/new").want(t, 200, `value="`+kyc.ID+`"`, `name="status" value="Pending"`, `<option value="`+ada.ID+`">ada</option>`)

		p := b.post("/admin/queues/new", "/admin/queues/new", url.Values{"name": {"KYC backlog"}, "template": {kyc.ID},
			"status": {"Open"}, "tags": {""}, "sla": {""}, "assignee": {""}})
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/admin/queues/cqueue_") {
			t.Fatalf("create: %d %s\n%s", p.status, p.location(), p.body)
		}
		id := strings.TrimPrefix(p.location(), "/admin/queues/")
		q, err := s.store.FindQueue(ctx, id)
		noErr(t, err)
		if q.Name != "KYC backlog" || strings.Join(q.Filter.TemplateIDs, ",") != kyc.ID || strings.Join(q.Filter.Statuses, ",") != "Open" {
			t.Fatalf("queue %+v", q)
		}
		b.get(p.location()).want(t, 200, "Queue “KYC backlog” created.", "2 waiting, 3 open", `value="`+kyc.ID+`" checked`)
		b.get("/admin/queues").want(t, 200, `<a href="/admin/queues/`+id+`">KYC backlog</a>`, "Templates: KYC · Statuses: Open", "<td>2</td>", "<td>3</td>")

		refused := []struct {
			name  string
			form  url.Values
			input string
			msg   string
		}{
			{"no name", url.Values{"name": {" "}, "template": {kyc.ID}}, `id="q-name"`, "Name is required"},
			{"unknown template", url.Values{"name": {"X"}, "template": {docket.NewID(docket.PrefixTemplate)}}, "<legend>Templates</legend>", "does not exist"},
			{"bad SLA", url.Values{"name": {"X"}, "sla": {"soon"}}, `id="q-sla"`, "Sla must be breached, due, none"},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				p := b.post(p.location(), p.location(), tt.form)
				p.want(t, http.StatusUnprocessableEntity, "Nothing was saved", tt.msg)
				at := strings.Index(p.body, tt.input)
				if at < 0 || !strings.Contains(p.body[at:min(len(p.body), at+1500)], tt.msg) {
					t.Fatalf("message %q is not beside %s", tt.msg, tt.input)
				}
			})
		}
		if got, _ := s.store.FindQueue(ctx, id); got.Name != "KYC backlog" || len(got.Filter.TemplateIDs) != 1 {
			t.Fatalf("refused saves changed the queue: %+v", got)
		}

		// A new filter replaces the old one whole.
		b.post(p.location(), p.location(), url.Values{"name": {"Unassigned AML and KYC"}, "template": {kyc.ID, aml.ID},
			"tags": {"pep, sanctions"}, "sla": {"none"}, "assignee": {"unassigned"}}).want(t, 303)
		q, _ = s.store.FindQueue(ctx, id)
		if f := q.Filter; len(f.TemplateIDs) != 2 || len(f.Statuses) != 0 || strings.Join(f.Tags, ",") != "pep,sanctions" || f.SLA != "none" || f.Assignee != "unassigned" {
			t.Fatalf("filter %+v", f)
		}
		b.post(p.location(), "/admin/queues/"+id+"/archive", url.Values{}).want(t, 303)
		q, _ = s.store.FindQueue(ctx, id)
		if q.Status != docket.QueueArchived {
			t.Fatalf("status %s", q.Status)
		}
		b.get("/admin/queues").want(t, 200, "<span class=\"muted\">Archived</span>")
	})
}

// TestAdminQueuePermissions: reviewers and viewers get the 403 page and their forged
// forms change nothing; managers and admins reach the pages.
func TestAdminQueuePermissions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL, nil)
		q := s.queue("Backlog")
		for _, role := range docket.Roles {
			s.user(role+"@example.com", role)
			b := s.browser()
			b.signIn(role + "@example.com")
			allowed := role == docket.RoleAdmin || role == docket.RoleManager
			for _, path := range []string{"/admin/queues", "/admin/queues/new", "/admin/queues/" + q.ID} {
				if p := b.get(path); allowed {
					p.want(t, http.StatusOK)
				} else {
					p.want(t, http.StatusForbidden, "may not manage case queues")
				}
			}
			if allowed {
				continue
			}
			for _, path := range []string{"/admin/queues/new", "/admin/queues/" + q.ID, "/admin/queues/" + q.ID + "/archive"} {
				b.post("/", path, url.Values{"name": {"Forged"}}).want(t, http.StatusForbidden)
			}
		}
		list, _, err := s.store.ListQueues(ctx, docket.CaseQueueListFilter{})
		noErr(t, err)
		if len(list) != 1 || list[0].Name != "Backlog" || list[0].Status != docket.QueueActive {
			t.Fatalf("forged posts changed queues: %+v", list[0])
		}
	})
}
