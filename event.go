package docket

import (
	"context"
	"encoding/json"
	"time"
)

// Event names written by cases and their comments.
const (
	EventCaseCreated        = "case.created"
	EventCaseAssigned       = "case.assigned"
	EventCaseStatusUpdated  = "case.status-updated"
	EventCaseResolved       = "case.resolved"
	EventCaseReopened       = "case.reopened"
	EventCaseUpdatedFields  = "case.updated-fields"
	EventCaseUpdatedTags    = "case.updated-tags"
	EventCaseUpdatedObjects = "case.updated-objects"
	EventCaseQueueUpdated   = "case.queue-updated"
	EventCaseSLAUpdated     = "case.sla-updated"
	EventCaseRedacted       = "case.redacted"
	EventCommentCreated     = "case-comment.created"
	EventTemplateCreated    = "case-template.created"
	EventTemplateUpdated    = "case-template.updated"
	EventTemplateArchived   = "case-template.archived"
	EventUserCreated        = "user.created"
	EventUserUpdated        = "user.updated"
	EventUserDeactivated    = "user.deactivated"
	EventUserReactivated    = "user.reactivated"
	EventAccountCreated     = "account.created"
	EventAccountUpdated     = "account.updated"
	EventAccountRedacted    = "account.redacted"
)

// Event records one change. Object is a snapshot of the changed object as stored at that
// moment (its domain JSON); the API renders it as the payload the object's endpoint returns.
type Event struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	ObjectType string          `json:"object-type"`
	ObjectID   string          `json:"object-id"`
	Actor      Actor           `json:"actor"`
	Object     json.RawMessage `json:"object"`
	CreatedAt  time.Time       `json:"created-at"`
	// Data is the changed object as a typed value (*Case, *Comment, *Account, ...), set
	// while the change that records the event is in progress, so that the handlers
	// reacting to it in the same transaction need not decode Object. It is never stored:
	// events read back from the database have none.
	Data any `json:"-"`
}

// EventFilter narrows an event list.
type EventFilter struct {
	Name       string
	ObjectID   string
	ObjectType string
	// IDs, when not empty, keeps these events only (a page of webhook deliveries' events,
	// read with the reader's Visibility).
	IDs []string
	// ObjectIDs, when not empty, keeps the events of these objects only (as a case's
	// timeline does).
	ObjectIDs []string
	// Visibility leaves out the events of cases, and of their comments, that the reader
	// may not see, and for a reader from whom anything is hidden the events of workflow
	// runs (whose payloads copy cases: see Principal.CanSeeRunData).
	Visibility Visibility
	// HiddenObjectTypes leaves out the events of these object types (SARs for a reader
	// without SAR access: Principal.HiddenObjectTypes).
	HiddenObjectTypes []string
	Page              Page
}

// EventService reads events.
type EventService interface {
	FindEvent(ctx context.Context, id string) (*Event, error)
	ListEvents(ctx context.Context, f EventFilter) ([]*Event, PageResult, error)
}
