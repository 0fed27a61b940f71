package docket

import (
	"context"
	"time"
)

// Account is the customer's record of one end user, keyed by their own reference id.
type Account struct {
	ID          string         `json:"id"`
	ReferenceID *string        `json:"reference-id"`
	Fields      map[string]any `json:"fields"`
	Tags        []string       `json:"tags"`
	// Identity is who the account's person is (names, birthdate, address,
	// identifiers); see Identity for who sees identifiers in full.
	Identity   Identity   `json:"identity"`
	CreatedAt  time.Time  `json:"created-at"`
	UpdatedAt  time.Time  `json:"updated-at"`
	RedactedAt *time.Time `json:"redacted-at"`
}

// MaxReferenceID bounds a reference id.
const MaxReferenceID = 255

// AccountUpdate holds what a PATCH may change.
type AccountUpdate struct {
	ReferenceID **string
	Fields      map[string]any
	Tags        *[]string
	Identity    IdentityUpdate
}

// Snapshot is the copy of the account that events keep: its identifiers masked, since
// events travel (webhooks, exports, workflow triggers) and are hashed into the chain,
// where a full identifier would spread to every reader of events.
func (a *Account) Snapshot() *Account {
	c := *a
	c.Identity = a.Identity.Masked()
	return &c
}

// AccountFilter narrows an account list.
type AccountFilter struct {
	ReferenceID string
	Page        Page
}

// AccountService manages accounts.
type AccountService interface {
	CreateAccount(ctx context.Context, actor Actor, a *Account) error
	FindAccount(ctx context.Context, id string) (*Account, error)
	FindAccounts(ctx context.Context, ids []string) ([]*Account, error)
	ListAccounts(ctx context.Context, f AccountFilter) ([]*Account, PageResult, error)
	UpdateAccount(ctx context.Context, actor Actor, id string, u AccountUpdate) (*Account, error)
	RedactAccount(ctx context.Context, actor Actor, id string) (*Account, error)
}
