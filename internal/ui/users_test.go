package ui_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestPickersOfferEveryone: with more people than one API page holds, the case list's
// assignee filter and bulk assign still offer every one of them, and the case page
// suggests only people who may see the case's template.
func TestPickersOfferEveryone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newWorkSite(t, dbURL)
		mgr := s.user("mia@example.com", docket.RoleManager)
		for i := range docket.MaxPageSize + 5 {
			u := &docket.User{Email: fmt.Sprintf("rev%03d@example.com", i), Role: docket.RoleReviewer, Available: true}
			noErr(t, s.store.CreateUser(ctx, clActor, u))
		}
		first, _ := s.store.FindUserByEmail(ctx, "rev000@example.com")
		tm := s.template("SAR filing", "SAR", docket.RoleManager, docket.RoleAdmin)
		c := s.kase(tm, 0, "")
		b := s.browser()
		b.signIn(mgr.Email)
		p := b.get("/cases")
		p.want(t, http.StatusOK, `<option value="`+first.ID+`"`, `<option value="rev000@example.com"`)
		p = b.get("/cases/" + c.ID)
		p.want(t, http.StatusOK, `<option value="mia@example.com">`)
		p.lacks(t, `<option value="rev000@example.com">`)
	})
}
