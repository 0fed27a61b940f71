package store_test

import (
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// TestAssignOnlyToWhoMaySee: a case goes only to people who may see its template's cases,
// whether a person assigns it or the template's assignment policy does. A group member
// whose role the template hides its cases from is passed over.
func TestAssignOnlyToWhoMaySee(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		rev := mkUser(t, s, "rev@example.com") // a reviewer
		mgr := &docket.User{Email: "mgr@example.com", Role: docket.RoleManager, Available: true}
		noErr(t, s.CreateUser(ctx, apiActor, mgr))
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "SAR", Key: "SAR", VisibleToRoles: []string{docket.RoleManager, docket.RoleAdmin},
			AssignmentPolicy: docket.AssignmentPolicy{Type: docket.AssignRoundRobin, UserIDs: []string{rev.ID, mgr.ID}}})
		for range 3 {
			c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
			if c.AssigneeID == nil || *c.AssigneeID != mgr.ID {
				t.Fatalf("the policy gave a case to %v, want only the manager %s", c.AssigneeID, mgr.ID)
			}
		}
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		_, err := s.AssignCase(ctx, apiActor, c.ID, rev.Email)
		wantErr(t, err, docket.EInvalid, "user-email-address")
		if got := caseOK(t)(s.FindCase(ctx, c.ID)); got.AssigneeID == nil || *got.AssigneeID != mgr.ID {
			t.Fatalf("a refused assignment changed the assignee to %v", got.AssigneeID)
		}
		// Someone who may see the cases can still be given one.
		caseOK(t)(s.AssignCase(ctx, apiActor, c.ID, ""))
		if got := caseOK(t)(s.AssignCase(ctx, apiActor, c.ID, mgr.Email)); got.AssigneeID == nil || *got.AssigneeID != mgr.ID {
			t.Fatal("assigning to the manager failed")
		}
	})
}
