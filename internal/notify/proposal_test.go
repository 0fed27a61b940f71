package notify_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestNotifyResolutionProposed: a decision proposed on a four-eyes template is told to
// everyone who may confirm it (roles granting confirm-decisions, the template visible to
// them), not to the proposer, reviewers, viewers or deactivated users; a proposal on a
// template hidden from managers reaches the admins only.
func TestNotifyResolutionProposed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		mk := func(email, role string) *docket.User {
			u := &docket.User{Email: email, Name: email[:3], Role: role}
			noErr(t, s.CreateUser(ctx, apiActor, u))
			return u
		}
		rita, viv := mk("rita@example.com", docket.RoleReviewer), mk("viv@example.com", docket.RoleViewer)
		max, mia, ada := mk("max@example.com", docket.RoleManager), mk("mia@example.com", docket.RoleManager), mk("ada@example.com", docket.RoleAdmin)
		gone := mk("gone@example.com", docket.RoleManager)
		must[*docket.User](t)(s.DeactivateUser(ctx, apiActor, gone.ID))
		statuses := []docket.Status{{Name: "Open", Type: docket.StatusInitial}, {Name: "Approved", Type: docket.StatusEnd},
			{Name: "Declined", Type: docket.StatusEnd}}
		open := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC", Statuses: statuses, FourEyesStatuses: []string{"Declined"}})
		secret := mkTemplate(t, s, &docket.CaseTemplate{Name: "SAR", Key: "SAR", Statuses: statuses, FourEyesStatuses: []string{"Declined"},
			VisibleToRoles: []string{docket.RoleAdmin}})
		kyc, sar, plain := mkCase(t, s, docket.NewCase{TemplateID: open.ID}), mkCase(t, s, docket.NewCase{TemplateID: secret.ID}),
			mkCase(t, s, docket.NewCase{TemplateID: open.ID})

		// max proposes on the KYC case, an API key with no user on the SAR; Approved
		// needs nobody's confirmation.
		max1 := docket.Actor{Type: docket.ActorUser, ID: max.ID}
		if c := caseOK(t)(s.SetCaseStatus(ctx, max1, kyc.ID, "Declined")); c.Proposal == nil {
			t.Fatalf("Declined was set, not proposed: %+v", c)
		}
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, sar.ID, "Declined"))
		caseOK(t)(s.SetCaseStatus(ctx, max1, plain.ID, "Approved"))

		for _, tt := range []struct {
			who  *docket.User
			want []string
		}{
			{rita, nil}, {viv, nil}, {gone, nil},
			{max, nil}, // the proposer: they may not confirm it
			{mia, []string{kyc.ID}},
			{ada, []string{kyc.ID, sar.ID}},
		} {
			var got []string
			for _, n := range userNotifications(t, s, tt.who.ID) {
				if n.Kind == docket.NotifyResolutionProposed {
					got = append(got, n.CaseID)
					if want := "[Docket] " + map[string]string{kyc.ID: kyc.Name, sar.ID: sar.Name}[n.CaseID] +
						": Declined awaits your confirmation"; n.Subject != want {
						t.Errorf("%s's subject %q, want %q", tt.who.Email, n.Subject, want)
					}
				}
			}
			if fmt.Sprint(sortedCopy(got)) != fmt.Sprint(sortedCopy(tt.want)) {
				t.Errorf("%s (%s) told about %v, want %v", tt.who.Email, tt.who.Role, got, tt.want)
			}
		}
		wantOneJobEach(t, dbURL)
	})
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
