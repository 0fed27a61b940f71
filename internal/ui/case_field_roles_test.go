package ui_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestCaseFieldEditableByRoles: a field that a template lets only managers edit shows
// read-only to a reviewer, whose forged edit is refused; a manager edits it.
func TestCaseFieldEditableByRoles(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := newSite(t, dbURL, nil)
		s.user("rev@example.com", docket.RoleReviewer)
		s.user("man@example.com", docket.RoleManager)
		tm := &docket.CaseTemplate{Name: "KYC", Key: "KYC", FieldSchemas: []docket.FieldSchema{
			{Key: "note", Type: docket.FieldString},
			{Key: "risk", Type: docket.FieldString, EditableByRoles: []string{docket.RoleManager}}}}
		noErr(t, s.store.CreateTemplate(ctx, sysActor, tm))
		c, err := s.store.CreateCase(ctx, sysActor, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"risk": "low"}})
		noErr(t, err)
		path := "/cases/" + c.ID

		rev := s.browser()
		rev.signIn("rev@example.com")
		p := rev.get(path)
		p.want(t, 200, `name="fields.note"`)
		p.lacks(t, `name="fields.risk"`)
		rev.post(path, path+"/fields", url.Values{"fields.risk": {"high"}, "was.fields.risk": {"low"}}).want(t, http.StatusForbidden, "may be changed only by manager")

		man := s.browser()
		man.signIn("man@example.com")
		man.get(path).want(t, 200, `name="fields.risk"`)
		man.post(path, path+"/fields", url.Values{"fields.risk": {"high"}, "was.fields.risk": {"low"}}).want(t, http.StatusSeeOther)
		got, err := s.store.FindCase(ctx, c.ID)
		noErr(t, err)
		if got.Fields["risk"] != "high" {
			t.Fatalf("risk is %v", got.Fields["risk"])
		}
	})
}
