package sar_test

import (
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// TestRules breaks a complete report or its settings one way at a time and checks that
// exactly that problem is reported, at its field, with its section.
func TestRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		edit     func(s *docket.SAR, st *docket.SARSettings)
		field    string
		section  string
		contains string
	}{
		{"unknown filing type", func(s *docket.SAR, _ *docket.SARSettings) { s.FilingType = "amended" }, "filing-type", "filing", "must be one of"},
		{"continuing without the prior BSA ID", func(s *docket.SAR, _ *docket.SARSettings) { s.FilingType = docket.SARContinuing },
			"report.prior-document-number", "filing", "BSA ID of the prior report"},
		{"prior BSA ID not digits", func(s *docket.SAR, _ *docket.SARSettings) {
			s.FilingType, s.Report.PriorDocumentNumber = docket.SARCorrection, "BSA-1"
		}, "report.prior-document-number", "filing", "up to 14 digits"},
		{"no subject", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Subjects = nil }, "report.subjects", "subjects", "at least one subject"},
		{"subject without a last name", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Subjects[0].LastName = " " },
			"report.subjects[0].last-name", "subjects", "last name is required"},
		{"entity without a name", func(s *docket.SAR, _ *docket.SARSettings) {
			s.Report.Subjects[0].Entity, s.Report.Subjects[0].LastName = true, ""
		}, "report.subjects[0].last-name", "subjects", "entity's name"},
		{"last name too long", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Subjects[0].LastName = strings.Repeat("x", 151) },
			"report.subjects[0].last-name", "subjects", "at most 150"},
		{"first name too long", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Subjects[0].FirstName = strings.Repeat("x", 36) },
			"report.subjects[0].first-name", "subjects", "at most 35"},
		{"birth date format", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Subjects[0].BirthDate = "25/10/1980" },
			"report.subjects[0].birth-date", "subjects", "YYYY-MM-DD"},
		{"subject country not a code", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Subjects[0].Address.Country = "USA" },
			"report.subjects[0].address.country", "subjects", "two-letter"},
		{"identifier type not in the code list", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Subjects[0].Identifiers[0].Type = "3" },
			"report.subjects[0].identifiers[0].type", "subjects", "not a FinCEN identification type"},
		{"identifier without a number", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Subjects[0].Identifiers[0].Number = "" },
			"report.subjects[0].identifiers[0].number", "subjects", "required"},
		{"account number too long", func(s *docket.SAR, _ *docket.SARSettings) {
			s.Report.Subjects[0].AccountNumbers[0] = strings.Repeat("1", 41)
		},
			"report.subjects[0].account-numbers[0]", "subjects", "at most 40"},
		{"no start date", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.From = "" }, "report.activity.from", "activity", "required"},
		{"start date format", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.From = "2026-13-01" }, "report.activity.from", "activity", "YYYY-MM-DD"},
		{"ends before it starts", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.To = "2026-10-01" }, "report.activity.to", "activity", "ends before"},
		{"no amount", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.Amount = nil }, "report.activity.amount", "activity", "required"},
		{"amount and unknown", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.AmountUnknown = true }, "report.activity.amount", "activity", "not both"},
		{"amount not positive", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.Amount = amount(0) }, "report.activity.amount", "activity", "positive"},
		{"amount too large", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.Amount = amount(1_000_000_000_000_000) },
			"report.activity.amount", "activity", "15 digits"},
		{"not in dollars", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.Currency = "EUR" }, "report.activity.currency", "activity", "US dollars"},
		{"no category", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.Categories = nil }, "report.activity.categories", "activity", "at least one category"},
		{"category type not in the code list", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.Categories[0].Type = 2 },
			"report.activity.categories[0].type", "activity", "not a FinCEN suspicious activity type"},
		{"subtype not in the code list", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.Categories[0].Subtype = 115 },
			"report.activity.categories[0].subtype", "activity", "not a FinCEN suspicious activity subtype"},
		{"subtype of another type", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Activity.Categories[0].Subtype = 812 },
			"report.activity.categories[0].subtype", "activity", "subtype of Money laundering"},
		{"subtype twice", func(s *docket.SAR, _ *docket.SARSettings) {
			s.Report.Activity.Categories = append(s.Report.Activity.Categories, s.Report.Activity.Categories[0])
		}, "report.activity.categories[1].subtype", "activity", "appears twice"},
		{"other without a description", func(s *docket.SAR, _ *docket.SARSettings) {
			s.Report.Activity.Categories[0] = docket.SARCategory{Type: 1, Subtype: 1999}
		}, "report.activity.categories[0].other", "activity", "description"},
		{"no narrative", func(s *docket.SAR, _ *docket.SARSettings) { s.Report.Narrative = "" }, "report.narrative", "narrative", "required"},
		{"narrative too long", func(s *docket.SAR, _ *docket.SARSettings) {
			s.Report.Narrative = strings.Repeat("x", sar.MaxNarrative+1)
		},
			"report.narrative", "narrative", "at most 20000"},
		{"no institution name", func(_ *docket.SAR, st *docket.SARSettings) { st.Institution.Name = "" }, "settings.institution.name", "institution", "required"},
		{"EIN with a dash", func(_ *docket.SAR, st *docket.SARSettings) { st.Institution.EIN = "12-3456789" }, "settings.institution.ein", "institution", "9 digits"},
		{"institution type unknown", func(_ *docket.SAR, st *docket.SARSettings) { st.Institution.Type = 0 }, "settings.institution.type", "institution", "type"},
		{"regulator unknown", func(_ *docket.SAR, st *docket.SARSettings) { st.Institution.Regulator = "5" }, "settings.institution.regulator", "institution", "regulator"},
		{"institution without a city", func(_ *docket.SAR, st *docket.SARSettings) { st.Institution.Address.City = "" },
			"settings.institution.address.city", "institution", "city is required"},
		{"US institution without a state", func(_ *docket.SAR, st *docket.SARSettings) { st.Institution.Address.State = "" },
			"settings.institution.address.state", "institution", "state is required"},
		{"no transmitter name", func(_ *docket.SAR, st *docket.SARSettings) { st.Transmitter.Name = "" }, "settings.transmitter.name", "transmitter", "required"},
		{"transmitter TIN short", func(_ *docket.SAR, st *docket.SARSettings) { st.Transmitter.TIN = "1234" }, "settings.transmitter.tin", "transmitter", "9 digits"},
		{"TCC format", func(_ *docket.SAR, st *docket.SARSettings) { st.Transmitter.TCC = "p-1" }, "settings.transmitter.tcc", "transmitter", "8 capital letters"},
		{"transmitter phone with dashes", func(_ *docket.SAR, st *docket.SARSettings) { st.Transmitter.Phone = "217-555-0100" },
			"settings.transmitter.phone", "transmitter", "16 digits"},
		{"no transmitter contact", func(_ *docket.SAR, st *docket.SARSettings) { st.Transmitter.ContactName = "" },
			"settings.transmitter.contact-name", "transmitter", "required"},
		{"no contact office", func(_ *docket.SAR, st *docket.SARSettings) { st.Contact.Office = "" }, "settings.contact.office", "contact", "required"},
		{"no contact phone", func(_ *docket.SAR, st *docket.SARSettings) { st.Contact.Phone = "" }, "settings.contact.phone", "contact", "required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, st := completeSAR(), completeSettings()
			tc.edit(s, st)
			problems := (sar.Rules{}).Problems(s, st)
			if len(problems) != 1 {
				t.Fatalf("want one problem at %s, got %d: %v", tc.field, len(problems), problems)
			}
			p := problems[0]
			if p.Field != tc.field || !strings.Contains(p.Message, tc.contains) || p.Code != docket.EInvalid {
				t.Errorf("got %v, want %s containing %q", p, tc.field, tc.contains)
			}
			if got := sar.Section(p.Field); got != tc.section {
				t.Errorf("section of %s: %s, want %s", p.Field, got, tc.section)
			}
		})
	}
}
