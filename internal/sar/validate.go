package sar

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/docket-hq/docket"
)

// MaxNarrative is the narrative's limit: the schema takes five parts of 4,000 characters.
const MaxNarrative = 5 * narrativePart

const narrativePart = 4000

// Rules are the checks a report passes before it may be approved and filed
// (docket.SARRules); the store applies them.
type Rules struct{}

// Problems lists every problem of the report with the settings, each at its field path
// ("report.subjects[0].last-name", "settings.institution.ein"), in the form's order.
func (Rules) Problems(s *docket.SAR, settings *docket.SARSettings) []*docket.Error {
	var c checker
	c.filing(s)
	c.subjects(s.Report.Subjects)
	c.activity(s.Report.Activity)
	c.narrative(s.Report.Narrative)
	c.settings(settings)
	return c.problems
}

// Section returns the form section a problem's field belongs to: filing, subjects,
// activity, narrative, institution, transmitter or contact.
func Section(field string) string {
	segs, ok := docket.FieldSegments(field)
	if !ok || len(segs) < 2 {
		return "filing"
	}
	switch segs[1] {
	case "subjects", "activity", "narrative", "institution", "transmitter", "contact":
		return segs[1]
	}
	return "filing"
}

type checker struct{ problems []*docket.Error }

func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems, docket.Invalid(field, format, args...))
}

func (c *checker) required(field, v, what string) bool {
	if strings.TrimSpace(v) == "" {
		c.add(field, "%s is required", what)
		return false
	}
	return true
}

func (c *checker) maxLen(field, v string, n int) {
	if utf8.RuneCountInString(v) > n {
		c.add(field, "at most %d characters (this has %d)", n, utf8.RuneCountInString(v))
	}
}

var (
	digits9     = regexp.MustCompile(`^[0-9]{9}$`)
	bsaID       = regexp.MustCompile(`^[0-9]{1,14}$`)
	country     = regexp.MustCompile(`^[A-Z]{2}$`)
	birthDate   = regexp.MustCompile(`^(19|20)[0-9]{2}-(0[0-9]|1[0-2])-(0[0-9]|[12][0-9]|3[01])$`)
	phoneDigits = regexp.MustCompile(`^[0-9]{1,16}$`)
	tcc         = regexp.MustCompile(`^[A-Z0-9]{8}$`)
)

func (c *checker) filing(s *docket.SAR) {
	if !slices.Contains(docket.SARFilingTypes, s.FilingType) {
		c.add("filing-type", "must be one of %s", strings.Join(docket.SARFilingTypes, ", "))
	}
	n := s.Report.PriorDocumentNumber
	switch {
	case (s.FilingType == docket.SARContinuing || s.FilingType == docket.SARCorrection) && n == "":
		c.add("report.prior-document-number", "a %s report names the BSA ID of the prior report", s.FilingType)
	case n != "" && !bsaID.MatchString(n):
		c.add("report.prior-document-number", "a BSA ID is up to 14 digits")
	}
}

func (c *checker) subjects(subjects []docket.SARSubject) {
	if len(subjects) == 0 {
		c.add("report.subjects", "at least one subject is required (attach the account or inquiry of the person concerned)")
	}
	for i, s := range subjects {
		p := docket.FieldIndex("report.subjects", i)
		what := "the last name"
		if s.Entity {
			what = "the entity's name"
		}
		if c.required(p+".last-name", s.LastName, what) {
			c.maxLen(p+".last-name", s.LastName, 150)
		}
		c.maxLen(p+".first-name", s.FirstName, 35)
		c.maxLen(p+".middle-name", s.MiddleName, 35)
		if s.BirthDate != "" && !birthDate.MatchString(s.BirthDate) {
			c.add(p+".birth-date", "a date of birth is YYYY-MM-DD (00 for an unknown month or day)")
		}
		c.address(p+".address", s.Address, false)
		for j, id := range s.Identifiers {
			q := docket.FieldIndex(p+".identifiers", j)
			if _, ok := IdentifierTypes[id.Type]; !ok {
				c.add(q+".type", "%q is not a FinCEN identification type", id.Type)
			}
			if c.required(q+".number", id.Number, "the number") {
				c.maxLen(q+".number", id.Number, 25)
			}
		}
		for j, a := range s.AccountNumbers {
			q := docket.FieldIndex(p+".account-numbers", j)
			if c.required(q, a, "the account number") {
				c.maxLen(q, a, 40)
			}
		}
	}
}

// address checks an address; a full one (the institution's) needs every part.
func (c *checker) address(p string, a docket.SARAddress, full bool) {
	if full {
		c.required(p+".street", a.Street, "the street")
		c.required(p+".city", a.City, "the city")
		c.required(p+".zip", a.ZIP, "the ZIP code")
		if c.required(p+".country", a.Country, "the country") && a.Country == "US" {
			c.required(p+".state", a.State, "the state")
		}
	}
	c.maxLen(p+".street", a.Street, 100)
	c.maxLen(p+".city", a.City, 50)
	c.maxLen(p+".state", a.State, 3)
	c.maxLen(p+".zip", strings.ReplaceAll(a.ZIP, "-", ""), 9)
	if a.Country != "" && !country.MatchString(a.Country) {
		c.add(p+".country", "a country is a two-letter ISO 3166 code, such as US")
	}
}

func (c *checker) activity(a docket.SARActivity) {
	from, okFrom := c.date("report.activity.from", a.From, true)
	to, okTo := c.date("report.activity.to", a.To, false)
	if okFrom && okTo && a.To != "" && to.Before(from) {
		c.add("report.activity.to", "the activity ends before it starts (%s)", a.From)
	}
	switch {
	case a.AmountUnknown && a.Amount != nil:
		c.add("report.activity.amount", "give an amount or mark it unknown, not both")
	case !a.AmountUnknown && a.Amount == nil:
		c.add("report.activity.amount", "the total amount is required (or mark it unknown)")
	case a.Amount != nil && *a.Amount <= 0:
		c.add("report.activity.amount", "the amount is a positive number of whole dollars")
	case a.Amount != nil && *a.Amount > 999_999_999_999_999:
		c.add("report.activity.amount", "at most 15 digits")
	}
	if a.Currency != "" && a.Currency != "USD" {
		c.add("report.activity.currency", "FinCEN takes amounts in US dollars: convert the %s amount and set the currency to USD", a.Currency)
	}
	c.categories(a.Categories)
}

func (c *checker) date(field, v string, required bool) (time.Time, bool) {
	if v == "" {
		if required {
			c.add(field, "the date is required")
		}
		return time.Time{}, false
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || d.Year() < 1900 || d.Year() > 2099 {
		c.add(field, "a date is YYYY-MM-DD")
		return time.Time{}, false
	}
	return d, true
}

func (c *checker) categories(cats []docket.SARCategory) {
	if len(cats) == 0 {
		c.add("report.activity.categories", "at least one category of suspicious activity is required")
	}
	for i, cat := range cats {
		p := docket.FieldIndex("report.activity.categories", i)
		if _, ok := Categories[cat.Type]; !ok {
			c.add(p+".type", "%d is not a FinCEN suspicious activity type", cat.Type)
			continue
		}
		if _, ok := Subcategories[cat.Subtype]; !ok {
			c.add(p+".subtype", "%d is not a FinCEN suspicious activity subtype", cat.Subtype)
			continue
		}
		if SubcategoryType(cat.Subtype) != cat.Type {
			c.add(p+".subtype", "%d is a subtype of %s, not of %s", cat.Subtype, Categories[SubcategoryType(cat.Subtype)], Categories[cat.Type])
		}
		if slices.IndexFunc(cats, func(o docket.SARCategory) bool { return o.Subtype == cat.Subtype }) != i {
			c.add(p+".subtype", "%d appears twice", cat.Subtype)
		}
		if IsOther(cat.Subtype) && c.required(p+".other", cat.Other, "a description of the other activity") {
			c.maxLen(p+".other", cat.Other, 50)
		}
	}
}

func (c *checker) narrative(n string) {
	if c.required("report.narrative", n, "the narrative") {
		c.maxLen("report.narrative", n, MaxNarrative)
	}
}

func (c *checker) settings(s *docket.SARSettings) {
	in := s.Institution
	c.required("settings.institution.name", in.Name, "the filing institution's name")
	c.nineDigits("settings.institution.ein", in.EIN, "the filing institution's EIN")
	if _, ok := InstitutionTypes[in.Type]; !ok {
		c.add("settings.institution.type", "choose the filing institution's type")
	}
	if _, ok := Regulators[in.Regulator]; !ok {
		c.add("settings.institution.regulator", "choose the primary federal regulator (or Not applicable)")
	}
	c.address("settings.institution.address", in.Address, true)
	t := s.Transmitter
	c.required("settings.transmitter.name", t.Name, "the transmitter's name")
	c.nineDigits("settings.transmitter.tin", t.TIN, "the transmitter's TIN")
	if c.required("settings.transmitter.tcc", t.TCC, "the Transmitter Control Code") && !tcc.MatchString(t.TCC) {
		c.add("settings.transmitter.tcc", "a Transmitter Control Code is 8 capital letters and digits")
	}
	c.phone("settings.transmitter.phone", t.Phone, "the transmitter's phone number")
	c.required("settings.transmitter.contact-name", t.ContactName, "the transmitter's contact")
	c.address("settings.transmitter.address", t.Address, true)
	c.required("settings.contact.office", s.Contact.Office, "the contact office")
	c.phone("settings.contact.phone", s.Contact.Phone, "the contact office's phone number")
}

func (c *checker) nineDigits(field, v, what string) {
	if c.required(field, v, what) && !digits9.MatchString(v) {
		c.add(field, "%s is 9 digits, without dashes", what)
	}
}

func (c *checker) phone(field, v, what string) {
	if c.required(field, v, what) && !phoneDigits.MatchString(v) {
		c.add(field, "%s is up to 16 digits, without spaces or dashes", what)
	}
}

// Message is a problem as one line: "report.narrative: the narrative is required".
func Message(e *docket.Error) string { return fmt.Sprintf("%s: %s", e.Field, e.Message) }
