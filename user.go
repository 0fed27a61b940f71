package docket

import (
	"context"
	"strings"
	"time"
)

// User is a person who can be assigned cases.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email-address"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	Available bool      `json:"available"`
	CreatedAt time.Time `json:"created-at"`
	UpdatedAt time.Time `json:"updated-at"`
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
}
