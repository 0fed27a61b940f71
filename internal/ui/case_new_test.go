package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestCaseNew: from the case list, a reviewer opens a case of a template they may see:
// a missing required field is refused beside its input and creates nothing; a filled
// form creates the case (with the API's rules) and opens it. Viewers cannot.
func TestCaseNew(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL, nil)
		s.user("rev@example.com", docket.RoleReviewer)
		s.user("viewer@example.com", docket.RoleViewer)
		kyc := &docket.CaseTemplate{Name: "KYC", Key: "KYC", FieldSchemas: []docket.FieldSchema{
			{Key: "risk", Type: docket.FieldChoices, Required: true, Config: docket.FieldConfig{Options: []string{"low", "high"}}},
			{Key: "score", Type: docket.FieldInteger}}}
		noErr(t, s.store.CreateTemplate(ctx, sysActor, kyc))
		hidden := s.template("Secret", "SEC", docket.RoleAdmin)
		old := s.template("Old", "OLD")
		_, err := s.store.ArchiveTemplate(ctx, sysActor, old.ID)
		noErr(t, err)
		count := func() int {
			n, err := s.store.CountCases(ctx, docket.CaseFilter{}, 100)
			noErr(t, err)
			return n
		}

		b := s.browser()
		b.signIn("rev@example.com")
		list := b.get("/cases")
		list.want(t, 200, `action="/cases/new"`)
		form := list.body[strings.Index(list.body, `action="/cases/new"`):]
		form = form[:strings.Index(form, "</form>")]
		if !strings.Contains(form, `<option value="`+kyc.ID+`">KYC</option>`) || strings.Contains(form, hidden.ID) || strings.Contains(form, old.ID) {
			t.Fatalf("new case form offers %s", form)
		}
		b.get("/cases/new?template="+kyc.ID).want(t, 200, `name="fields.risk"`, `(required)`, `name="fields.score"`, `<option>high</option>`)
		b.get("/cases/new?template="+hidden.ID).want(t, http.StatusNotFound, "Choose one of these templates.")

		refused := []struct {
			name string
			form url.Values
			key  string
			msg  string
		}{
			{"required field missing", url.Values{"template": {kyc.ID}, "fields.risk": {""}, "fields.score": {"3"}}, "in-fields-risk", "Field &#34;risk&#34; is required"},
			{"not a whole number", url.Values{"template": {kyc.ID}, "fields.risk": {"low"}, "fields.score": {"2.5"}}, "in-fields-score", "Field &#34;score&#34;: must be a whole number"},
			{"hidden template", url.Values{"template": {hidden.ID}}, "new-template", "Choose one of these templates."},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) {
				p := b.post("/cases/new?template="+kyc.ID, "/cases/new", tt.form)
				p.want(t, http.StatusUnprocessableEntity, `id="`+tt.key+`-err">`+tt.msg)
				if tt.key != "new-template" && !strings.Contains(p.body, `value="`+tt.form.Get("fields.score")+`"`) {
					t.Fatalf("the form lost what was typed")
				}
			})
		}
		if n := count(); n != 0 {
			t.Fatalf("refused forms created %d cases", n)
		}

		p := b.post("/cases/new?template="+kyc.ID, "/cases/new", url.Values{"template": {kyc.ID}, "fields.risk": {"high"}, "fields.score": {"7"}})
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location(), "/cases/case_") {
			t.Fatalf("create: %d %s\n%s", p.status, p.location(), p.body)
		}
		c, err := s.store.FindCase(ctx, strings.TrimPrefix(p.location(), "/cases/"))
		noErr(t, err)
		if c.Name != "KYC-1" || c.Fields["risk"] != "high" || c.Status != "Open" {
			t.Fatalf("case %+v", c)
		}
		b.get(p.location()).want(t, 200, "Case KYC-1 created.")

		v := s.browser()
		v.signIn("viewer@example.com")
		v.get("/cases").lacks(t, `action="/cases/new"`)
		v.get("/cases/new").want(t, http.StatusForbidden)
		v.post("/cases", "/cases/new", url.Values{"template": {kyc.ID}, "fields.risk": {"low"}}).want(t, http.StatusForbidden)
		if n := count(); n != 1 {
			t.Fatalf("%d cases, want 1", n)
		}
	})
}
