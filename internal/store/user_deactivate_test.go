package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// TestDeactivateUser: deactivation ends the user's sessions and spends their links in the
// same change, refuses new links and every way of giving them a case, takes them out of
// assignment policies, and keeps the user (and their cases) for history; reactivation
// undoes it. Each change records one event.
func TestDeactivateUser(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		group := mkGroup(t, s, 2)
		ada, bob := group[0], group[1]
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC",
			AssignmentPolicy: docket.AssignmentPolicy{Type: docket.AssignRoundRobin, UserIDs: groupIDs(group)}})
		held := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		if held.AssigneeID == nil || *held.AssigneeID != ada.ID {
			t.Fatalf("first case assigned to %v, want ada", held.AssigneeID)
		}
		q := &docket.CaseQueue{Name: "All", Filter: docket.CaseQueueFilter{TemplateIDs: []string{tm.ID}}}
		noErr(t, s.CreateQueue(ctx, apiActor, q))
		sess := &docket.Session{IDHash: "h1", UserID: ada.ID, CreatedAt: epoch, SeenAt: epoch, ExpiresAt: epoch.Add(time.Hour)}
		noErr(t, s.CreateSession(ctx, sess))
		link := &docket.PasswordLink{TokenHash: "l1", UserID: ada.ID, Purpose: docket.LinkReset, CreatedAt: epoch, ExpiresAt: epoch.Add(time.Hour)}
		noErr(t, s.CreatePasswordLink(ctx, link))

		at := clock.Add(time.Minute)
		u := must[*docket.User](t)(s.DeactivateUser(ctx, userActor, ada.ID))
		if u.Active() || !u.DeactivatedAt.Equal(at) {
			t.Fatalf("deactivated user: %+v", u)
		}
		if _, _, err := s.FindSession(ctx, "h1"); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("session after deactivation: %v", err)
		}
		if _, err := s.FindPasswordLink(ctx, "l1", at); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("link after deactivation: %v", err)
		}
		wantErr(t, s.CreatePasswordLink(ctx, &docket.PasswordLink{TokenHash: "l2", UserID: ada.ID, Purpose: docket.LinkReset,
			CreatedAt: at, ExpiresAt: at.Add(time.Hour)}), docket.EConflict, "")
		found := must[*docket.User](t)(s.FindUser(ctx, ada.ID))
		if found.DeactivatedAt == nil || found.Name != ada.Name {
			t.Fatalf("found %+v: the user must stay, marked", found)
		}
		if c := caseOK(t)(s.FindCase(ctx, held.ID)); c.AssigneeID == nil || *c.AssigneeID != ada.ID {
			t.Fatalf("a deactivated user's cases stay theirs: %v", c.AssigneeID)
		}

		// Again: nothing changes, no second event.
		again := must[*docket.User](t)(s.DeactivateUser(ctx, userActor, ada.ID))
		if !again.DeactivatedAt.Equal(at) {
			t.Fatalf("deactivating twice moved the time: %v", again.DeactivatedAt)
		}

		// No new cases: the policy passes over them, direct assignment and claims refuse.
		for range 3 {
			if c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID}); c.AssigneeID == nil || *c.AssigneeID != bob.ID {
				t.Fatalf("new case assigned to %v, want bob only", c.AssigneeID)
			}
		}
		free := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		_, err := s.AssignCase(ctx, apiActor, free.ID, strings.ToUpper(ada.Email))
		wantErr(t, err, docket.EInvalid, "user-email-address")
		_, err = s.ClaimNextCase(ctx, apiActor, q.ID, ada.Email, docket.Visibility{})
		wantErr(t, err, docket.EInvalid, "user-email-address")

		back := must[*docket.User](t)(s.ReactivateUser(ctx, userActor, ada.ID))
		if !back.Active() {
			t.Fatalf("reactivated user: %+v", back)
		}
		caseOK(t)(s.AssignCase(ctx, apiActor, free.ID, ada.Email))
		noErr(t, s.CreatePasswordLink(ctx, &docket.PasswordLink{TokenHash: "l3", UserID: ada.ID, Purpose: docket.LinkReset,
			CreatedAt: at, ExpiresAt: at.Add(time.Hour)}))
		wantStrings(t, "user events", eventNames(t, s, ada.ID), []string{docket.EventUserCreated, docket.EventUserDeactivated, docket.EventUserReactivated})

		_, err = s.DeactivateUser(ctx, userActor, "user_missing")
		wantErr(t, err, docket.ENotFound, "")
	})
}

// TestLastSignIns: a session's start is the user's last sign-in; users who never signed
// in are left out.
func TestLastSignIns(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		ada, bob := mkUser(t, s, "ada@example.com"), mkUser(t, s, "bob@example.com")
		for _, u := range []*docket.User{ada, bob} {
			noErr(t, s.SetPassword(ctx, u.ID, "$argon2id$fake"))
		}
		for i, at := range []time.Time{epoch, epoch.Add(time.Hour)} {
			noErr(t, s.CreateSession(ctx, &docket.Session{IDHash: string(rune('a' + i)), UserID: ada.ID, CreatedAt: at, SeenAt: at, ExpiresAt: at.Add(time.Hour)}))
		}
		got := must[map[string]time.Time](t)(s.LastSignIns(ctx, []string{ada.ID, bob.ID}))
		if len(got) != 1 || !got[ada.ID].Equal(epoch.Add(time.Hour)) {
			t.Fatalf("last sign-ins: %v", got)
		}
	})
}
