package notify_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestNotificationsRespectVisibility checks that nobody is told about a case they may
// not see (its template's visible-to-roles leaves their role out): not by the template's
// notification policy, an assignment or a mention.
func TestNotificationsRespectVisibility(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		reviewer := mkUser(t, s, "rita@example.com")
		admin := &docket.User{Email: "ada@example.com", Name: "Ada", Role: docket.RoleAdmin}
		noErr(t, s.CreateUser(ctx, apiActor, admin))
		open := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		secret := mkTemplate(t, s, &docket.CaseTemplate{Name: "SAR", Key: "SAR", VisibleToRoles: []string{docket.RoleAdmin},
			NotificationPolicy: docket.NotificationPolicy{Emails: []string{reviewer.Email, admin.Email}}})
		var opens, secrets []*docket.Case
		for range 2 {
			opens = append(opens, mkCase(t, s, docket.NewCase{TemplateID: open.ID}))
			secrets = append(secrets, mkCase(t, s, docket.NewCase{TemplateID: secret.ID}))
		}
		// A hidden case cannot be given to the reviewer (docket.CheckAssignee), so no
		// assignment notification can reach them.
		if _, err := s.AssignCase(ctx, apiActor, secrets[0].ID, reviewer.Email); docket.ErrorCode(err) != docket.EInvalid {
			t.Fatalf("assigning a hidden case to a reviewer: %v, want refused", err)
		}
		caseOK(t)(s.AssignCase(ctx, apiActor, opens[0].ID, reviewer.Email))
		mention := "@" + reviewer.Email + " @" + admin.Email + " please look"
		must[*docket.Comment](t)(s.AddComment(ctx, apiActor, secrets[1].ID, mention))
		must[*docket.Comment](t)(s.AddComment(ctx, apiActor, opens[1].ID, mention))
		kinds := func(u *docket.User) string {
			out := map[string][]string{}
			for _, n := range userNotifications(t, s, u.ID) {
				out[n.CaseID] = append(out[n.CaseID], n.Kind)
			}
			for _, k := range out {
				slices.Sort(k)
			}
			return fmt.Sprint(out)
		}
		for _, tt := range []struct {
			who  *docket.User
			want map[string][]string
		}{
			{reviewer, map[string][]string{
				opens[0].ID: {docket.NotifyCaseAssigned},
				opens[1].ID: {docket.NotifyMention},
			}},
			{admin, map[string][]string{
				secrets[0].ID: {docket.NotifyCaseCreated},
				secrets[1].ID: {docket.NotifyCaseCreated, docket.NotifyMention},
				opens[1].ID:   {docket.NotifyMention},
			}},
		} {
			if got := kinds(tt.who); got != fmt.Sprint(tt.want) {
				t.Errorf("%s's notifications %s, want %v", tt.who.Role, got, tt.want)
			}
		}
	})
}
