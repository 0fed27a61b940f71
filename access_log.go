package docket

import (
	"context"
	"time"
)

// Sources of access log entries: the API (requests made with API keys, or trying to be)
// and the dashboard (people signed in, or signing in).
const (
	AccessSourceAPI       = "api"
	AccessSourceDashboard = "dashboard"
)

// DefaultAuditRetention is how long access log entries are kept unless configured
// (DOCKET_AUDIT_RETENTION): 400 days covers a yearly examination with a margin.
const DefaultAuditRetention = 400 * 24 * time.Hour

// AccessLogEntry records one HTTP request: who made it, from where, to which route and
// objects, and how it ended. It holds ids and the route pattern only, never a request
// body, a query string or a raw path, so that it holds no personal data: redacting an
// object leaves its entries as they are (an id says nothing about the person), and "who
// opened this case" stays answerable after the case's data is erased.
type AccessLogEntry struct {
	// ID is the request id, sent back as the Request-Id response header. Request ids
	// are time-ordered, so entries page newest first by id.
	ID     string
	Source string
	// Actor is who made the request (Principal.Actor: the API key for a request made
	// with a key, the user for a dashboard session); nil when nobody authenticated.
	Actor *Actor
	// UserID is the person behind the request: the dashboard user, or the user an API
	// key belongs to. Empty for keys without a user and for anonymous requests.
	UserID string
	// ClientAddr is the client's address, X-Forwarded-For believed only through trusted
	// proxies (DOCKET_TRUSTED_PROXIES).
	ClientAddr string
	Method     string
	// Route is the pattern that served the request ("/api/v1/cases/{id}"), not the path.
	Route string
	// ObjectIDs are the Docket ids in the path (the case of /cases/{id}, ...).
	ObjectIDs []string
	Status    int
	Duration  time.Duration
	CreatedAt time.Time
}

// AccessLogFilter narrows an access log list. Source is required.
type AccessLogFilter struct {
	Source string
	// ActorID keeps the requests of one actor. A user id also keeps the requests made
	// with API keys that belong to that user.
	ActorID string
	// ObjectID keeps the requests that named the object in their path: who opened this
	// case.
	ObjectID string
	// CreatedAtStart (inclusive) and CreatedAtEnd (exclusive) bound the request time.
	CreatedAtStart, CreatedAtEnd *time.Time
	Method                       string
	Route                        string
	Page                         Page
}

// AccessLogService reads the access log.
type AccessLogService interface {
	ListAccessLog(ctx context.Context, f AccessLogFilter) ([]*AccessLogEntry, PageResult, error)
}
