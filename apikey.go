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
)

// Scopes lists every scope, for validation and documentation.
var Scopes = []string{ScopeAll, ScopeCaseRead, ScopeCaseWrite, ScopeTemplateRead, ScopeTemplateWrite,
	ScopeUserRead, ScopeUserWrite, ScopeEventRead, ScopeObjectRead, ScopeObjectWrite, ScopeWebhookWrite,
	ScopeWorkflowRead, ScopeWorkflowWrite, ScopeSARFile, ScopeAPIKeyWrite, ScopeAuditRead}

// APIKey authenticates API requests. Only a hash of its secret is stored. A key may
// belong to a user (UserID): it then acts with the lesser of its scopes and the user's
// role, sees only the cases the user may see, and stops working when the user is gone.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	UserID     *string    `json:"user-id"`
	SecretHash string     `json:"-"`
	CreatedAt  time.Time  `json:"created-at"`
	RevokedAt  *time.Time `json:"revoked-at"`
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

// APIKeyService manages API keys.
type APIKeyService interface {
	// CreateAPIKey stores a key that belongs to nobody for the given secret (hashed).
	CreateAPIKey(ctx context.Context, name string, scopes []string, secret string) (*APIKey, error)
	// CreateUserAPIKey stores a key that belongs to the user with id userID: it acts
	// with the lesser of its scopes and the user's role.
	CreateUserAPIKey(ctx context.Context, userID, name string, scopes []string, secret string) (*APIKey, error)
	// FindAPIKeyBySecret returns the live key for a secret; the caller loads its user.
	FindAPIKeyBySecret(ctx context.Context, secret string) (*APIKey, error)
	RevokeAPIKeys(ctx context.Context, name string) error
	// ListAPIKeys returns every key, revoked ones too, oldest first.
	ListAPIKeys(ctx context.Context) ([]*APIKey, error)
	// RevokeAPIKey revokes one key by id; its next request is refused everywhere.
	RevokeAPIKey(ctx context.Context, id string) (*APIKey, error)
}
