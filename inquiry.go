package docket

import (
	"context"
	"strings"
	"time"
)

// Inquiry statuses: a verification runs created → pending → completed | failed | expired,
// and a finished one may then be reviewed: needs_review → approved | declined.
const (
	InquiryCreated     = "created"
	InquiryPending     = "pending"
	InquiryCompleted   = "completed"
	InquiryFailed      = "failed"
	InquiryExpired     = "expired"
	InquiryNeedsReview = "needs_review"
	InquiryApproved    = "approved"
	InquiryDeclined    = "declined"
)

// Inquiry actions, as named in the API (POST /inquiries/{id}/<action>).
const (
	InquiryStart         = "start"
	InquiryComplete      = "complete"
	InquiryFail          = "fail"
	InquiryExpire        = "expire"
	InquiryMarkForReview = "mark-for-review"
	InquiryApprove       = "approve"
	InquiryDecline       = "decline"
)

// InquiryTransition is one allowed action: the statuses it may start from, the status it
// leads to and the event it records.
type InquiryTransition struct {
	From  []string
	To    string
	Event string
}

// InquiryTransitions is the inquiry lifecycle. complete and fail are allowed straight from
// created because customers often report a finished verification at once.
var InquiryTransitions = map[string]InquiryTransition{
	InquiryStart:         {From: []string{InquiryCreated}, To: InquiryPending, Event: "inquiry.started"},
	InquiryComplete:      {From: []string{InquiryCreated, InquiryPending}, To: InquiryCompleted, Event: "inquiry.completed"},
	InquiryFail:          {From: []string{InquiryCreated, InquiryPending}, To: InquiryFailed, Event: "inquiry.failed"},
	InquiryExpire:        {From: []string{InquiryCreated, InquiryPending}, To: InquiryExpired, Event: "inquiry.expired"},
	InquiryMarkForReview: {From: []string{InquiryCompleted, InquiryFailed}, To: InquiryNeedsReview, Event: "inquiry.marked-for-review"},
	InquiryApprove:       {From: []string{InquiryCompleted, InquiryNeedsReview}, To: InquiryApproved, Event: "inquiry.approved"},
	InquiryDecline:       {From: []string{InquiryCompleted, InquiryFailed, InquiryNeedsReview}, To: InquiryDeclined, Event: "inquiry.declined"},
}

// EventInquiryCreated and friends name inquiry events not tied to an action.
const (
	EventInquiryCreated  = "inquiry.created"
	EventInquiryUpdated  = "inquiry.updated"
	EventInquiryRedacted = "inquiry.redacted"
)

// Inquiry is one identity-verification attempt by an end user.
type Inquiry struct {
	ID              string         `json:"id"`
	Status          string         `json:"status"`
	ReferenceID     *string        `json:"reference-id"`
	AccountID       *string        `json:"account-id"`
	CreatorEmail    *string        `json:"creator-email-address"`
	Note            *string        `json:"note"`
	ReviewerComment *string        `json:"reviewer-comment"`
	Fields          map[string]any `json:"fields"`
	Tags            []string       `json:"tags"`
	// Identity is who the inquiry's person said they are.
	Identity Identity `json:"identity"`
	// The hosted product's template ids the inquiry was created with, kept as given
	// (Docket runs no verification flow of its own).
	InquiryTemplateID        *string    `json:"inquiry-template-id"`
	TemplateID               *string    `json:"template-id"`
	InquiryTemplateVersionID *string    `json:"inquiry-template-version-id"`
	CreatedAt                time.Time  `json:"created-at"`
	UpdatedAt                time.Time  `json:"updated-at"`
	StartedAt                *time.Time `json:"started-at"`
	CompletedAt              *time.Time `json:"completed-at"`
	FailedAt                 *time.Time `json:"failed-at"`
	ExpiredAt                *time.Time `json:"expired-at"`
	MarkedAt                 *time.Time `json:"marked-for-review-at"`
	DecisionedAt             *time.Time `json:"decisioned-at"`
	RedactedAt               *time.Time `json:"redacted-at"`
}

// Apply performs an action at now, or explains why the inquiry's status forbids it.
func (q *Inquiry) Apply(action string, now time.Time, comment *string) (string, error) {
	tr, ok := InquiryTransitions[action]
	if !ok {
		return "", Errorf(ENotFound, "unknown inquiry action %q", action)
	}
	if !contains(tr.From, q.Status) {
		return "", Errorf(EInvalid, "cannot %s an inquiry that is %s (allowed from %v)", action, q.Status, tr.From)
	}
	// Check the comment before changing anything: a refused action leaves q as it was.
	if comment != nil && len(*comment) > MaxCommentLength {
		return "", Invalid("comment", "a comment must be at most %d characters", MaxCommentLength)
	}
	q.Status, q.UpdatedAt = tr.To, now
	switch tr.To {
	case InquiryPending:
		q.StartedAt = &now
	case InquiryCompleted:
		q.CompletedAt = &now
	case InquiryFailed:
		q.FailedAt = &now
	case InquiryExpired:
		q.ExpiredAt = &now
	case InquiryNeedsReview:
		q.MarkedAt = &now
	case InquiryApproved, InquiryDeclined:
		q.DecisionedAt = &now
	}
	if comment != nil {
		q.ReviewerComment = comment
	}
	return tr.Event, nil
}

// NewInquiry describes an inquiry to create.
type NewInquiry struct {
	ReferenceID  *string
	AccountID    *string
	CreatorEmail *string
	Note         *string
	Fields       map[string]any
	Tags         []string
	Identity     Identity
	Templates    InquiryTemplateIDs
}

// InquiryTemplateIDs are the hosted product's template ids an inquiry names.
type InquiryTemplateIDs struct {
	InquiryTemplateID        *string
	TemplateID               *string
	InquiryTemplateVersionID *string
}

// Validate checks the ids' forms: each starts with the prefix the hosted API gives it
// (itmpl_, tmpl_, itmplv_), so that an id put in the wrong attribute is caught.
func (t InquiryTemplateIDs) Validate() error {
	for _, c := range []struct {
		attr, prefix string
		v            *string
	}{{"inquiry-template-id", "itmpl_", t.InquiryTemplateID}, {"template-id", "tmpl_", t.TemplateID},
		{"inquiry-template-version-id", "itmplv_", t.InquiryTemplateVersionID}} {
		if c.v == nil {
			continue
		}
		if !strings.HasPrefix(*c.v, c.prefix) || len(*c.v) > MaxReferenceID || strings.ContainsAny(*c.v, " \t\r\n") {
			return Invalid(c.attr, "%s must be an id starting with %s, of at most %d characters", c.attr, c.prefix, MaxReferenceID)
		}
	}
	return nil
}

// Snapshot is the copy of the inquiry that events keep, its identifiers masked (see
// Account.Snapshot).
func (q *Inquiry) Snapshot() *Inquiry {
	c := *q
	c.Identity = q.Identity.Masked()
	return &c
}

// InquiryUpdate holds what a PATCH may change.
type InquiryUpdate struct {
	Fields   map[string]any
	Tags     *[]string
	Note     **string
	Identity IdentityUpdate
}

// InquiryFilter narrows an inquiry list.
type InquiryFilter struct {
	Status      string
	ReferenceID string
	AccountID   string
	// InquiryTemplateID keeps the inquiries created with that hosted template id.
	InquiryTemplateID string
	Page              Page
}

// InquiryService manages inquiries.
type InquiryService interface {
	CreateInquiry(ctx context.Context, actor Actor, n NewInquiry) (*Inquiry, error)
	FindInquiry(ctx context.Context, id string) (*Inquiry, error)
	FindInquiries(ctx context.Context, ids []string) ([]*Inquiry, error)
	ListInquiries(ctx context.Context, f InquiryFilter) ([]*Inquiry, PageResult, error)
	UpdateInquiry(ctx context.Context, actor Actor, id string, u InquiryUpdate) (*Inquiry, error)
	InquiryAction(ctx context.Context, actor Actor, id, action string, comment *string) (*Inquiry, error)
	RedactInquiry(ctx context.Context, actor Actor, id string) (*Inquiry, error)
	// ExpireInquiries expires up to limit created or pending inquiries older than before.
	ExpireInquiries(ctx context.Context, before time.Time, limit int) (int, error)
}

// CheckFieldsSize bounds free-form JSON fields of objects without a schema; field is
// their path (see Error).
func CheckFieldsSize(fields map[string]any, field string) error {
	if len(fields) > 200 {
		return Invalid(field, "at most 200 fields")
	}
	for k := range fields {
		if !fieldKeyRe.MatchString(k) {
			return Invalid(FieldKey(field, k), "field keys must start with a letter and hold at most 64 letters, digits, - or _")
		}
	}
	return nil
}
