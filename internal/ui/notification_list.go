package ui

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// noteRow is a notification as a line of the inbox.
type noteRow struct {
	ID, Subject, Kind, CaseID string
	// Body is the text worth reading beside the subject (a mention's comment), shortened.
	Body    string
	Created when
	Unread  bool
}

// notesData is the inbox: a page of notifications, newest first.
type notesData struct {
	Notes []noteRow
	// UnreadOnly is the "Unread" tab; Unread counts them (capped like the badge).
	UnreadOnly bool
	Unread     string
	HasUnread  bool
	// UpTo is the newest notification shown on the first page: "Mark all read" marks it
	// and older ones, not one that arrived after the page was shown ("" hides the button).
	UpTo          string
	After, Before string
	// Here is this page's address, where marking one read comes back to.
	Here    string
	CanMark bool
}

// notesPage is how many notifications the inbox lists at once.
const notesPage = 50

// noteBodyRunes bounds the text shown under a notification's subject.
const noteBodyRunes = 300

var noteKinds = map[string]string{
	docket.NotifyCaseCreated:        "New case",
	docket.NotifyCaseAssigned:       "Assigned to you",
	docket.NotifySLAExpired:         "SLA breached",
	docket.NotifyMention:            "Mentioned",
	docket.NotifyResolutionProposed: "Awaits your confirmation",
	docket.NotifyWorkflowEmail:      "Workflow message",
}

func (h *Handler) noteRows(list []*docket.Notification) []noteRow {
	now := h.auth.Config().Now()
	rows := make([]noteRow, len(list))
	for i, n := range list {
		rows[i] = noteRow{ID: n.ID, Subject: strings.TrimPrefix(n.Subject, "[Docket] "), Kind: or(noteKinds[n.Kind], n.Kind),
			CaseID: n.CaseID, Created: whenOf(now, n.CreatedAt), Unread: n.ReadAt == nil}
		// Other kinds' bodies only repeat the subject in a sentence.
		if n.Kind == docket.NotifyMention || n.Kind == docket.NotifyWorkflowEmail {
			rows[i].Body = shorten(n.Body, noteBodyRunes)
		}
	}
	return rows
}

// shorten cuts s to at most n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// badgeText writes an unread count as the badge does: "99+" beyond 99.
func badgeText(n int) string {
	if n >= badgeLimit {
		return "99+"
	}
	return grouped(n)
}

// notificationList is the inbox: the signed-in user's notifications, newest first, with
// the unread ones marked and an "Unread" tab.
func (h *Handler) notificationList(w http.ResponseWriter, r *http.Request) error {
	u := auth.UserFrom(r.Context())
	a, err := h.access(r)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermReadNotifications) {
		return docket.Errorf(docket.EForbidden, "%s", a.P.Refusal(docket.PermReadNotifications))
	}
	p, err := pageParams(r, docket.PrefixNotification, notesPage)
	if err != nil {
		return err
	}
	d := notesData{UnreadOnly: r.URL.Query().Get("unread") == "1", Here: r.URL.RequestURI(), CanMark: a.P.Can(docket.PermMarkNotifications)}
	list, pr, err := h.store.ListNotifications(r.Context(), docket.NotificationFilter{UserID: u.ID, UnreadOnly: d.UnreadOnly, Visibility: a.Vis, Page: p})
	if err != nil {
		return err
	}
	n, err := h.store.CountUnreadNotifications(r.Context(), u.ID, a.Vis, badgeLimit)
	if err != nil {
		return err
	}
	d.Notes, d.Unread, d.HasUnread = h.noteRows(list), badgeText(n), n > 0
	if len(list) > 0 {
		if pr.HasNext {
			d.After = list[len(list)-1].ID
		}
		if pr.HasPrev {
			d.Before = list[0].ID
		}
		if p.After == "" && p.Before == "" && n > 0 {
			d.UpTo = list[0].ID
		}
	}
	return h.render(w, r, http.StatusOK, "notifications", &View{Title: "Notifications", Nav: "notifications", Data: d})
}
