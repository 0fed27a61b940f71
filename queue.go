package docket

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Case queue states. Only an active queue takes new cases and hands out cases to claim.
const (
	QueueActive   = "active"
	QueueArchived = "archived"
)

// SLA states a queue filter may ask for.
const (
	QueueSLABreached = "breached" // the case's SLA has expired
	QueueSLADue      = "due"      // the case has an SLA that has not expired yet
	QueueSLANone     = "none"     // the case has no SLA
)

// QueueUnassigned is the CaseQueueFilter.Assignee value that selects cases nobody holds.
const QueueUnassigned = "unassigned"

// Events written by case queues.
const (
	EventQueueCreated  = "case-queue.created"
	EventQueueUpdated  = "case-queue.updated"
	EventQueueArchived = "case-queue.archived"
)

// MaxQueueFilterValues bounds each list of a queue filter.
const MaxQueueFilterValues = 100

// ErrQueueEmpty is what ClaimNextCase returns when the queue holds no unassigned case.
// It is not a failure: the reviewer simply has nothing to pick up.
var ErrQueueEmpty = errors.New("case queue holds no unassigned case")

// CaseQueue is a named list of open cases for reviewers to work through. It
// holds the unresolved, unredacted cases put in it explicitly (a case's case-queue-id)
// and those its filter matches; a queue with an empty filter holds only the former.
// It lists them most urgent first: cases with an SLA by expiry, then cases without one,
// each oldest first.
type CaseQueue struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Status     string          `json:"status"`
	Filter     CaseQueueFilter `json:"filter"`
	CreatedAt  time.Time       `json:"created-at"`
	UpdatedAt  time.Time       `json:"updated-at"`
	ArchivedAt *time.Time      `json:"archived-at"`
}

// CaseQueueFilter selects the cases a queue holds beyond those put in it explicitly. Each
// non-empty part must match (and); within a list any value matches (or): a case is in a
// queue with tags ["pep", "sanctions"] if it carries either tag.
type CaseQueueFilter struct {
	TemplateIDs []string `json:"case-template-ids"`
	Statuses    []string `json:"statuses"`
	Tags        []string `json:"tags"`
	// SLA is "" (any), "breached", "due" or "none".
	SLA string `json:"sla"`
	// Assignee is "" (anyone or no one), "unassigned" or a user id.
	Assignee string `json:"assignee"`
}

// Empty reports whether the filter selects nothing, so the queue holds only the cases
// put in it explicitly.
func (f CaseQueueFilter) Empty() bool {
	return len(f.TemplateIDs) == 0 && len(f.Statuses) == 0 && len(f.Tags) == 0 && f.SLA == "" && f.Assignee == ""
}

// ApplyDefaults fills what a new queue may leave out.
func (q *CaseQueue) ApplyDefaults() {
	if q.Status == "" {
		q.Status = QueueActive
	}
	q.Filter.normalizeLists()
}

func (f *CaseQueueFilter) normalizeLists() {
	for _, l := range []*[]string{&f.TemplateIDs, &f.Statuses, &f.Tags} {
		if *l == nil {
			*l = []string{}
		}
	}
}

// Validate checks a queue's rules and normalizes its filter: tags and statuses are
// trimmed and de-duplicated, missing lists become empty.
func (q *CaseQueue) Validate() error {
	q.Name = strings.TrimSpace(q.Name)
	if q.Name == "" {
		return Invalid("name", "name is required")
	}
	if len(q.Name) > 200 {
		return Invalid("name", "name must be at most 200 characters")
	}
	if q.Status != QueueActive && q.Status != QueueArchived {
		return Invalid("status", "status must be active or archived")
	}
	return q.Filter.Validate()
}

// Validate checks and normalizes a queue filter (see CaseQueue.Validate).
func (f *CaseQueueFilter) Validate() error {
	const p = "filter."
	f.normalizeLists()
	if len(f.TemplateIDs) > MaxQueueFilterValues {
		return Invalid(p+"case-template-ids", "at most %d case template ids", MaxQueueFilterValues)
	}
	ids := make([]string, 0, len(f.TemplateIDs))
	for i, id := range f.TemplateIDs {
		if !ValidID(PrefixTemplate, id) {
			return Invalid(FieldIndex(p+"case-template-ids", i), "%q is not a case template id", id)
		}
		if !contains(ids, id) {
			ids = append(ids, id)
		}
	}
	f.TemplateIDs = ids
	if len(f.Statuses) > MaxQueueFilterValues {
		return Invalid(p+"statuses", "at most %d statuses", MaxQueueFilterValues)
	}
	statuses := make([]string, 0, len(f.Statuses))
	for i, s := range f.Statuses {
		s = strings.TrimSpace(s)
		if s == "" || len(s) > 100 {
			return Invalid(FieldIndex(p+"statuses", i), "a status name must be 1 to 100 characters")
		}
		if !contains(statuses, s) {
			statuses = append(statuses, s)
		}
	}
	f.Statuses = statuses
	tags, err := NormalizeTags(f.Tags, p+"tags")
	if err != nil {
		return err
	}
	f.Tags = tags
	switch f.SLA {
	case "", QueueSLABreached, QueueSLADue, QueueSLANone:
	default:
		return Invalid(p+"sla", "sla must be breached, due, none or null (any)")
	}
	if f.Assignee != "" && f.Assignee != QueueUnassigned && !ValidID(PrefixUser, f.Assignee) {
		return Invalid(p+"assignee", "assignee must be \"unassigned\", a user id or null (anyone)")
	}
	return nil
}

// CaseQueueUpdate holds what a PATCH may change; nil leaves a value alone. A new filter
// replaces the old one whole.
type CaseQueueUpdate struct {
	Name   *string
	Filter *CaseQueueFilter
}

// CaseQueueListFilter narrows a queue list.
type CaseQueueListFilter struct {
	Status string
	Page   Page
}

// CaseQueueService manages case queues and hands their cases out to reviewers. Every write
// records an event in the same transaction.
type CaseQueueService interface {
	CreateQueue(ctx context.Context, actor Actor, q *CaseQueue) error
	FindQueue(ctx context.Context, id string) (*CaseQueue, error)
	ListQueues(ctx context.Context, f CaseQueueListFilter) ([]*CaseQueue, PageResult, error)
	UpdateQueue(ctx context.Context, actor Actor, id string, u CaseQueueUpdate) (*CaseQueue, error)
	ArchiveQueue(ctx context.Context, actor Actor, id string) (*CaseQueue, error)
	// ClaimNextCase assigns the queue's most urgent unassigned case to the user with the
	// email address and returns it, atomically: concurrent claims, from any number of
	// processes, never get the same case. It returns ErrQueueEmpty when there is none.
	// It passes over cases that vis hides (what the requester may not see) and cases the
	// user's role may not see: a claim never hands anyone a case they could not open.
	ClaimNextCase(ctx context.Context, actor Actor, queueID, userEmail string, vis Visibility) (*Case, error)
	// CountQueueCases counts the cases a queue holds that vis does not hide, and how many
	// of them nobody holds (what ClaimNextCase may hand out), each stopping at limit (see
	// CaseService.CountCases). An unknown queue holds nothing.
	CountQueueCases(ctx context.Context, queueID string, vis Visibility, limit int) (QueueCount, error)
}

// QueueCount is how many cases a queue holds: Open is every case it lists, Unassigned
// those nobody holds yet. Each is capped by the limit it was counted with.
type QueueCount struct {
	Open       int
	Unassigned int
}
