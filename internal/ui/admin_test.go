package ui_test

import (
	"net/http"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestAdminIndex: the header's Admin link and the index show each role the areas it may
// administer; a role that may administer nothing gets the 403 page.
func TestAdminIndex(t *testing.T) {
	t.Parallel()
	s := newSite(t, storetest.SQLiteURL(t), nil)
	for _, role := range []string{docket.RoleAdmin, docket.RoleManager, docket.RoleReviewer, docket.RoleViewer} {
		s.user(role+"@example.com", role)
	}
	tests := []struct {
		role   string
		status int
		has    []string
		lacks  []string
	}{
		{docket.RoleAdmin, http.StatusOK, []string{`<a href="/admin"`, `href="/admin/templates"`, `href="/admin/users"`, `href="/admin/workflows"`}, nil},
		{docket.RoleManager, http.StatusOK, []string{`<a href="/admin"`, `href="/admin/queues"`}, []string{`href="/admin/templates"`, `href="/admin/users"`}},
		{docket.RoleReviewer, http.StatusForbidden, []string{"Not allowed"}, []string{`<a href="/admin"`}},
		{docket.RoleViewer, http.StatusForbidden, []string{"Not allowed"}, []string{`<a href="/admin"`}},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			b := s.browser()
			b.signIn(tt.role + "@example.com")
			p := b.get("/admin")
			p.want(t, tt.status, tt.has...)
			p.lacks(t, tt.lacks...)
		})
	}
}
