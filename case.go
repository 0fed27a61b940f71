package docket

import (
	"context"
	"strings"
	"time"
)

// Case gathers what is known about one end user that needs a human decision.
type Case struct {
	ID           string         `json:"id"`
	TemplateID   string         `json:"case-template-id"`
	Number       int64          `json:"number"`
	Name         string         `json:"name"`
	Status       string         `json:"status"`
	Resolution   *string        `json:"resolution"`
	Fields       map[string]any `json:"fields"`
	Tags         []string       `json:"tags"`
	QueueID      *string        `json:"case-queue-id"`
	AssigneeID   *string        `json:"assignee-id"`
	CreatedAt    time.Time      `json:"created-at"`
	UpdatedAt    time.Time      `json:"updated-at"`
	AssignedAt   *time.Time     `json:"assigned-at"`
	ResolvedAt   *time.Time     `json:"resolved-at"`
	RedactedAt   *time.Time     `json:"redacted-at"`
	SLAExpiresAt *time.Time     `json:"sla-expires-at"`
	Creator      *Actor         `json:"creator"`
	Assigner     *Actor         `json:"assigner"`
	Resolver     *Actor         `json:"resolver"`
	Updater      *Actor         `json:"updater"`
	// Objects attached to the case, by id, in the order they were attached (objects
	// attached together are listed in id order).
	ObjectIDs []string `json:"object-ids"`
	// ReportTypes gives the type ("report/watchlist") of each attached report.
	ReportTypes map[string]string `json:"report-types,omitempty"`
	CommentIDs  []string          `json:"comment-ids"`
	// Proposal is a decision awaiting a second person's confirmation (four-eyes, see
	// Proposal), or nil.
	Proposal *Proposal `json:"proposal,omitempty"`
	// Version increases with every write; it guards read-modify-write cycles.
	Version int64 `json:"version"`
}

// Comment is a note on a case. Mentions (@email) notify the users they name.
type Comment struct {
	ID         string     `json:"id"`
	CaseID     string     `json:"case-id"`
	Body       string     `json:"body"`
	Commenter  Actor      `json:"commenter"`
	CreatedAt  time.Time  `json:"created-at"`
	UpdatedAt  time.Time  `json:"updated-at"`
	RedactedAt *time.Time `json:"redacted-at"`
}

// MaxCommentLength bounds a comment body.
const MaxCommentLength = 20000

// MaxTags bounds the tags on one object; MaxTagLength bounds one tag.
const (
	MaxTags      = 100
	MaxTagLength = 100
)

// MaxObjectIDs bounds how many objects one request may attach.
const MaxObjectIDs = 100

// AttachablePrefixes are the id prefixes of the kinds of object a case can hold.
var AttachablePrefixes = func() []string {
	out := make([]string, len(ObjectKinds))
	for i, k := range ObjectKinds {
		out[i] = k.Prefix
	}
	return out
}()

// NewCase describes a case to create.
type NewCase struct {
	TemplateID         string
	Fields             map[string]any
	Tags               []string
	CreatorEmail       string
	QueueID            *string
	ObjectIDs          []string
	SLAExpiresInSecond *int64
}

// CaseUpdate holds what a PATCH may change; nil pointers leave a value alone.
type CaseUpdate struct {
	Fields   map[string]any // merged into the case's fields; null values remove keys
	QueueID  **string       // set to a pointer to nil to remove the case from its queue
	SLA      **int64        // seconds from now; pointer to nil clears the SLA
	SetQueue bool
	SetSLA   bool
}

// CaseFilter narrows a case list. Empty strings are ignored.
type CaseFilter struct {
	Status         string
	TemplateID     string
	AssigneeID     string
	QueueID        string
	AccountID      string
	InquiryID      string
	TransactionID  string
	ReportID       string
	ReferenceID    string
	Tag            string
	CreatedAtStart *time.Time
	CreatedAtEnd   *time.Time
	// Unassigned keeps the cases nobody holds.
	Unassigned bool
	// SLA is "" (any), QueueSLABreached or QueueSLADue (open cases whose SLA has, or has
	// not yet, expired: a resolved case's clock no longer runs) or QueueSLANone (cases
	// without an SLA): the words of a queue filter.
	SLA string
	// Query is what someone typed in the case list's search box (see CaseFilter.Query's
	// rules in ParseCaseFilter): an exact case name, a case id or a reference id.
	Query string
	// Sort is CaseSortNewest or CaseSortSLA; "" is newest first, except that a queue's
	// cases (QueueID) come in queue order.
	Sort string
	// Visibility leaves out the cases the reader may not see (Principal.Visibility).
	Visibility Visibility
	Page       Page
}

// NormalizeTags trims, de-duplicates and checks tags; field is their path (see Error).
func NormalizeTags(tags []string, field string) ([]string, error) {
	if len(tags) > MaxTags {
		return nil, Invalid(field, "at most %d tags", MaxTags)
	}
	out := make([]string, 0, len(tags))
	seen := map[string]bool{}
	for i, t := range tags {
		t = strings.TrimSpace(t)
		if t == "" || len(t) > MaxTagLength {
			return nil, Invalid(FieldIndex(field, i), "a tag must be 1 to %d characters", MaxTagLength)
		}
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// CheckObjectIDs verifies that ids are well formed and of attachable kinds; field is
// their path (see Error).
func CheckObjectIDs(ids []string, field string) error {
	if len(ids) > MaxObjectIDs {
		return Invalid(field, "at most %d object ids at once", MaxObjectIDs)
	}
	for i, id := range ids {
		if !contains(AttachablePrefixes, IDPrefix(id)) || !ValidID(IDPrefix(id), id) {
			return Invalid(FieldIndex(field, i), "%q is not the id of an account, inquiry, report, transaction or SAR", id)
		}
	}
	return nil
}

// CaseService manages cases. Every write records an event in the same transaction.
type CaseService interface {
	CreateCase(ctx context.Context, actor Actor, nc NewCase) (*Case, error)
	FindCase(ctx context.Context, id string) (*Case, error)
	FindCases(ctx context.Context, ids []string) ([]*Case, error)
	ListCases(ctx context.Context, f CaseFilter) ([]*Case, PageResult, error)
	// CountCases counts the cases ListCases would return for f across all pages, but
	// stops at limit: a count of limit means "limit or more", so that counting many
	// cases costs no more than reading limit of them. Proving that few cases match may
	// still cost a long scan, so a count also stops at ctx's deadline, with an error
	// wrapping context.DeadlineExceeded.
	CountCases(ctx context.Context, f CaseFilter, limit int) (int, error)
	// ListOpenAssignedCases returns up to limit of a user's open cases (unresolved and
	// unredacted) that vis does not hide, most urgent first: queue order (see CaseQueue).
	// It is the dashboard's "My work", which lists what needs attention rather than pages.
	ListOpenAssignedCases(ctx context.Context, userID string, vis Visibility, limit int) ([]*Case, error)
	// CountOpenAssignedCases counts those cases, stopping at limit (see CountCases).
	CountOpenAssignedCases(ctx context.Context, userID string, vis Visibility, limit int) (int, error)
	SearchCases(ctx context.Context, q SearchQuery) ([]*Case, PageResult, error)
	// UnindexedSearchAttributes lists the attributes of a search predicate that no index
	// serves ("fields.<key>" not searchable on every template declaring it, or still being
	// backfilled): the search works but reads every case.
	UnindexedSearchAttributes(ctx context.Context, p *Predicate) ([]string, error)
	UpdateCase(ctx context.Context, actor Actor, id string, u CaseUpdate) (*Case, error)
	SetCaseStatus(ctx context.Context, actor Actor, id, status string) (*Case, error)
	// SetCaseStatusWithComment changes the status and adds a comment saying why, in one
	// change: either both happen or neither. An empty comment adds none; the status may
	// stay as it is. The comment is refused at "comment", as AddComment refuses "body".
	SetCaseStatusWithComment(ctx context.Context, actor Actor, id, status, comment string) (*Case, *Comment, error)
	AssignCase(ctx context.Context, actor Actor, id, userEmail string) (*Case, error)
	AddCaseObjects(ctx context.Context, actor Actor, id string, objectIDs []string) (*Case, error)
	RemoveCaseObjects(ctx context.Context, actor Actor, id string, objectIDs []string) (*Case, error)
	// ChangeCaseTags adds, removes or replaces tags (op is "add", "remove" or "set").
	ChangeCaseTags(ctx context.Context, actor Actor, id, op string, tags []string) (*Case, error)
	RedactCase(ctx context.Context, actor Actor, id string) (*Case, error)
	AddComment(ctx context.Context, actor Actor, caseID, body string) (*Comment, error)
	ListComments(ctx context.Context, caseID string, p Page) ([]*Comment, PageResult, error)
	FindComments(ctx context.Context, ids []string) ([]*Comment, error)
}
