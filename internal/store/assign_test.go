package store_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func mkGroup(t *testing.T, s *store.Store, n int) []*docket.User {
	t.Helper()
	var out []*docket.User
	for i := range n {
		u := &docket.User{Email: fmt.Sprintf("reviewer%d@example.com", i), Role: "reviewer", Available: true}
		noErr(t, s.CreateUser(ctx, apiActor, u))
		out = append(out, u)
	}
	return out
}

func groupIDs(us []*docket.User) []string {
	ids := make([]string, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return ids
}

// assignees counts each user's cases among cases.
func assignees(cases []*docket.Case) map[string]int {
	n := map[string]int{}
	for _, c := range cases {
		if c.AssigneeID == nil {
			n[""]++
		} else {
			n[*c.AssigneeID]++
		}
	}
	return n
}

func TestAssignRoundRobin(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		group := mkGroup(t, s, 3)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC",
			AssignmentPolicy: docket.AssignmentPolicy{Type: docket.AssignRoundRobin, UserIDs: groupIDs(group)}})
		// Concurrent creation goes through group commit in batches; the rotation still holds.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var cases []*docket.Case
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 50 {
					c, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID})
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					cases = append(cases, c)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for _, u := range group {
			if n := assignees(cases)[u.ID]; n != 100 {
				t.Fatalf("%s got %d of 300 cases, want 100", u.Email, n)
			}
		}
		c := cases[0]
		if c.Assigner == nil || c.Assigner.Type != docket.ActorAssignmentPolicy || c.AssignedAt == nil {
			t.Fatalf("assigner not recorded: %+v", c.Assigner)
		}
		wantStrings(t, "events", eventNames(t, s, c.ID), []string{docket.EventCaseAssigned, docket.EventCaseCreated})

		// An unavailable member is skipped until they come back.
		away := false
		_, err := s.UpdateUser(ctx, apiActor, group[1].ID, docket.UserUpdate{Available: &away})
		noErr(t, err)
		var next []*docket.Case
		for range 4 {
			next = append(next, mkCase(t, s, docket.NewCase{TemplateID: tm.ID}))
		}
		if n := assignees(next)[group[1].ID]; n != 0 {
			t.Fatalf("away member got %d cases", n)
		}
		if n := assignees(next); n[group[0].ID] != 2 || n[group[2].ID] != 2 {
			t.Fatalf("remaining members got %v, want 2 each", n)
		}
	})
}

func TestAssignFewestCasesStaysBalanced(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		group := mkGroup(t, s, 3)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "Fraud", Key: "FRAUD",
			AssignmentPolicy: docket.AssignmentPolicy{Type: docket.AssignFewestCases, UserIDs: groupIDs(group)}})
		rng := rand.New(rand.NewPCG(1, 2))
		var open []*docket.Case
		for i := range 120 {
			open = append(open, mkCase(t, s, docket.NewCase{TemplateID: tm.ID}))
			// Resolve a random open case now and then: new cases must refill the emptiest queue.
			if i%3 == 2 {
				k := rng.IntN(len(open))
				_, err := s.SetCaseStatus(ctx, apiActor, open[k].ID, "Approved")
				noErr(t, err)
				open = append(open[:k], open[k+1:]...)
			}
			counts := assignees(open)
			lo, hi := len(open), 0
			for _, u := range group {
				lo, hi = min(lo, counts[u.ID]), max(hi, counts[u.ID])
			}
			if i%3 != 2 && hi-lo > 1 {
				t.Fatalf("after %d cases open counts are %v: spread %d", i+1, counts, hi-lo)
			}
		}
	})
}

func TestAssignInquiryCreator(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		group := mkGroup(t, s, 2)
		outsider := &docket.User{Email: "outsider@example.com", Role: "reviewer", Available: true}
		noErr(t, s.CreateUser(ctx, apiActor, outsider))
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC",
			AssignmentPolicy: docket.AssignmentPolicy{Type: docket.AssignInquiryCreator, UserIDs: groupIDs(group)}})
		inquiry := func(email string) string {
			q, err := s.CreateInquiry(ctx, apiActor, docket.NewInquiry{CreatorEmail: &email})
			noErr(t, err)
			return q.ID
		}
		tests := []struct {
			name    string
			objects []string
			want    *string
		}{
			{"creator in the group", []string{inquiry("REVIEWER1@example.com")}, &group[1].ID},
			{"creator outside the group", []string{inquiry(outsider.Email)}, nil},
			{"no inquiry attached", nil, nil},
		}
		for _, tt := range tests {
			c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, ObjectIDs: tt.objects})
			if (c.AssigneeID == nil) != (tt.want == nil) || (tt.want != nil && *c.AssigneeID != *tt.want) {
				t.Fatalf("%s: assignee %v, want %v", tt.name, c.AssigneeID, tt.want)
			}
		}
	})
}
