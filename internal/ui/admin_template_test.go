package ui_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// tmplPost is a template form as a browser posts it: statuses as name/type pairs (a
// blank name is a blank row), fields as given.
type tmplPost struct {
	name, key string
	statuses  [][2]string
	fields    []url.Values // each: key, label, type, required, options, ... (without the row prefix)
	extra     url.Values
}

func (f tmplPost) values() url.Values {
	v := url.Values{"name": {f.name}, "key": {f.key}, "assignment-type": {"manual"}, "sla-unit": {"hours"},
		"status-rows": {strconv.Itoa(len(f.statuses))}, "field-rows": {strconv.Itoa(len(f.fields))}}
	for i, s := range f.statuses {
		p := "status." + strconv.Itoa(i) + "."
		v.Set(p+"name", s[0])
		v.Set(p+"type", s[1])
	}
	for i, fv := range f.fields {
		for k, vals := range fv {
			v["field."+strconv.Itoa(i)+"."+k] = vals
		}
	}
	for k, vals := range f.extra {
		v[k] = vals
	}
	return v
}

// onboarding is a template with a custom status set and a required choices field.
func onboarding() tmplPost {
	return tmplPost{name: "Onboarding", key: "ONB",
		statuses: [][2]string{{"New", "initial"}, {"Review", "intermediate"}, {"Passed", "end"}, {"Failed", "end"}, {"", "intermediate"}},
		fields: []url.Values{
			{"key": {"risk"}, "label": {"Risk"}, "type": {"choices"}, "required": {"1"}, "options": {"low\r\nhigh\r\n"}, "editable": {"manager", "admin"}},
			{"key": {"note"}, "type": {"string"}, "max-length": {"50"}},
			{"type": {"string"}},
		},
		extra: url.Values{"sla": {"2"}, "visible-to-roles": {"admin", "manager", "reviewer"}, "notification-emails": {"ops@example.com, risk@example.com"}}}
}

func statusNames(tm *docket.CaseTemplate) string {
	var names []string
	for _, s := range tm.Statuses {
		names = append(names, s.Name+":"+s.Type)
	}
	return strings.Join(names, " ")
}

// TestAdminTemplateCreateAndReorder: an admin creates a template with a custom status
// set and a required choices field, reorders its statuses (the page shows the new order
// before anything is saved), and archives it.
func TestAdminTemplateCreateAndReorder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL, nil)
		s.user("admin@example.com", docket.RoleAdmin)
		b := s.browser()
		b.signIn("admin@example.com")
		b.get("/admin/templates/new").want(t, 200, `name="status.0.name" value="Open"`, `name="status.4.name" value=""`, `name="field.0.key"`)

		p := b.post("/admin/templates/new", "/admin/templates/new", onboarding().values())
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/admin/templates/ctmpl_") {
			t.Fatalf("create: status %d to %q\n%s", p.status, p.location(), p.body)
		}
		id := strings.TrimPrefix(p.location(), "/admin/templates/")
		tm, err := s.store.FindTemplate(ctx, id)
		noErr(t, err)
		if got := statusNames(tm); got != "New:initial Review:intermediate Passed:end Failed:end" {
			t.Fatalf("statuses %s", got)
		}
		risk, _ := tm.FieldSchema("risk")
		if len(tm.FieldSchemas) != 2 || !risk.Required || risk.Type != docket.FieldChoices || strings.Join(risk.Config.Options, ",") != "low,high" ||
			strings.Join(risk.EditableByRoles, ",") != "manager,admin" {
			t.Fatalf("fields %+v", tm.FieldSchemas)
		}
		if *tm.SLASeconds != 7200 || strings.Join(tm.NotificationPolicy.Emails, ",") != "ops@example.com,risk@example.com" || len(tm.VisibleToRoles) != 3 {
			t.Fatalf("policies %+v %v %v", *tm.SLASeconds, tm.NotificationPolicy, tm.VisibleToRoles)
		}
		b.get(p.location()).want(t, 200, "Template “Onboarding” created.", `value="ONB" readonly`, `<option value="hours" selected>`)
		b.get("/admin/templates").want(t, 200, `<a href="/admin/templates/`+id+`">Onboarding</a>`, "4: New, Review, Passed, Failed", "Passed, Failed")

		// Move Review down: the form comes back in the new order, unsaved.
		form := onboarding()
		form.extra.Set("move", "status.1.down")
		moved := b.post(p.location(), p.location(), form.values())
		moved.want(t, 200, "Moved. Save to keep the new order.")
		if i, j := strings.Index(moved.body, `value="Passed"`), strings.Index(moved.body, `value="Review"`); i < 0 || j < i {
			t.Fatalf("Review is not after Passed on the page")
		}
		tm, _ = s.store.FindTemplate(ctx, id)
		if got := statusNames(tm); got != "New:initial Review:intermediate Passed:end Failed:end" {
			t.Fatalf("a move saved the statuses: %s", got)
		}
		// Saving the new order, with one more status in a blank row, keeps both.
		form = onboarding()
		form.statuses = [][2]string{{"New", "initial"}, {"Passed", "end"}, {"Review", "intermediate"}, {"Failed", "end"}, {"Escalated", "intermediate"}}
		b.post(p.location(), p.location(), form.values()).want(t, 303)
		tm, _ = s.store.FindTemplate(ctx, id)
		if got := statusNames(tm); got != "New:initial Passed:end Review:intermediate Failed:end Escalated:intermediate" {
			t.Fatalf("saved statuses %s", got)
		}
		if tm.Key != "ONB" {
			t.Fatalf("key changed to %s", tm.Key)
		}

		// More rows adds blank rows without saving.
		form.extra.Set("more", "status")
		b.post(p.location(), p.location(), form.values()).want(t, 200, `name="status.9.name" value=""`)

		b.post(p.location(), "/admin/templates/"+id+"/archive", url.Values{}).want(t, 303)
		tm, _ = s.store.FindTemplate(ctx, id)
		if tm.Status != docket.TemplateArchived {
			t.Fatalf("status %s after archive", tm.Status)
		}
		b.get(p.location()).want(t, 200, "archived: no new case can use it", "Archived ")
	})
}

// TestAdminTemplateRefused: a refused save shows the store's message beside the input
// its field path names (through blank rows, which are not sent) and saves nothing.
func TestAdminTemplateRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL, nil)
		s.user("admin@example.com", docket.RoleAdmin)
		b := s.browser()
		b.signIn("admin@example.com")
		kyc := s.template("KYC", "KYC")
		c := s.kase(kyc, 0, "")
		_, err := s.store.SetCaseStatus(ctx, sysActor, c.ID, "Pending")
		noErr(t, err)
		edit := "/admin/templates/" + kyc.ID

		dup := onboarding()
		dup.statuses = [][2]string{{"Open", "initial"}, {"", "intermediate"}, {"open", "intermediate"}, {"Done", "end"}}
		noOptions := onboarding()
		noOptions.fields[0].Del("options")
		badSLA := onboarding()
		badSLA.extra.Set("sla", "two")
		longSLA := onboarding()
		longSLA.extra.Set("sla", "91")
		longSLA.extra.Set("sla-unit", "days")
		badEmail := onboarding()
		badEmail.extra.Set("notification-emails", "ops@example.com\nnot-an-address")
		badKey := onboarding()
		badKey.key = "lower"
		renamed := tmplPost{name: "KYC", statuses: [][2]string{{"Open", "initial"}, {"Waiting", "intermediate"}, {"Approved", "end"}, {"Declined", "end"}}}
		removed := tmplPost{name: "KYC", statuses: [][2]string{{"Open", "initial"}, {"", "intermediate"}, {"Approved", "end"}, {"Declined", "end"}}}
		tests := []struct {
			name, path string
			form       tmplPost
			input, msg string
		}{
			{"status named twice", "/admin/templates/new", dup, `id="status-2-name-err"`, "Status &#34;open&#34; appears twice"},
			{"choices without options", "/admin/templates/new", noOptions, `name="field.0.options"`, "A choices field needs at least one option"},
			{"SLA not a number", "/admin/templates/new", badSLA, `name="sla"`, "The SLA must be a whole number of hours."},
			{"SLA too long", "/admin/templates/new", longSLA, `name="sla"`, "Sla-seconds must be between 1 and 7776000"},
			{"bad email", "/admin/templates/new", badEmail, `name="notification-emails"`, "&#34;not-an-address&#34; is not an email address"},
			{"bad key", "/admin/templates/new", badKey, `id="t-key"`, "Key must be 1 to 16 upper-case letters"},
			{"status with an open case renamed", edit, renamed, `id="status-1-name-err"`, "Status &#34;Pending&#34; holds 1 open case: move it to another status"},
			{"status with an open case removed", edit, removed, `id="t-statuses-h"`, "Status &#34;Pending&#34; holds 1 open case"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := b.post(tt.path, tt.path, tt.form.values())
				p.want(t, http.StatusUnprocessableEntity, "Nothing was saved", tt.msg)
				// The message sits beside its input: after it, before the next input.
				at := strings.Index(p.body, tt.input)
				rest := p.body[at:]
				if next := strings.Index(rest[1:], "<input"); at < 0 || !strings.Contains(rest[:max(next, 0)+len(tt.input)+400], tt.msg) {
					t.Fatalf("message %q is not beside %s", tt.msg, tt.input)
				}
			})
		}
		list, _, err := s.store.ListTemplates(ctx, docket.CaseTemplateFilter{})
		noErr(t, err)
		if len(list) != 1 {
			t.Fatalf("refused forms created %d templates", len(list)-1)
		}
		if got, _ := s.store.FindTemplate(ctx, kyc.ID); statusNames(got) != statusNames(kyc) {
			t.Fatalf("refused forms changed the statuses: %s", statusNames(got))
		}
	})
}

// TestAdminTemplatePermissions: only those who may manage templates reach the pages or
// their forms; a manager, who may manage queues, gets the 403 page here.
func TestAdminTemplatePermissions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL, nil)
		kyc := s.template("KYC", "KYC")
		for _, role := range []string{docket.RoleManager, docket.RoleReviewer, docket.RoleViewer} {
			s.user(role+"@example.com", role)
			b := s.browser()
			b.signIn(role + "@example.com")
			for _, path := range []string{"/admin/templates", "/admin/templates/new", "/admin/templates/" + kyc.ID} {
				b.get(path).want(t, http.StatusForbidden, "may not manage case templates")
			}
			for _, path := range []string{"/admin/templates/new", "/admin/templates/" + kyc.ID, "/admin/templates/" + kyc.ID + "/archive"} {
				b.post("/", path, onboarding().values()).want(t, http.StatusForbidden)
			}
		}
		list, _, err := s.store.ListTemplates(ctx, docket.CaseTemplateFilter{})
		noErr(t, err)
		if got, _ := s.store.FindTemplate(ctx, kyc.ID); len(list) != 1 || got.Name != "KYC" || got.Status != docket.TemplateActive {
			t.Fatalf("forged posts changed templates: %d, %+v", len(list), got)
		}
	})
}
