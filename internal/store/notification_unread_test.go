package store_test

import (
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// TestUnreadCountAndReadAll: the unread count stops at its limit and leaves out what the
// visibility hides; marking all read stops at upTo, leaves hidden ones and other users'
// alone, and says how many it marked.
func TestUnreadCountAndReadAll(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		ada := mkUser(t, s, "ada@example.com")
		bob := mkUser(t, s, "bob@example.com")
		kyc := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		sar := mkTemplate(t, s, &docket.CaseTemplate{Name: "SAR", Key: "SAR"})
		open, secret := mkCase(t, s, docket.NewCase{TemplateID: kyc.ID}), mkCase(t, s, docket.NewCase{TemplateID: sar.ID})
		for range 4 {
			clock.Add(time.Second)
			must[*docket.Comment](t)(s.AddComment(ctx, userActor, open.ID, "@ada@example.com look"))
		}
		clock.Add(time.Second)
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, secret.ID, "@ada@example.com @bob@example.com secret"))
		hide := docket.Visibility{HiddenTemplateIDs: []string{sar.ID}}
		count := func(vis docket.Visibility, limit int) int {
			t.Helper()
			return must[int](t)(s.CountUnreadNotifications(ctx, ada.ID, vis, limit))
		}
		for _, tc := range []struct {
			vis         docket.Visibility
			limit, want int
		}{{docket.Visibility{}, 100, 5}, {hide, 100, 4}, {docket.Visibility{}, 3, 3}, {hide, 4, 4}} {
			if got := count(tc.vis, tc.limit); got != tc.want {
				t.Fatalf("count (hidden %v, limit %d) = %d, want %d", tc.vis.HiddenTemplateIDs, tc.limit, got, tc.want)
			}
		}
		// A hidden case's notification is not listed either.
		listed, _ := must2[*docket.Notification](t)(s.ListNotifications(ctx, docket.NotificationFilter{UserID: ada.ID, Visibility: hide}))
		if len(listed) != 4 {
			t.Fatalf("listed %d notifications with the SAR template hidden, want 4", len(listed))
		}
		// listed is newest first: mark up to the second newest visible one.
		marked := must[int](t)(s.MarkAllNotificationsRead(ctx, ada.ID, listed[1].ID, hide))
		if marked != 3 || count(hide, 100) != 1 || count(docket.Visibility{}, 100) != 2 {
			t.Fatalf("read up to the second newest: marked %d, unread %d visible, %d in all", marked, count(hide, 100), count(docket.Visibility{}, 100))
		}
		if got := must[int](t)(s.MarkAllNotificationsRead(ctx, ada.ID, "", docket.Visibility{})); got != 2 || count(docket.Visibility{}, 100) != 0 {
			t.Fatalf("read all: marked %d", got)
		}
		if got := must[int](t)(s.MarkAllNotificationsRead(ctx, ada.ID, "", docket.Visibility{})); got != 0 {
			t.Fatalf("read all again: marked %d, want 0", got)
		}
		if got := must[int](t)(s.CountUnreadNotifications(ctx, bob.ID, docket.Visibility{}, 100)); got != 1 {
			t.Fatalf("bob's unread count %d, want 1: ada's read-all reached him", got)
		}
		_, err := s.MarkAllNotificationsRead(ctx, docket.NewID(docket.PrefixUser), "", docket.Visibility{})
		wantErr(t, err, docket.ENotFound, "")
	})
}
