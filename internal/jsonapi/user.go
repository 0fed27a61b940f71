package jsonapi

import "github.com/docket-hq/docket"

// User renders a user. deactivated-at is null for an active user.
func User(u *docket.User) Object {
	return resource("user", u.ID, Object{
		"email-address": u.Email, "name": u.Name, "role": u.Role, "available": u.Available,
		"deactivated-at": tsPtr(u.DeactivatedAt), "created-at": ts(u.CreatedAt), "updated-at": ts(u.UpdatedAt),
	}, nil)
}
