package docket

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Status types: a template has exactly one initial status; end statuses resolve a case.
const (
	StatusInitial      = "initial"
	StatusIntermediate = "intermediate"
	StatusEnd          = "end"
)

// Case template states.
const (
	TemplateActive   = "active"
	TemplateArchived = "archived"
)

// Assignment policy types (their behaviour is applied when a case is created).
const (
	AssignManual         = "manual"
	AssignInquiryCreator = "inquiry-creator"
	AssignRoundRobin     = "round-robin"
	AssignFewestCases    = "fewest-cases"
)

// Status is one named stage of a case's lifecycle.
type Status struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// AssignmentPolicy decides who gets a new case.
type AssignmentPolicy struct {
	Type    string   `json:"type"`
	UserIDs []string `json:"user-ids"`
}

// NotificationPolicy lists who is told when a case is created.
type NotificationPolicy struct {
	Emails []string `json:"emails"`
}

// CaseTemplate defines the statuses, fields and policies of a kind of case.
type CaseTemplate struct {
	ID                 string             `json:"id"`
	Name               string             `json:"name"`
	Key                string             `json:"key"`
	Status             string             `json:"status"`
	Statuses           []Status           `json:"statuses"`
	FieldSchemas       []FieldSchema      `json:"field-schemas"`
	AssignmentPolicy   AssignmentPolicy   `json:"assignment-policy"`
	NotificationPolicy NotificationPolicy `json:"notification-policy"`
	SLASeconds         *int64             `json:"sla-seconds"`
	VisibleToRoles     []string           `json:"visible-to-roles"`
	CreatedAt          time.Time          `json:"created-at"`
	UpdatedAt          time.Time          `json:"updated-at"`
	ArchivedAt         *time.Time         `json:"archived-at"`
	// FourEyesStatuses are end statuses that a second person must confirm (see Proposal).
	FourEyesStatuses []string `json:"four-eyes-statuses"`
	// SAR marks a template whose cases prepare Suspicious Activity Reports: they are
	// secret, hidden from whoever may not read SARs (Principal.CanSeeTemplate).
	SAR bool `json:"sar"`
}

// Case statuses of a template created without any.
const (
	DefaultStatusOpen     = "Open"
	DefaultStatusPending  = "Pending"
	DefaultStatusApproved = "Approved"
	DefaultStatusDeclined = "Declined"
)

// DefaultStatuses are the statuses of a template created without any.
func DefaultStatuses() []Status {
	return []Status{
		{Name: DefaultStatusOpen, Type: StatusInitial},
		{Name: DefaultStatusPending, Type: StatusIntermediate},
		{Name: DefaultStatusApproved, Type: StatusEnd},
		{Name: DefaultStatusDeclined, Type: StatusEnd},
	}
}

// InitialStatus returns the name of the status new cases start in.
func (t *CaseTemplate) InitialStatus() string {
	for _, s := range t.Statuses {
		if s.Type == StatusInitial {
			return s.Name
		}
	}
	return ""
}

// Resolutions returns the names of the end statuses, in order.
func (t *CaseTemplate) Resolutions() []string {
	var r []string
	for _, s := range t.Statuses {
		if s.Type == StatusEnd {
			r = append(r, s.Name)
		}
	}
	return r
}

// FindStatus returns the status with the given name, matched exactly.
func (t *CaseTemplate) FindStatus(name string) (Status, bool) {
	for _, s := range t.Statuses {
		if s.Name == name {
			return s, true
		}
	}
	return Status{}, false
}

// FieldSchema returns the schema of the field with the given key.
func (t *CaseTemplate) FieldSchema(key string) (FieldSchema, bool) {
	for _, f := range t.FieldSchemas {
		if f.Key == key {
			return f, true
		}
	}
	return FieldSchema{}, false
}

var templateKeyRe = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,15}$`)

// ApplyDefaults fills what a new template may leave out.
func (t *CaseTemplate) ApplyDefaults() {
	if len(t.Statuses) == 0 {
		t.Statuses = DefaultStatuses()
	}
	if t.AssignmentPolicy.Type == "" {
		t.AssignmentPolicy.Type = AssignManual
	}
	if t.Status == "" {
		t.Status = TemplateActive
	}
	if t.AssignmentPolicy.UserIDs == nil {
		t.AssignmentPolicy.UserIDs = []string{}
	}
	if t.NotificationPolicy.Emails == nil {
		t.NotificationPolicy.Emails = []string{}
	}
	if t.VisibleToRoles == nil {
		t.VisibleToRoles = append([]string(nil), Roles...)
	}
	if t.FieldSchemas == nil {
		t.FieldSchemas = []FieldSchema{}
	}
	if t.FourEyesStatuses == nil {
		t.FourEyesStatuses = []string{}
	}
}

// Validate checks a template's own rules.
func (t *CaseTemplate) Validate() error {
	if strings.TrimSpace(t.Name) == "" {
		return Invalid("name", "name is required")
	}
	if len(t.Name) > 200 {
		return Invalid("name", "name must be at most 200 characters")
	}
	if !templateKeyRe.MatchString(t.Key) {
		return Invalid("key", "key must be 1 to 16 upper-case letters or digits, starting with a letter (e.g. KYC)")
	}
	if err := validateStatuses(t.Statuses); err != nil {
		return err
	}
	if err := validateFieldSchemas(t.FieldSchemas, "field-schemas"); err != nil {
		return err
	}
	if err := t.validatePolicies(); err != nil {
		return err
	}
	if t.SLASeconds != nil && (*t.SLASeconds <= 0 || *t.SLASeconds > MaxSLASeconds) {
		return Invalid("sla-seconds", "sla-seconds must be between 1 and %d (90 days)", MaxSLASeconds)
	}
	for i, r := range t.VisibleToRoles {
		if !contains(Roles, r) {
			return Invalid(FieldIndex("visible-to-roles", i), "unknown role %q (one of %s)", r, strings.Join(Roles, ", "))
		}
	}
	return t.validateFourEyes()
}

// MaxSLASeconds caps an SLA at 90 days, as the hosted API does.
const MaxSLASeconds = 90 * 24 * 3600

func validateStatuses(statuses []Status) error {
	const p = "statuses"
	initial, end := 0, 0
	seen := map[string]bool{}
	for i, s := range statuses {
		ip := FieldIndex(p, i)
		name := strings.TrimSpace(s.Name)
		if name == "" || name != s.Name || len(name) > 100 {
			return Invalid(ip+".name", "status name must be 1 to 100 characters without surrounding spaces")
		}
		if seen[strings.ToLower(name)] {
			return Invalid(ip+".name", "status %q appears twice", name)
		}
		seen[strings.ToLower(name)] = true
		switch s.Type {
		case StatusInitial:
			initial++
		case StatusEnd:
			end++
		case StatusIntermediate:
		default:
			return Invalid(ip+".type", "status type must be initial, intermediate or end")
		}
	}
	if initial != 1 {
		return Invalid(p, "exactly one status must have type initial (found %d)", initial)
	}
	if end == 0 {
		return Invalid(p, "at least one status must have type end, so that cases can be resolved")
	}
	return nil
}

func (t *CaseTemplate) validatePolicies() error {
	switch t.AssignmentPolicy.Type {
	case AssignManual, AssignInquiryCreator:
	case AssignRoundRobin, AssignFewestCases:
		if len(t.AssignmentPolicy.UserIDs) == 0 {
			return Invalid("assignment-policy.user-ids", "%s assignment needs at least one user", t.AssignmentPolicy.Type)
		}
	default:
		return Invalid("assignment-policy.type", "assignment policy must be manual, inquiry-creator, round-robin or fewest-cases")
	}
	seen := map[string]bool{}
	for i, id := range t.AssignmentPolicy.UserIDs {
		if !ValidID(PrefixUser, id) || seen[id] {
			return Invalid(FieldIndex("assignment-policy.user-ids", i), "%q is not a user id or appears twice", id)
		}
		seen[id] = true
	}
	for i, e := range t.NotificationPolicy.Emails {
		if !ValidEmail(e) {
			return Invalid(FieldIndex("notification-policy.emails", i), "%q is not an email address", e)
		}
	}
	return nil
}

var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// ValidEmail is a deliberately loose check: one @, a dot in the domain, no spaces.
func ValidEmail(s string) bool { return len(s) <= 254 && emailRe.MatchString(s) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// CaseTemplateUpdate holds the attributes a PATCH may change; nil means unchanged.
type CaseTemplateUpdate struct {
	Name               *string
	Statuses           *[]Status
	FieldSchemas       *[]FieldSchema
	AssignmentPolicy   *AssignmentPolicy
	NotificationPolicy *NotificationPolicy
	SLASeconds         **int64
	VisibleToRoles     *[]string
	FourEyesStatuses   *[]string
	SAR                *bool
}

// CaseTemplateFilter narrows a template list.
type CaseTemplateFilter struct {
	Status string
	// Visibility leaves out the templates whose cases the caller may not see.
	Visibility Visibility
	Page       Page
}

// CaseTemplateService manages case templates.
type CaseTemplateService interface {
	CreateTemplate(ctx context.Context, actor Actor, t *CaseTemplate) error
	FindTemplate(ctx context.Context, id string) (*CaseTemplate, error)
	ListTemplates(ctx context.Context, f CaseTemplateFilter) ([]*CaseTemplate, PageResult, error)
	UpdateTemplate(ctx context.Context, actor Actor, id string, u CaseTemplateUpdate) (*CaseTemplate, error)
	ArchiveTemplate(ctx context.Context, actor Actor, id string) (*CaseTemplate, error)
}
