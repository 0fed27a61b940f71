package jsonapi

import "github.com/docket-hq/docket"

// Notification renders a notification to a user about a case.
func Notification(n *docket.Notification) Object {
	return resource("notification", n.ID, Object{
		"kind": n.Kind, "email-address": n.Email, "subject": n.Subject, "body": n.Body,
		"created-at": ts(n.CreatedAt), "read-at": tsPtr(n.ReadAt), "emailed-at": tsPtr(n.EmailedAt),
	}, Object{"user": one("user", n.UserID), "case": one("case", &n.CaseID)})
}
