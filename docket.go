// Package docket holds Docket's domain: cases, case templates, users, API keys and events,
// with the rules that govern them. It knows nothing of HTTP or SQL; internal/store persists
// these types and internal/api exposes them as JSON:API resources.
package docket

import (
	"errors"
	"fmt"
	"time"
)

// Error codes that users may see. Anything that is not a *Error is an internal failure
// and is shown as a plain 500.
const (
	EInvalid      = "invalid"      // 422: well-formed input that breaks a rule
	EBadRequest   = "bad_request"  // 400: malformed input
	ENotFound     = "not_found"    // 404
	EConflict     = "conflict"     // 409: uniqueness or stale state
	EUnauthorized = "unauthorized" // 401
	EForbidden    = "forbidden"    // 403
	ERateLimited  = "rate_limited" // 429
	ETooLarge     = "too_large"    // 413
)

// Error is an error a user may see. Pointer is a JSON pointer into the request body
// (/data/attributes/fields/amount); Parameter names a query parameter instead.
type Error struct {
	Code      string
	Message   string
	Pointer   string
	Parameter string
}

func (e *Error) Error() string {
	if e.Pointer != "" {
		return fmt.Sprintf("%s: %s (at %s)", e.Code, e.Message, e.Pointer)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns a user-visible error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a 422-class error pointing at a field of the request body.
func Invalid(pointer, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Message: fmt.Sprintf(format, args...), Pointer: pointer}
}

// NotFound returns a not-found error for the named kind of object.
func NotFound(kind, id string) *Error {
	return &Error{Code: ENotFound, Message: fmt.Sprintf("%s %s not found", kind, id)}
}

// ErrorCode returns the code of the first *Error in err's chain, or "" for internal errors.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Actor types recorded as creator, assigner, resolver and updater of changes.
const (
	ActorUser             = "user"
	ActorAPIKey           = "api-key"
	ActorWorkflowRun      = "workflow-run"
	ActorAssignmentPolicy = "case-assignment-policy"
	ActorSystem           = "system"
)

// Actor is who made a change: a user, an API key, a workflow run or a policy.
type Actor struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// Time truncates t to the millisecond precision that Docket stores and shows, in UTC.
func Time(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// Page asks for one page of a list: newest first, after or before a cursor id.
type Page struct {
	Size   int
	After  string
	Before string
}

// MaxPageSize bounds every list so that no request can ask the database for everything.
const MaxPageSize = 100

// DefaultPageSize is used when a list request names no size.
const DefaultPageSize = 10

// PageResult tells whether more items exist beyond the returned page in each direction.
type PageResult struct {
	HasNext bool
	HasPrev bool
}
