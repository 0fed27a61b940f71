package docket

import (
	"context"
	"fmt"
	"time"
)

// Suspicious Activity Reports. A SAR belongs to a case (usually of a template marked
// SAR: true). It is drafted auto-filled from the case (internal/sar), edited, validated
// (ready), approved by a second person with SAR access (never its preparer: the same
// four-eyes rule as Proposal), then filed, with the BSA ID FinCEN's acknowledgement gives
// recorded. SARs are secret: whoever may not read SARs (PermReadSARs) must not learn
// that one exists, so they and the cases of SAR templates are hidden from them entirely.

// Events of SARs. Their object type is KindSAR.Type, which HiddenObjectTypes hides.
const (
	EventSARCreated  = "sar.created"
	EventSARUpdated  = "sar.updated"
	EventSARApproved = "sar.approved"
	EventSARFiled    = "sar.filed"
)

// SAR statuses, in the order of a report's life.
const (
	SARDraft    = "draft"
	SARReady    = "ready"
	SARApproved = "approved"
	SARFiled    = "filed"
)

// SAR filing types: a first report, a continuing-activity report or a correction of a
// filed one. The last two name the prior report (SAR.PriorSARID, and its BSA ID in the
// file).
const (
	SARInitial    = "initial"
	SARContinuing = "continuing"
	SARCorrection = "correction"
)

// SARFilingTypes lists the filing types.
var SARFilingTypes = []string{SARInitial, SARContinuing, SARCorrection}

// Filing deadlines: 30 days from the decision to file, and a continuing-activity report
// every 90 days after the prior one was filed.
const (
	SARDeadline           = 30 * 24 * time.Hour
	SARContinuingInterval = 90 * 24 * time.Hour
	// SARDueSoon is how close a deadline must be for a SAR to be shown as approaching it.
	SARDueSoon = 7 * 24 * time.Hour
)

// SAR is one Suspicious Activity Report.
type SAR struct {
	ID     string `json:"id"`
	CaseID string `json:"case-id"`
	Status string `json:"status"`
	// FilingType is SARInitial, SARContinuing or SARCorrection.
	FilingType string `json:"filing-type"`
	// PriorSARID is the report that a continuing or corrected one follows.
	PriorSARID *string   `json:"prior-sar-id"`
	Report     SARReport `json:"report"`
	// Sources says where each auto-filled value came from, by the value's path in Report
	// ("subjects[0].last-name" → "account act_… fields.last-name"). A value edited by
	// hand says "edited".
	Sources map[string]string `json:"sources"`
	// PreparedBy created the SAR; PreparedByUserID is the person behind it (as
	// Proposal.ByUserID), who may not approve it.
	PreparedBy       Actor      `json:"prepared-by"`
	PreparedByUserID string     `json:"prepared-by-user-id,omitempty"`
	ApprovedBy       *Actor     `json:"approved-by"`
	ApprovedAt       *time.Time `json:"approved-at"`
	FiledAt          *time.Time `json:"filed-at"`
	// BSAID is the number FinCEN's acknowledgement gives the filed report.
	BSAID *string `json:"bsa-id"`
	// DueAt is the filing deadline (SARDeadline after the decision to file, or
	// SARContinuingInterval after the prior report was filed).
	DueAt     time.Time `json:"due-at"`
	CreatedAt time.Time `json:"created-at"`
	UpdatedAt time.Time `json:"updated-at"`
}

// SARReport is the content of the form.
type SARReport struct {
	// PriorDocumentNumber is the BSA ID of the prior report (continuing, correction).
	PriorDocumentNumber string       `json:"prior-document-number"`
	Subjects            []SARSubject `json:"subjects"`
	Activity            SARActivity  `json:"activity"`
	Narrative           string       `json:"narrative"`
}

// SARSubject is a person or an entity the report is about.
type SARSubject struct {
	Entity     bool   `json:"entity"`
	LastName   string `json:"last-name"` // the entity's name for an entity
	FirstName  string `json:"first-name"`
	MiddleName string `json:"middle-name"`
	// BirthDate is YYYY-MM-DD; month and day may be 00 when unknown.
	BirthDate      string          `json:"birth-date"`
	Address        SARAddress      `json:"address"`
	Identifiers    []SARIdentifier `json:"identifiers"`
	AccountNumbers []string        `json:"account-numbers"`
}

// SARAddress is a postal address; Country is an ISO 3166 alpha-2 code.
type SARAddress struct {
	Street  string `json:"street"`
	City    string `json:"city"`
	State   string `json:"state"`
	ZIP     string `json:"zip"`
	Country string `json:"country"`
}

// SARIdentifier is an identification number, with FinCEN's type code ("1" SSN/ITIN,
// "5" driver's licence, "6" passport ...; see internal/sar).
type SARIdentifier struct {
	Type    string `json:"type"`
	Number  string `json:"number"`
	Country string `json:"country"`
	State   string `json:"state"`
}

// SARActivity is the suspicious activity: its dates, amount and categories.
type SARActivity struct {
	From string `json:"from"` // YYYY-MM-DD
	To   string `json:"to"`
	// Amount is in whole US dollars (FinCEN's unit), rounded up; nil if unknown.
	Amount        *int64        `json:"amount"`
	Currency      string        `json:"currency"`
	AmountUnknown bool          `json:"amount-unknown"`
	Categories    []SARCategory `json:"categories"`
}

// SARCategory is a FinCEN suspicious activity type and subtype (1 Structuring / 111 ...).
type SARCategory struct {
	Type    int    `json:"type"`
	Subtype int    `json:"subtype"`
	Other   string `json:"other"` // the description an "Other" subtype needs
}

// SARSettings are an installation's filing details, entered once by an administrator.
type SARSettings struct {
	Institution SARInstitution `json:"institution"`
	Transmitter SARTransmitter `json:"transmitter"`
	Contact     SARContact     `json:"contact"`
	// CategoryField is the transaction field whose values name categories
	// ("rules-violated"); CategoryMap maps each value to FinCEN codes.
	CategoryField string               `json:"category-field"`
	CategoryMap   []SARCategoryMapping `json:"category-map"`
	UpdatedAt     time.Time            `json:"updated-at"`
}

// SARInstitution is the filing financial institution.
type SARInstitution struct {
	Name string `json:"name"`
	EIN  string `json:"ein"`
	// Type is FinCEN's organization type code (2 depository institution, 4 MSB ...).
	Type int `json:"type"`
	// Regulator is FinCEN's primary federal regulator code (4 OCC, 9 CFTC, 99 none ...).
	Regulator string     `json:"regulator"`
	Address   SARAddress `json:"address"`
}

// SARTransmitter is who sends the batch file to FinCEN.
type SARTransmitter struct {
	Name        string     `json:"name"`
	TIN         string     `json:"tin"`
	TCC         string     `json:"tcc"` // Transmitter Control Code
	Phone       string     `json:"phone"`
	ContactName string     `json:"contact-name"`
	Address     SARAddress `json:"address"`
}

// SARContact is the office FinCEN contacts about the report.
type SARContact struct {
	Office string `json:"office"`
	Phone  string `json:"phone"`
}

// SARCategoryMapping maps one value of the category field to a FinCEN category.
type SARCategoryMapping struct {
	Value   string `json:"value"`
	Type    int    `json:"type"`
	Subtype int    `json:"subtype"`
}

// SARFilter narrows a SAR list.
type SARFilter struct {
	CaseID string
	Status string
	IDs    []string
	// Visibility leaves out the SARs of cases the reader may not see.
	Visibility Visibility
	Page       Page
}

// SARUpdate holds what an edit may change. A report edited after validation goes back to
// draft; an approved or filed one cannot be edited (a correction is a new report).
type SARUpdate struct {
	Report  *SARReport
	Sources map[string]string
}

// SARRules validates a report with the settings it would be filed with. The store calls
// them (registered with UseSARRules, from internal/sar) before a SAR becomes ready or
// approved, under the SAR's row lock.
type SARRules interface {
	Problems(s *SAR, settings *SARSettings) []*Error
}

// SARService persists SARs and their settings. Reads take the reader's Visibility
// through the case: a SAR of a hidden case is not found.
type SARService interface {
	// CreateSAR stores a new draft; the person behind actor is its preparer.
	CreateSAR(ctx context.Context, actor Actor, s *SAR) error
	FindSAR(ctx context.Context, id string) (*SAR, error)
	ListSARs(ctx context.Context, f SARFilter) ([]*SAR, PageResult, error)
	UpdateSAR(ctx context.Context, actor Actor, id string, u SARUpdate) (*SAR, error)
	// MarkSARReady validates the report; the error lists every problem (SARProblems).
	MarkSARReady(ctx context.Context, actor Actor, id string) (*SAR, error)
	ApproveSAR(ctx context.Context, by Confirmer, id string) (*SAR, error)
	// FileSAR marks an approved SAR filed; bsaID may come later (a second call on a filed
	// SAR without one records it).
	FileSAR(ctx context.Context, actor Actor, id, bsaID string) (*SAR, error)
	SARSettings(ctx context.Context) (*SARSettings, error)
	SetSARSettings(ctx context.Context, actor Actor, s *SARSettings) error
}

// SARProblems is the error of a report that does not validate: every problem, each with
// its field path below "report" or "settings".
type SARProblems struct{ Problems []*Error }

func (e *SARProblems) Error() string {
	return fmt.Sprintf("%s: the report has %d problems, the first: %v", EInvalid, len(e.Problems), e.Problems[0])
}

// Unwrap lets ErrorCode and ErrorField see the first problem.
func (e *SARProblems) Unwrap() error { return e.Problems[0] }

// CheckApprover applies the four-eyes rule to a SAR's approval: a person, other than its
// preparer, approves a ready report.
func (cf Confirmer) CheckApprover(s *SAR) error {
	switch {
	case s.Status != SARReady:
		return &Error{Code: EConflict, Field: "status", Message: fmt.Sprintf("SAR %s is %s: only a ready (validated) report can be approved", s.ID, s.Status)}
	case cf.UserID == "":
		return Errorf(EForbidden, "approving a SAR needs a person: use the dashboard or an API key that belongs to a user")
	case cf.UserID == s.PreparedByUserID:
		return Errorf(EForbidden, "you prepared this SAR: a second person with SAR access must approve it")
	}
	return nil
}

// SARDueAt returns a report's filing deadline: decided is when the decision to file was
// made (the SAR's creation), priorFiled when the prior report was filed (continuing only).
func SARDueAt(filingType string, decided time.Time, priorFiled *time.Time) time.Time {
	if filingType == SARContinuing && priorFiled != nil {
		return priorFiled.Add(SARContinuingInterval)
	}
	return decided.Add(SARDeadline)
}

// DueSoon reports whether an unfiled SAR's deadline is within SARDueSoon of now (or past).
func (s *SAR) DueSoon(now time.Time) bool {
	return s.Status != SARFiled && s.DueAt.Sub(now) <= SARDueSoon
}
