package docket

import (
	"context"
	"strings"
	"time"
)

// Report statuses: a screening report is pending until its vendor answers.
const (
	ReportPending = "pending"
	ReportReady   = "ready"
	ReportErrored = "errored"
)

// Report events.
const (
	EventReportCreated  = "report.created"
	EventReportReady    = "report.ready"
	EventReportMatched  = "report.matched"
	EventReportErrored  = "report.errored"
	EventReportRedacted = "report.redacted"
)

// ReportTypes are the kinds of screening report Docket knows; the type is also the
// report's JSON:API resource type, as in the hosted API.
var ReportTypes = []string{
	"report/watchlist", "report/adverse-media", "report/politically-exposed-person",
	"report/sanctions", "report/address-lookup", "report/email-address", "report/phone-number",
	"report/business-watchlist", "report/profile",
}

// Report is the result of screening a person or business against a source.
type Report struct {
	ID          string         `json:"id"`
	Type        string         `json:"report-type"`
	Status      string         `json:"status"`
	Matched     bool           `json:"matched"`
	Result      map[string]any `json:"result"`
	ReferenceID *string        `json:"reference-id"`
	AccountID   *string        `json:"account-id"`
	InquiryID   *string        `json:"inquiry-id"`
	// TemplateID is the report template that screened it (nil for a report pushed in).
	TemplateID  *string    `json:"report-template-id,omitempty"`
	Tags        []string   `json:"tags"`
	CreatedAt   time.Time  `json:"created-at"`
	UpdatedAt   time.Time  `json:"updated-at"`
	CompletedAt *time.Time `json:"completed-at"`
	RedactedAt  *time.Time `json:"redacted-at"`
}

// ValidReportType reports whether t is a known report type.
func ValidReportType(t string) bool { return contains(ReportTypes, t) }

// ReportTypeList is the known types, for error messages.
func ReportTypeList() string { return strings.Join(ReportTypes, ", ") }

// NewReport describes a report to create. A report may be created already finished.
type NewReport struct {
	Type        string
	Status      string
	Matched     bool
	Result      map[string]any
	ReferenceID *string
	AccountID   *string
	InquiryID   *string
	TemplateID  *string
	Tags        []string
}

// ReportFilter narrows a report list.
type ReportFilter struct {
	Type      string
	Status    string
	AccountID string
	InquiryID string
	Page      Page
}

// ReportService manages screening reports.
type ReportService interface {
	CreateReport(ctx context.Context, actor Actor, n NewReport) (*Report, error)
	FindReport(ctx context.Context, id string) (*Report, error)
	FindReports(ctx context.Context, ids []string) ([]*Report, error)
	ListReports(ctx context.Context, f ReportFilter) ([]*Report, PageResult, error)
	// FinishReport moves a pending report to ready (with matched and result) or errored.
	FinishReport(ctx context.Context, actor Actor, id, status string, matched bool, result map[string]any) (*Report, error)
	RedactReport(ctx context.Context, actor Actor, id string) (*Report, error)
}
