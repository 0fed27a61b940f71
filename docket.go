// Package docket holds Docket's domain: cases, case templates, users, API keys and events,
// with the rules that govern them. It knows nothing of HTTP or SQL; internal/store persists
// these types and internal/api exposes them as JSON:API resources.
package docket

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
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
	EUnavailable  = "unavailable"  // 503: the database cannot be reached (or its disk is full); try again later
)

// Error is an error a user may see.
//
// Field is the domain path of the offending input, dotted with [i] indexes:
// "fields.amount", "statuses[1].name", "object-ids[2]", "definition.steps[1].action". The
// domain, the store and workflows name inputs only this way, because they do not know the
// front end a request came through; each front end maps a Field to its own form (the
// JSON:API to a pointer such as /data/attributes/fields/amount, a dashboard to the input
// beside which to show the message). Build paths with FieldKey and FieldIndex.
//
// Pointer is a JSON pointer into a request document, set only by the JSON:API front end
// for mistakes in the document itself (a number where a string belongs); Parameter names
// a query parameter or header instead.
type Error struct {
	Code      string
	Message   string
	Field     string
	Pointer   string
	Parameter string
}

func (e *Error) Error() string {
	switch {
	case e.Field != "":
		return fmt.Sprintf("%s: %s (at %s)", e.Code, e.Message, e.Field)
	case e.Pointer != "":
		return fmt.Sprintf("%s: %s (at %s)", e.Code, e.Message, e.Pointer)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns a user-visible error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a 422-class error about the input at field, a domain path such as
// "fields.amount" or "statuses[1].name" (see Error).
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Message: fmt.Sprintf(format, args...), Field: field}
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

// ErrorField returns the field and message of the first *Error in err's chain, for a front
// end that shows a message beside the input it concerns, as a dashboard form does. field
// is "" when the error concerns no one input. Both are "" for an internal error, whose text
// is for the logs, not for users.
func ErrorField(err error) (field, message string) {
	var e *Error
	if errors.As(err, &e) {
		return e.Field, e.Message
	}
	return "", ""
}

// FieldKey returns the path of key inside the object at path: FieldKey("fields", "amount")
// is "fields.amount", and FieldKey("", "tags") is "tags". A key that is not a plain name
// (letters, digits, - and _) is written quoted in brackets, fields["a.b"], so that a path
// stays unambiguous whatever key a client sent.
func FieldKey(path, key string) string {
	if key == "" || strings.IndexFunc(key, notPlain) >= 0 {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// FieldIndex returns the path of item i of the list at path: FieldIndex("statuses", 1) is
// "statuses[1]".
func FieldIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// FieldSegments splits a field path into its keys and list indexes, in order:
// `definition.steps[1].params["a.b"]` gives definition, steps, 1, params and a.b. It
// reports false for text that is not a field path.
func FieldSegments(path string) ([]string, bool) {
	var segs []string
	rest := path
	for rest != "" {
		if rest[0] == '[' {
			seg, n := bracketSegment(rest)
			if n == 0 {
				return nil, false
			}
			segs, rest = append(segs, seg), rest[n:]
			continue
		}
		if segs != nil { // after the first segment, a name follows a dot
			if rest[0] != '.' {
				return nil, false
			}
			rest = rest[1:]
		}
		n := strings.IndexFunc(rest, notPlain)
		if n < 0 {
			n = len(rest)
		}
		if n == 0 {
			return nil, false
		}
		segs, rest = append(segs, rest[:n]), rest[n:]
	}
	return segs, segs != nil
}

// bracketSegment reads [3] or ["key"] at the start of s, returning the index or key and
// the length read, or a length of 0 if s does not start with either.
func bracketSegment(s string) (string, int) {
	if strings.HasPrefix(s, `["`) {
		q, err := strconv.QuotedPrefix(s[1:])
		if err != nil || !strings.HasPrefix(s[1+len(q):], "]") {
			return "", 0
		}
		key, err := strconv.Unquote(q)
		if err != nil {
			return "", 0
		}
		return key, len(q) + 2
	}
	end := strings.IndexByte(s, ']')
	if end < 2 || strings.IndexFunc(s[1:end], func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return "", 0
	}
	return s[1:end], end + 1
}

// notPlain reports whether r cannot appear in a plain key of a field path.
func notPlain(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
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
