package docket

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Scopes an API key may hold. ScopeAll grants every scope.
const (
	ScopeAll           = "*"
	ScopeCaseRead      = "case.read"
	ScopeCaseWrite     = "case.write"
	ScopeTemplateRead  = "case_template.read"
	ScopeTemplateWrite = "case_template.write"
	ScopeUserRead      = "user.read"
	ScopeUserWrite     = "user.write"
	ScopeEventRead     = "event.read"
	ScopeObjectRead    = "object.read"
	ScopeObjectWrite   = "object.write"
	ScopeWebhookWrite  = "webhook.write"
	ScopeWorkflowRead  = "workflow.read"
	ScopeWorkflowWrite = "workflow.write"
	ScopeSARFile       = "sar.file"
	ScopeAPIKeyWrite   = "api_key.write"
	ScopeAuditRead     = "audit.read"
	// ScopeIdentifierRead lets a key read identifiers in full (PermReadIdentifiers).
	ScopeIdentifierRead = "identifier.read"
	// ScopeAnalyticsRead grants the analytics figures: counts and times over every case
	// the key may see, without any case's data.
	ScopeAnalyticsRead = "analytics.read"
)

// Scopes lists every scope, for validation and documentation.
var Scopes = []string{ScopeAll, ScopeCaseRead, ScopeCaseWrite, ScopeTemplateRead, ScopeTemplateWrite,
	ScopeUserRead, ScopeUserWrite, ScopeEventRead, ScopeObjectRead, ScopeObjectWrite, ScopeWebhookWrite,
	ScopeWorkflowRead, ScopeWorkflowWrite, ScopeSARFile, ScopeAPIKeyWrite, ScopeAuditRead, ScopeIdentifierRead, ScopeAnalyticsRead}

// APIKey authenticates API requests. Only a hash of its secret is stored. A key may
// belong to a user (UserID): it then acts with the lesser of its scopes and the user's
// role, sees only the cases the user may see, and stops working when the user is gone
// or deactivated.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	UserID     *string    `json:"user-id"`
	SecretHash string     `json:"-"`
	CreatedAt  time.Time  `json:"created-at"`
	RevokedAt  *time.Time `json:"revoked-at"`
	// ExpiresAt, when set, is when the key stops working (refused like a revoked key).
	ExpiresAt *time.Time `json:"expires-at"`
	// LastUsedAt is when the key last authenticated a request, to within
	// APIKeyTouchEvery (see there).
	LastUsedAt *time.Time `json:"last-used-at"`
}

// APIKeyTouchEvery bounds how often a key's LastUsedAt is written: a key used a
// hundred times a second would otherwise cost a hundred writes a second (and on SQLite
// hold its one writer), to keep a value people read to the minute.
const APIKeyTouchEvery = time.Minute

// Expired reports whether the key has expired at now.
func (k *APIKey) Expired(now time.Time) bool {
	return k.ExpiresAt != nil && !now.Before(*k.ExpiresAt)
}

// NeedsTouch reports whether a request at now should record the key's use: it has never
// been recorded, or not for APIKeyTouchEvery.
func (k *APIKey) NeedsTouch(now time.Time) bool {
	return k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= APIKeyTouchEvery
}

// NewAPIKey is what a new key is made of, whoever asks for it: the API, the dashboard
// or the command line.
type NewAPIKey struct {
	Name   string
	Scopes []string
	// UserID, when set, makes the key belong to that user: it acts with the lesser of
	// its scopes and the user's role.
	UserID *string
	// ExpiresAt, when set, must be in the future.
	ExpiresAt *time.Time
}

// Validate checks a new key's attributes at now.
func (n *NewAPIKey) Validate(now time.Time) error {
	n.Name = strings.TrimSpace(n.Name)
	switch {
	case n.Name == "":
		return Invalid("name", "a name is required (say what will use the key)")
	case len(n.Name) > 200:
		return Invalid("name", "name must be at most 200 characters")
	}
	if err := ValidateScopes(n.Scopes); err != nil {
		return err
	}
	if n.ExpiresAt != nil && !n.ExpiresAt.After(now) {
		return Invalid("expires-at", "the expiry must be in the future")
	}
	return nil
}

// Allows reports whether the key holds the scope.
func (k *APIKey) Allows(scope string) bool {
	for _, s := range k.Scopes {
		if s == ScopeAll || s == scope {
			return true
		}
	}
	return false
}

// NewAPIKeySecret returns a fresh secret: "docket_" and 40 base62 characters (238 bits).
func NewAPIKeySecret() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 40)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random: %v", err))
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return "docket_" + string(b)
}

// HashAPIKeySecret hashes a secret for storage and lookup. Secrets are long and random,
// so a fast hash is safe here (unlike passwords, which use argon2id).
func HashAPIKeySecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ValidateScopes checks scope names.
func ValidateScopes(scopes []string) error {
	if len(scopes) == 0 {
		return Invalid("scopes", "at least one scope is required")
	}
	for i, s := range scopes {
		if !contains(Scopes, s) {
			return Invalid(FieldIndex("scopes", i), "unknown scope %q (one of %s)", s, strings.Join(Scopes, ", "))
		}
	}
	return nil
}

// ParseAPIKeyExpiry reads an expiry as given by a person or a client: "" is none, an RFC
// 3339 time is that instant, and a date (2026-06-30) means the key works through that
// day, UTC (it expires at the next midnight).
func ParseAPIKeyExpiry(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		t = Time(t)
		return &t, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, Invalid("expires-at", "the expiry must be a date like 2026-06-30 or an RFC 3339 time like 2026-06-30T12:00:00Z")
	}
	d = d.AddDate(0, 0, 1)
	return &d, nil
}

// APIKeyService manages API keys.
type APIKeyService interface {
	// IssueAPIKey validates and stores a new key for the given secret (only its hash is
	// kept). A key for a user that does not exist is refused on user-id.
	IssueAPIKey(ctx context.Context, n NewAPIKey, secret string) (*APIKey, error)
	// FindAPIKey returns one key by id, revoked and expired ones too.
	FindAPIKey(ctx context.Context, id string) (*APIKey, error)
	// TouchAPIKey records that the key was used at `at`, unless a use within
	// APIKeyTouchEvery before it is already recorded (so that processes racing to touch
	// a key write once).
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
	// CreateAPIKey stores a key that belongs to nobody for the given secret (hashed).
	CreateAPIKey(ctx context.Context, name string, scopes []string, secret string) (*APIKey, error)
	// CreateUserAPIKey stores a key that belongs to the user with id userID: it acts
	// with the lesser of its scopes and the user's role.
	CreateUserAPIKey(ctx context.Context, userID, name string, scopes []string, secret string) (*APIKey, error)
	// FindAPIKeyBySecret returns the live key for a secret (not revoked, not expired);
	// the caller loads its user.
	FindAPIKeyBySecret(ctx context.Context, secret string) (*APIKey, error)
	RevokeAPIKeys(ctx context.Context, name string) error
	// ListAPIKeys returns every key, revoked ones too, oldest first.
	ListAPIKeys(ctx context.Context) ([]*APIKey, error)
	// ListAPIKeysPage returns a page of keys, revoked and expired ones too, newest first.
	ListAPIKeysPage(ctx context.Context, p Page) ([]*APIKey, PageResult, error)
	// RevokeAPIKey revokes one key by id; its next request is refused everywhere.
	RevokeAPIKey(ctx context.Context, id string) (*APIKey, error)
}
