package docket

import (
	"context"
	"strings"
	"time"
)

// Transaction events.
const (
	EventTxnTypeCreated      = "transaction-type.created"
	EventTxnTypeUpdated      = "transaction-type.updated"
	EventTransactionCreated  = "transaction.created"
	EventTransactionStatus   = "transaction.status-updated"
	EventTransactionFields   = "transaction.updated-fields"
	EventTransactionTags     = "transaction.updated-tags"
	EventTransactionRedacted = "transaction.redacted"
)

// TransactionType defines the fields and statuses of a kind of transaction, e.g. an AML
// alert with amount, currency and the rules it violated.
type TransactionType struct {
	ID           string        `json:"id"`
	Name         string        `json:"name"`
	FieldSchemas []FieldSchema `json:"field-schemas"`
	Statuses     []string      `json:"statuses"`
	CreatedAt    time.Time     `json:"created-at"`
	UpdatedAt    time.Time     `json:"updated-at"`
}

// Statuses of a transaction type created without any, in order.
const (
	TransactionCreated     = "created"
	TransactionNeedsReview = "needs_review"
	TransactionApproved    = "approved"
	TransactionDeclined    = "declined"
)

// DefaultTransactionStatuses are the statuses of a type created without any; the first
// is a new transaction's status.
func DefaultTransactionStatuses() []string {
	return []string{TransactionCreated, TransactionNeedsReview, TransactionApproved, TransactionDeclined}
}

// Validate checks a transaction type.
func (t *TransactionType) Validate() error {
	if strings.TrimSpace(t.Name) == "" || len(t.Name) > 200 {
		return Invalid("name", "name must be 1 to 200 characters")
	}
	if len(t.Statuses) == 0 {
		return Invalid("statuses", "at least one status is required")
	}
	seen := map[string]bool{}
	for i, s := range t.Statuses {
		if strings.TrimSpace(s) == "" || s != strings.TrimSpace(s) || len(s) > 100 || seen[s] {
			return Invalid(FieldIndex("statuses", i), "statuses must be distinct, 1 to 100 characters, without surrounding spaces")
		}
		seen[s] = true
	}
	return ValidateFieldSchemas(t.FieldSchemas, "field-schemas")
}

// Transaction is one significant event in the customer's product (a payment, a
// monitoring alert), typed by a TransactionType: business data a case may investigate,
// not a database transaction. The API calls them transactions (ids start with txn_);
// the store calls them txns to keep the two apart.
type Transaction struct {
	ID          string         `json:"id"`
	TypeID      string         `json:"transaction-type-id"`
	ReferenceID *string        `json:"reference-id"`
	AccountID   *string        `json:"account-id"`
	Status      string         `json:"status"`
	Fields      map[string]any `json:"fields"`
	Tags        []string       `json:"tags"`
	CreatedAt   time.Time      `json:"created-at"`
	UpdatedAt   time.Time      `json:"updated-at"`
	RedactedAt  *time.Time     `json:"redacted-at"`
}

// TransactionTypeUpdate holds what a PATCH may change.
type TransactionTypeUpdate struct {
	Name         *string
	FieldSchemas *[]FieldSchema
	Statuses     *[]string
}

// NewTransaction describes a transaction to create.
type NewTransaction struct {
	TypeID      string
	ReferenceID *string
	Status      string
	Fields      map[string]any
	Tags        []string
}

// TransactionUpdate holds what a PATCH may change.
type TransactionUpdate struct {
	Fields map[string]any
	Status *string
	Tags   *[]string
}

// TransactionFilter narrows a transaction list.
type TransactionFilter struct {
	TypeID         string
	ReferenceID    string
	AccountID      string
	Status         string
	CreatedAtStart *time.Time
	CreatedAtEnd   *time.Time
	Page           Page
}

// TransactionService manages transaction types and transactions.
type TransactionService interface {
	CreateTransactionType(ctx context.Context, actor Actor, t *TransactionType) error
	FindTransactionType(ctx context.Context, id string) (*TransactionType, error)
	ListTransactionTypes(ctx context.Context, p Page) ([]*TransactionType, PageResult, error)
	UpdateTransactionType(ctx context.Context, actor Actor, id string, u TransactionTypeUpdate) (*TransactionType, error)
	CreateTransaction(ctx context.Context, actor Actor, n NewTransaction) (*Transaction, error)
	FindTransaction(ctx context.Context, id string) (*Transaction, error)
	FindTransactions(ctx context.Context, ids []string) ([]*Transaction, error)
	ListTransactions(ctx context.Context, f TransactionFilter) ([]*Transaction, PageResult, error)
	UpdateTransaction(ctx context.Context, actor Actor, id string, u TransactionUpdate) (*Transaction, error)
	RedactTransaction(ctx context.Context, actor Actor, id string) (*Transaction, error)
}
