package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// notificationRow is one row of the notifications table.
type notificationRow struct {
	ID, UserID, Email, Kind, CaseID, Body string
}

// notificationRows returns every notification of the database, oldest first.
func notificationRows(t testing.TB, dbURL string) []notificationRow {
	t.Helper()
	rows, err := storetest.RawDB(t, dbURL).Query(`SELECT id, COALESCE(user_id, ''), email, kind, case_id, body FROM notifications ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []notificationRow
	for rows.Next() {
		var r notificationRow
		if err := rows.Scan(&r.ID, &r.UserID, &r.Email, &r.Kind, &r.CaseID, &r.Body); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func notificationCount(t testing.TB, dbURL string) int { return len(notificationRows(t, dbURL)) }

// TestNotificationRedaction: redacting a case erases the comment text its mention
// notifications carry, so a later read or a pending email does not leak it.
func TestNotificationRedaction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		ada := mkUser(t, s, "ada@example.com")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		keep := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, "@ada@example.com passport number X1234567"))
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, keep.ID, "@ada@example.com other case"))
		caseOK(t)(s.RedactCase(ctx, apiActor, c.ID))
		for _, n := range userNotifications(t, s, ada.ID) {
			switch n.CaseID {
			case c.ID:
				if strings.Contains(n.Body, "X1234567") {
					t.Fatalf("redacted case's notification still holds the comment: %q", n.Body)
				}
			case keep.ID:
				if n.Body != "@ada@example.com other case" {
					t.Fatalf("another case's notification changed: %q", n.Body)
				}
			}
		}
	})
}

// TestListNotifications pages a user's notifications newest first and filters unread ones;
// MarkNotificationRead is idempotent and only reaches the user's own notifications.
func TestListNotifications(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		ada := mkUser(t, s, "ada@example.com")
		bob := mkUser(t, s, "bob@example.com")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		for i := range 5 {
			clock.Add(time.Second)
			must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, "@ada@example.com note "+string(rune('a'+i))))
		}
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, "@bob@example.com for bob"))

		all := userNotifications(t, s, ada.ID)
		if len(all) != 5 {
			t.Fatalf("ada has %d notifications, want 5", len(all))
		}
		for i, n := range all {
			if want := "@ada@example.com note " + string(rune('a'+4-i)); n.Body != want {
				t.Fatalf("position %d: %q, want %q (newest first)", i, n.Body, want)
			}
		}
		// Pages of two: 2, 2, 1, with HasNext on all but the last, and back with Before.
		var walked []string
		p := docket.Page{Size: 2}
		for page := 0; ; page++ {
			items, r := must2[*docket.Notification](t)(s.ListNotifications(ctx, docket.NotificationFilter{UserID: ada.ID, Page: p}))
			if len(items) != []int{2, 2, 1}[page] || r.HasNext != (page < 2) || r.HasPrev != (page > 0) {
				t.Fatalf("page %d: %d items, %+v", page, len(items), r)
			}
			for _, n := range items {
				walked = append(walked, n.ID)
			}
			if !r.HasNext {
				break
			}
			p.After = items[len(items)-1].ID
		}
		var ids []string
		for _, n := range all {
			ids = append(ids, n.ID)
		}
		wantStrings(t, "paged ids", walked, ids)
		back, r := must2[*docket.Notification](t)(s.ListNotifications(ctx, docket.NotificationFilter{UserID: ada.ID, Page: docket.Page{Size: 2, Before: ids[4]}}))
		if len(back) != 2 || back[0].ID != ids[2] || back[1].ID != ids[3] || !r.HasPrev {
			t.Fatalf("page before the last: %v %+v", back, r)
		}

		// Read two; the unread filter leaves three.
		clock.Add(time.Minute)
		readAt := clock.Now()
		first := must[*docket.Notification](t)(s.MarkNotificationRead(ctx, ada.ID, ids[0]))
		if first.ReadAt == nil || !first.ReadAt.Equal(readAt) || first.ID != ids[0] {
			t.Fatalf("marked read: %+v", first)
		}
		clock.Add(time.Minute)
		again := must[*docket.Notification](t)(s.MarkNotificationRead(ctx, ada.ID, ids[0]))
		if again.ReadAt == nil || !again.ReadAt.Equal(readAt) {
			t.Fatalf("marking again changed read-at: %v, want %v", again.ReadAt, readAt)
		}
		must[*docket.Notification](t)(s.MarkNotificationRead(ctx, ada.ID, ids[3]))
		unread, _ := must2[*docket.Notification](t)(s.ListNotifications(ctx, docket.NotificationFilter{UserID: ada.ID, UnreadOnly: true, Page: docket.Page{Size: 10}}))
		var unreadIDs []string
		for _, n := range unread {
			unreadIDs = append(unreadIDs, n.ID)
			if n.ReadAt != nil {
				t.Fatalf("unread filter returned a read notification %+v", n)
			}
		}
		wantStrings(t, "unread", unreadIDs, []string{ids[1], ids[2], ids[4]})
		page, r := must2[*docket.Notification](t)(s.ListNotifications(ctx, docket.NotificationFilter{UserID: ada.ID, UnreadOnly: true, Page: docket.Page{Size: 2}}))
		if len(page) != 2 || !r.HasNext || page[0].ID != ids[1] {
			t.Fatalf("unread page of two: %d items %+v", len(page), r)
		}
		listed := userNotifications(t, s, ada.ID)
		if listed[0].ReadAt == nil || !listed[0].ReadAt.Equal(readAt) {
			t.Fatalf("listed read-at %v, want %v", listed[0].ReadAt, readAt)
		}

		// Another user's notification, an unknown one, an unknown user.
		bobs := userNotifications(t, s, bob.ID)
		if len(bobs) != 1 {
			t.Fatalf("bob has %d notifications", len(bobs))
		}
		_, err := s.MarkNotificationRead(ctx, ada.ID, bobs[0].ID)
		wantErr(t, err, docket.ENotFound, "")
		if n := userNotifications(t, s, bob.ID)[0]; n.ReadAt != nil {
			t.Fatalf("ada marked bob's notification read")
		}
		_, err = s.MarkNotificationRead(ctx, ada.ID, docket.NewID(docket.PrefixNotification))
		wantErr(t, err, docket.ENotFound, "")
		_, _, err = s.ListNotifications(ctx, docket.NotificationFilter{UserID: docket.NewID(docket.PrefixUser)})
		wantErr(t, err, docket.ENotFound, "")
		if got, _ := must2[*docket.Notification](t)(s.ListNotifications(ctx, docket.NotificationFilter{UserID: mkUser(t, s, "cy@example.com").ID, UnreadOnly: true})); len(got) != 0 {
			t.Fatalf("a user without notifications lists %d", len(got))
		}
	})
}
