package docket

import (
	"context"
	"strings"
	"time"
)

// User is a person who can be assigned cases.
type User struct {
	ID        string `json:"id"`
	Email     string `json:"email-address"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Available bool   `json:"available"`
	// DeactivatedAt is set while the user is deactivated: they cannot sign in, their
	// sessions have ended, API keys that belong to them are refused and they get no new
	// cases. The user stays (history keeps their name); reactivating clears it.
	DeactivatedAt *time.Time `json:"deactivated-at"`
	CreatedAt     time.Time  `json:"created-at"`
	UpdatedAt     time.Time  `json:"updated-at"`
}

// Active reports whether the user is not deactivated.
func (u *User) Active() bool { return u.DeactivatedAt == nil }

// CheckAssignable refuses giving a case to a deactivated user. field names the input
// that named the assignee (its email address), so that the message appears beside it.
func (u *User) CheckAssignable(field string) error {
	if !u.Active() {
		return Invalid(field, "%s is deactivated: cases cannot be assigned to them (an admin can reactivate them)", u.Email)
	}
	return nil
}

// CheckDeactivation refuses a person deactivating themselves (directly, or with an API
// key that belongs to them): they would lock themselves out at once, and an admin who
// leaves should be deactivated by another admin.
func CheckDeactivation(p Principal, userID string) error {
	if p.User != nil && p.User.ID == userID {
		return Errorf(EInvalid, "you cannot deactivate yourself: ask another admin")
	}
	return nil
}

// NormalizeEmail lower-cases and trims an address so that lookups are case-insensitive.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks a user's attributes.
func (u *User) Validate() error {
	if !ValidEmail(u.Email) {
		return Invalid("email-address", "a valid email address is required")
	}
	if len(u.Name) > 200 {
		return Invalid("name", "name must be at most 200 characters")
	}
	if !contains(Roles, u.Role) {
		return Invalid("role", "role must be one of admin, manager, reviewer, viewer")
	}
	return nil
}

// UserUpdate holds what a PATCH may change.
type UserUpdate struct {
	Name      *string
	Role      *string
	Available *bool
}

// UserService manages users.
type UserService interface {
	CreateUser(ctx context.Context, actor Actor, u *User) error
	FindUser(ctx context.Context, id string) (*User, error)
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	ListUsers(ctx context.Context, p Page) ([]*User, PageResult, error)
	UpdateUser(ctx context.Context, actor Actor, id string, u UserUpdate) (*User, error)
	// DeactivateUser deactivates a user and, in the same transaction, ends their
	// sessions and spends their unused password links, recording user.deactivated.
	// Deactivating a deactivated user changes nothing.
	DeactivateUser(ctx context.Context, actor Actor, id string) (*User, error)
	// ReactivateUser lets a deactivated user sign in and be assigned cases again
	// (user.reactivated); their password and API keys work again. Reactivating an
	// active user changes nothing.
	ReactivateUser(ctx context.Context, actor Actor, id string) (*User, error)
}
