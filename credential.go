package docket

import (
	"context"
	"time"
)

// Credential is a user's password hash. It lives in its own type and table, never on User:
// event snapshots and webhooks marshal users, and a hash must not travel with them.
type Credential struct {
	UserID string
	// PasswordHash is a PHC string: $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>.
	PasswordHash string
	UpdatedAt    time.Time
}

// Session is one signed-in browser. The browser holds a random token; only the token's
// SHA-256 (IDHash) is stored, so a copy of the database signs no one in. Times are set by
// the caller, which owns the session policy (idle and absolute lifetimes).
type Session struct {
	IDHash    string
	UserID    string
	CreatedAt time.Time
	// SeenAt is when the session was last used (updated at most about once a minute);
	// the idle lifetime counts from it.
	SeenAt time.Time
	// ExpiresAt is the absolute end of the session, however active it is.
	ExpiresAt time.Time
}

// Purposes of a one-time password link.
const (
	LinkSignIn = "sign-in" // a new user chooses a first password
	LinkReset  = "reset"   // an existing user chooses a new password
)

// PasswordLink is a one-time link that leads to a set-password form. Only the SHA-256 of
// its token is stored; it expires and works once.
type PasswordLink struct {
	TokenHash string
	UserID    string
	Purpose   string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// CredentialService persists passwords, sessions, one-time links and failed sign-ins.
// It holds no policy: lifetimes and thresholds are decided by internal/auth, which passes
// the times it computed.
type CredentialService interface {
	// SetPassword stores (or replaces) a user's password hash.
	SetPassword(ctx context.Context, userID, hash string) error
	// FindCredential returns a user's credential, or not found if they have no password.
	FindCredential(ctx context.Context, userID string) (*Credential, error)
	// DeleteCredential removes a user's password and ends all their sessions, so that they
	// can no longer sign in and whoever is signed in as them is signed out.
	DeleteCredential(ctx context.Context, userID string) error

	// CreateSession stores a session and records its start as the user's last sign-in.
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with the given token hash and its user.
	FindSession(ctx context.Context, idHash string) (*Session, *User, error)
	// TouchSession records use of a session at seenAt.
	TouchSession(ctx context.Context, idHash string, seenAt time.Time) error
	DeleteSession(ctx context.Context, idHash string) error
	// EndUserSessions signs a user out everywhere.
	EndUserSessions(ctx context.Context, userID string) error
	// DeleteExpiredSessions removes sessions past their absolute end (expiresBefore) or
	// unused since idleBefore, and reports how many it removed.
	DeleteExpiredSessions(ctx context.Context, expiresBefore, idleBefore time.Time) (int64, error)

	// CreatePasswordLink stores a link, replacing the user's earlier unused links.
	CreatePasswordLink(ctx context.Context, l *PasswordLink) error
	// FindPasswordLink returns a link that is unused and unexpired at now.
	FindPasswordLink(ctx context.Context, tokenHash string, now time.Time) (*PasswordLink, error)
	// UsePasswordLink marks a live link used, stores the new password hash and ends the
	// user's sessions, in one transaction; it returns the user's id. A link that is used,
	// expired or unknown is not found.
	UsePasswordLink(ctx context.Context, tokenHash string, now time.Time, passwordHash string) (string, error)

	// RecordSignInFailure notes a failed sign-in at `at` under each key (hashed account
	// and client keys), and forgets failures older than forgetBefore.
	RecordSignInFailure(ctx context.Context, keys []string, at, forgetBefore time.Time) error
	// RecentSignInFailures returns up to limit failure times under key since `since`,
	// newest first.
	RecentSignInFailures(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error)
	// ClearSignInFailures forgets the failures under key (after a successful sign-in).
	ClearSignInFailures(ctx context.Context, key string) error

	// LastSignIns returns when each of the users last signed in (the start of their
	// newest session, recorded by CreateSession); users who never did (since sign-ins were
	// recorded) are missing from the map.
	LastSignIns(ctx context.Context, userIDs []string) (map[string]time.Time, error)
}
