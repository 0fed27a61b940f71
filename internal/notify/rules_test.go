package notify_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

// These tests drive the notification rules (HandleEvents) through the store's write
// methods, as a request would, on a store opened with every handler registered.

var (
	ctx       = context.Background()
	userActor = docket.Actor{Type: docket.ActorUser, ID: "user_test"}
	apiActor  = docket.Actor{Type: docket.ActorAPIKey, ID: "api_test"}
)

func openStore(t testing.TB, dbURL string) *store.Store {
	t.Helper()
	s, err := worker.OpenStore(ctx, dbURL)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		noErr(t, err)
		return v
	}
}

func caseOK(t testing.TB) func(*docket.Case, error) *docket.Case { return must[*docket.Case](t) }

func wantErr(t testing.TB, err error, code, field string) {
	t.Helper()
	var e *docket.Error
	if !errors.As(err, &e) || e.Code != code || e.Field != field {
		t.Fatalf("want *docket.Error %q at %q, got %T %v", code, field, err, err)
	}
}

func wantStrings(t testing.TB, what string, got, want []string) {
	t.Helper()
	if len(got)+len(want) > 0 && !slices.Equal(got, want) {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
}

func mkTemplate(t testing.TB, s *store.Store, tm *docket.CaseTemplate) *docket.CaseTemplate {
	t.Helper()
	noErr(t, s.CreateTemplate(ctx, apiActor, tm))
	return tm
}

func mkUser(t testing.TB, s *store.Store, email string) *docket.User {
	t.Helper()
	u := &docket.User{Email: email, Name: strings.Split(email, "@")[0], Role: "reviewer"}
	noErr(t, s.CreateUser(ctx, apiActor, u))
	return u
}

func mkCase(t testing.TB, s *store.Store, nc docket.NewCase) *docket.Case {
	t.Helper()
	return caseOK(t)(s.CreateCase(ctx, apiActor, nc))
}

// eventNames returns the sorted names of the events about one object.
func eventNames(t testing.TB, s *store.Store, objectID string) []string {
	t.Helper()
	events, _ := must2[*docket.Event](t)(s.ListEvents(ctx, docket.EventFilter{ObjectID: objectID, Page: docket.Page{Size: docket.MaxPageSize}}))
	var names []string
	for _, e := range events {
		names = append(names, e.Name)
	}
	sort.Strings(names)
	return names
}

func must2[T any](t testing.TB) func([]T, docket.PageResult, error) ([]T, docket.PageResult) {
	return func(v []T, r docket.PageResult, err error) ([]T, docket.PageResult) {
		t.Helper()
		noErr(t, err)
		return v, r
	}
}

// userNotifications returns every notification of a user, newest first.
func userNotifications(t testing.TB, s *store.Store, userID string) []*docket.Notification {
	t.Helper()
	list, _ := must2[*docket.Notification](t)(s.ListNotifications(ctx, docket.NotificationFilter{UserID: userID, Page: docket.Page{Size: docket.MaxPageSize}}))
	return list
}

// notificationRow is one row of the notifications table.
type notificationRow struct {
	ID, UserID, Email, Kind, CaseID, Body string
}

// notificationRows returns every notification of the database, oldest first, including
// those to addresses of no user (which no user's list shows).
func notificationRows(t testing.TB, dbURL string) []notificationRow {
	t.Helper()
	rows, err := storetest.RawDB(t, dbURL).Query(`SELECT id, COALESCE(user_id, ''), email, kind, case_id, body FROM notifications ORDER BY id`)
	noErr(t, err)
	defer rows.Close()
	var out []notificationRow
	for rows.Next() {
		var r notificationRow
		noErr(t, rows.Scan(&r.ID, &r.UserID, &r.Email, &r.Kind, &r.CaseID, &r.Body))
		out = append(out, r)
	}
	noErr(t, rows.Err())
	return out
}

func notificationCount(t testing.TB, dbURL string) int { return len(notificationRows(t, dbURL)) }

// emailJobs returns the notification ids of the queued send_email jobs, sorted.
func emailJobs(t testing.TB, dbURL string) []string {
	t.Helper()
	var out []string
	for _, a := range storetest.JobArgs[struct {
		NotificationID string `json:"notification_id"`
	}](t, dbURL, "send_email") {
		out = append(out, a.NotificationID)
	}
	slices.Sort(out)
	return out
}

// wantOneJobEach fails unless every notification has exactly one send_email job.
func wantOneJobEach(t testing.TB, dbURL string) {
	t.Helper()
	var ids []string
	for _, r := range notificationRows(t, dbURL) {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	wantStrings(t, "send_email jobs", emailJobs(t, dbURL), ids)
}

// TestNotifyCaseCreated: the template's notification-policy addresses are told of a new
// case, each once; the one that belongs to a user is linked to them.
func TestNotifyCaseCreated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		ops := mkUser(t, s, "ops@example.com")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC",
			NotificationPolicy: docket.NotificationPolicy{Emails: []string{"Ops@Example.com", "outside@example.org"}}})
		other := mkTemplate(t, s, &docket.CaseTemplate{Name: "Quiet", Key: "Q"})
		mkCase(t, s, docket.NewCase{TemplateID: other.ID})
		if n := notificationCount(t, dbURL); n != 0 {
			t.Fatalf("a template without a notification policy made %d notifications", n)
		}

		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		rows := notificationRows(t, dbURL)
		if len(rows) != 2 {
			t.Fatalf("%d notifications, want 2: %+v", len(rows), rows)
		}
		byEmail := map[string]notificationRow{}
		for _, r := range rows {
			byEmail[strings.ToLower(r.Email)] = r
			if r.Kind != docket.NotifyCaseCreated || r.CaseID != c.ID {
				t.Fatalf("notification %+v", r)
			}
		}
		if r := byEmail["ops@example.com"]; r.UserID != ops.ID {
			t.Fatalf("the user's notification has user %q, want %s", r.UserID, ops.ID)
		}
		if r, ok := byEmail["outside@example.org"]; !ok || r.UserID != "" {
			t.Fatalf("the outside address: %+v (present %v), want no user", r, ok)
		}
		wantOneJobEach(t, dbURL)

		list := userNotifications(t, s, ops.ID)
		if len(list) != 1 {
			t.Fatalf("ops sees %d notifications, want 1", len(list))
		}
		n := list[0]
		if n.Subject != "[Docket] New case "+c.Name || !strings.Contains(n.Body, c.Name) || !strings.Contains(n.Body, "KYC review") ||
			n.UserID == nil || *n.UserID != ops.ID || n.ReadAt != nil || n.EmailedAt != nil {
			t.Fatalf("notification %+v", n)
		}
		found := must[*docket.Notification](t)(s.FindNotification(ctx, n.ID))
		if found.ID != n.ID || found.Subject != n.Subject || !found.CreatedAt.Equal(n.CreatedAt) {
			t.Fatalf("FindNotification %+v, listed %+v", found, n)
		}
		_, err := s.FindNotification(ctx, docket.NewID(docket.PrefixNotification))
		wantErr(t, err, docket.ENotFound, "")
	})
}

// availableUser creates a user that assignment policies may pick.
func availableUser(t testing.TB, s *store.Store, email string) *docket.User {
	t.Helper()
	u := &docket.User{Email: email, Role: "reviewer", Available: true}
	noErr(t, s.CreateUser(ctx, apiActor, u))
	return u
}

// TestNotifyAssigned: the assignee is told, whether a person assigns the case or the
// template's round-robin policy does; unassigning and assigning to the same user again tell
// nobody.
func TestNotifyAssigned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		ada, bob := availableUser(t, s, "ada@example.com"), availableUser(t, s, "bob@example.com")
		manual := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: manual.ID})
		if n := notificationCount(t, dbURL); n != 0 {
			t.Fatalf("a new unassigned case made %d notifications", n)
		}
		caseOK(t)(s.AssignCase(ctx, userActor, c.ID, "ADA@example.com"))
		caseOK(t)(s.AssignCase(ctx, userActor, c.ID, "ada@example.com")) // no change
		caseOK(t)(s.AssignCase(ctx, userActor, c.ID, "bob@example.com"))
		caseOK(t)(s.AssignCase(ctx, userActor, c.ID, "")) // unassign
		wantAssigned := func(u *docket.User, caseIDs ...string) {
			t.Helper()
			var got []string
			for _, n := range userNotifications(t, s, u.ID) {
				if n.Kind != docket.NotifyCaseAssigned || n.Email != u.Email || !strings.HasSuffix(n.Subject, " is assigned to you") {
					t.Fatalf("%s: notification %+v", u.Email, n)
				}
				got = append(got, n.CaseID)
			}
			slices.Sort(got)
			slices.Sort(caseIDs)
			wantStrings(t, u.Email+" assigned cases", got, caseIDs)
		}
		wantAssigned(ada, c.ID)
		wantAssigned(bob, c.ID)

		rr := mkTemplate(t, s, &docket.CaseTemplate{Name: "Alerts", Key: "AML",
			AssignmentPolicy: docket.AssignmentPolicy{Type: docket.AssignRoundRobin, UserIDs: []string{ada.ID, bob.ID}}})
		var ids []string
		for range 4 {
			x := mkCase(t, s, docket.NewCase{TemplateID: rr.ID})
			if x.AssigneeID == nil {
				t.Fatalf("round robin left %s unassigned", x.Name)
			}
			ids = append(ids, x.ID)
			if names := eventNames(t, s, x.ID); !slices.Equal(names, []string{"case.assigned", "case.created"}) {
				t.Fatalf("events of %s: %v", x.Name, names)
			}
		}
		wantAssigned(ada, c.ID, ids[0], ids[2])
		wantAssigned(bob, c.ID, ids[1], ids[3])
		wantOneJobEach(t, dbURL)
		if n := notificationCount(t, dbURL); n != 6 {
			t.Fatalf("%d notifications, want 6", n)
		}
	})
}

// TestNotifyMentions: a comment notifies the users it @mentions, each once; addresses of
// nobody are ignored.
func TestNotifyMentions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		ada := mkUser(t, s, "ada@example.com")
		bob := mkUser(t, s, "bob@example.com")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})

		body := "@ADA@example.com please look, and @stranger@example.org too. cc @ada@example.com; mail bob@example.com"
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, body))
		rows := notificationRows(t, dbURL)
		if len(rows) != 1 {
			t.Fatalf("%d notifications, want 1 (ada only): %+v", len(rows), rows)
		}
		r := rows[0]
		if r.UserID != ada.ID || r.Email != "ada@example.com" || r.Kind != docket.NotifyMention || r.CaseID != c.ID || r.Body != body {
			t.Fatalf("mention notification %+v", r)
		}
		list := userNotifications(t, s, ada.ID)
		if len(list) != 1 || list[0].Subject != "[Docket] You were mentioned on "+c.Name {
			t.Fatalf("ada's notifications %+v", list)
		}
		if list := userNotifications(t, s, bob.ID); len(list) != 0 {
			t.Fatalf("bob, named without @, got %+v", list)
		}
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, "nobody here, and @nobody@example.net"))
		if n := notificationCount(t, dbURL); n != 1 {
			t.Fatalf("a comment mentioning no user made notifications: %d in all", n)
		}
		wantOneJobEach(t, dbURL)
	})
}

// TestNotifyMentionLongComment: a long comment's notification body is cut at 1,000 bytes
// without splitting a character (PostgreSQL refuses invalid UTF-8, which would fail the
// comment itself).
func TestNotifyMentionLongComment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		ada := mkUser(t, s, "ada@example.com")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		// "@ada@example.com " is 17 bytes, so the 1,000th byte is the first half of an "é".
		body := "@ada@example.com " + strings.Repeat("é", 600)
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, body))
		list := userNotifications(t, s, ada.ID)
		if len(list) != 1 {
			t.Fatalf("%d notifications, want 1", len(list))
		}
		got := list[0].Body
		if !utf8.ValidString(got) || !strings.HasSuffix(got, "...") || len(got) > 1003 || !strings.HasPrefix(body, strings.TrimSuffix(got, "...")) {
			t.Fatalf("truncated body (%d bytes, valid UTF-8 %v): %q", len(got), utf8.ValidString(got), got)
		}
		short := "@ada@example.com " + strings.Repeat("x", 983) // exactly 1,000 bytes: kept whole
		must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, short))
		if list := userNotifications(t, s, ada.ID); len(list) != 2 || list[0].Body != short {
			t.Fatalf("a 1,000-byte comment was changed: %q", list[0].Body)
		}
	})
}

// TestNotifyManyAddresses: one change may notify more addresses than one SQL statement
// takes parameters (SQLite: 32,766; PostgreSQL: 65,535, 8 per notification). Burst case
// creation hits this with far fewer addresses per template: 256 cases of a batch with 16
// addresses each are 4,096 notifications written together.
func TestNotifyManyAddresses(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		n := 4100 // over SQLite's limit
		if s.Postgres() {
			n = 8200 // over PostgreSQL's
		}
		emails := make([]string, n)
		for i := range emails {
			emails[i] = fmt.Sprintf("ops%d@example.com", i)
		}
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "Broadcast", Key: "B", NotificationPolicy: docket.NotificationPolicy{Emails: emails}})
		mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		if n := notificationCount(t, dbURL); n != len(emails) {
			t.Fatalf("%d notifications, want %d", n, len(emails))
		}
		if n := len(emailJobs(t, dbURL)); n != len(emails) {
			t.Fatalf("%d email jobs, want %d", n, len(emails))
		}
	})
}
