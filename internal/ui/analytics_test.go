package ui_test

import (
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestAnalyticsPage: managers and admins see the analytics page (linked from the header)
// with a chart and a table per figure over the cases they may see; a reviewer is refused
// and has no link; a bad filter is shown beside its field.
func TestAnalyticsPage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newWorkSite(t, dbURL)
		mia := s.user("mia@example.com", docket.RoleManager)
		rita := s.user("rita@example.com", docket.RoleReviewer)
		kyc := s.template("KYC review", "KYC")
		secret := s.template("Secret", "SEC", docket.RoleAdmin)
		s.kase(kyc, 3600, rita.Email)
		done := s.kase(kyc, 3600, rita.Email)
		_, err := s.store.SetCaseStatus(ctx, sysActor, done.ID, "Declined")
		noErr(t, err)
		s.kase(secret, 0, "")

		b := s.browser()
		b.signIn(mia.Email)
		p := b.get("/")
		p.want(t, 200, `href="/analytics"`)
		p = b.get("/analytics")
		p.want(t, 200, "<svg", `class="line s-created"`, `class="band"`, `class="bar"`, "<strong>1</strong> open now",
			"rita@example.com", ">Declined<", `name="filter[case-template-id]"`)
		if strings.Contains(p.body, "Secret") {
			t.Fatal("the manager's page names a template only admins see")
		}
		p = b.get("/analytics?time-zone=Mars/Olympus&bucket=week")
		p.want(t, 422, `class="field-error" id="an-tz-error"`, "not a time zone name", `value="Mars/Olympus"`)
		// A resolution filter keeps resolved cases only: nothing is open.
		p = b.get("/analytics?filter[resolution]=Approved")
		p.want(t, 200, "<strong>0</strong> open now")
		if strings.Contains(p.body, ">Declined<") {
			t.Fatal("the resolution filter kept Declined")
		}

		b = s.browser()
		b.signIn(rita.Email)
		b.get("/analytics").want(t, 403, "may not read analytics")
		if strings.Contains(b.get("/").body, `href="/analytics"`) {
			t.Fatal("a reviewer is offered the analytics link")
		}
	})
}
