package docket

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Notification kinds.
const (
	NotifyCaseCreated  = "case-created"
	NotifyCaseAssigned = "case-assigned"
	NotifySLAExpired   = "case-sla-expired"
	NotifyMention      = "comment-mention"
	// NotifyWorkflowEmail is a send-email workflow action's mail.
	NotifyWorkflowEmail = "workflow-email"
)

// EventCaseSLAExpired is written once when a case passes its SLA deadline unresolved.
const EventCaseSLAExpired = "case.sla-expired"

// PrefixNotification starts notification ids.
const PrefixNotification = "ntf"

// Notification tells one person about a case: it is kept for the user (when the address
// belongs to one) and sent by email.
type Notification struct {
	ID        string     `json:"id"`
	UserID    *string    `json:"user-id"`
	Email     string     `json:"email-address"`
	Kind      string     `json:"kind"`
	CaseID    string     `json:"case-id"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created-at"`
	ReadAt    *time.Time `json:"read-at"`
	EmailedAt *time.Time `json:"emailed-at"`
}

var mentionRe = regexp.MustCompile(`(?:^|[^\w.+-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})`)

// Mentions returns the email addresses mentioned as @email in a comment, lower-cased
// and without repeats.
func Mentions(body string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range mentionRe.FindAllStringSubmatch(body, -1) {
		e := NormalizeEmail(strings.TrimRight(m[1], "."))
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// NotificationFilter selects a user's notifications.
type NotificationFilter struct {
	UserID     string
	UnreadOnly bool
	// Visibility leaves out notifications about cases the reader may not see. Docket
	// does not notify anyone about such a case, but a template re-scoped later would
	// otherwise leave its cases' names in inboxes that may no longer see them.
	Visibility Visibility
	Page       Page
}

// NotificationService reads and acknowledges notifications.
type NotificationService interface {
	// ListNotifications returns a page of the user's notifications, newest first.
	ListNotifications(ctx context.Context, f NotificationFilter) ([]*Notification, PageResult, error)
	// CountUnreadNotifications counts the user's unread notifications that vis does not
	// hide, stopping at limit: the badge on every dashboard page says "99+" rather than
	// read a long backlog.
	CountUnreadNotifications(ctx context.Context, userID string, vis Visibility, limit int) (int, error)
	MarkNotificationRead(ctx context.Context, userID, id string) (*Notification, error)
	// MarkAllNotificationsRead marks the user's unread notifications read, those that vis
	// does not hide, and returns how many it marked. A non-empty upTo (a notification id)
	// limits it to that notification and older ones, so that "mark all read" on a page
	// does not also mark one that arrived after the page was shown.
	MarkAllNotificationsRead(ctx context.Context, userID, upTo string, vis Visibility) (int, error)
}
