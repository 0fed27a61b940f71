package sar_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// TestBatchValidates writes batches of one and of several reports, of each filing type
// and with the optional parts present and absent, and checks each against FinCEN's schema.
func TestBatchValidates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	entity := completeSAR()
	entity.Report.Subjects = []docket.SARSubject{{Entity: true, LastName: "Shell Co  LLC\n"}, {LastName: "Nobody"}}
	entity.Report.Activity.Amount, entity.Report.Activity.AmountUnknown = nil, true
	entity.Report.Activity.Categories = []docket.SARCategory{{Type: 9, Subtype: 9999, Other: "Layering"}, {Type: 8, Subtype: 812}}
	entity.Report.Narrative = strings.Repeat("word ", 3500) // 17,500 characters: five parts
	continuing := completeSAR()
	continuing.FilingType, continuing.Report.PriorDocumentNumber = docket.SARContinuing, "31000012345678"
	correction := completeSAR()
	correction.FilingType, correction.Report.PriorDocumentNumber = docket.SARCorrection, "31000012345679"
	for _, tc := range []struct {
		name       string
		sars       []*docket.SAR
		wantCounts string
	}{
		{"one", []*docket.SAR{completeSAR()}, `TotalAmount="9501" PartyCount="7" ActivityCount="1"`},
		{"entity, unknown amount, other category, long narrative", []*docket.SAR{entity}, `TotalAmount="0" PartyCount="7" ActivityCount="1"`},
		{"three", []*docket.SAR{completeSAR(), continuing, correction}, `TotalAmount="28503" PartyCount="21" ActivityCount="3"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range tc.sars {
				if p := (sar.Rules{}).Problems(s, completeSettings()); len(p) > 0 {
					t.Fatalf("the example does not pass the rules: %v", p)
				}
			}
			doc, err := sar.Batch(tc.sars, completeSettings(), now)
			if err != nil {
				t.Fatal(err)
			}
			xmllint(t, doc)
			if !strings.Contains(string(doc), tc.wantCounts) {
				t.Errorf("counts: want %s in\n%.600s", tc.wantCounts, doc)
			}
		})
	}
}

func TestBatchContent(t *testing.T) {
	t.Parallel()
	s := completeSAR()
	s.FilingType, s.Report.PriorDocumentNumber = docket.SARContinuing, "31000012345678"
	doc, err := sar.Batch([]*docket.SAR{s}, completeSettings(), time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<fc2:EFilingPriorDocumentNumber>31000012345678</fc2:EFilingPriorDocumentNumber>",
		"<fc2:FilingDateText>20261203</fc2:FilingDateText>",
		"<fc2:ContinuingActivityReportIndicator>Y</fc2:ContinuingActivityReportIndicator>",
		"<fc2:RawEntityIndividualLastName>Bloggs</fc2:RawEntityIndividualLastName>",
		"<fc2:IndividualBirthDateText>19801025</fc2:IndividualBirthDateText>",
		"<fc2:AccountNumberText>cust-42</fc2:AccountNumberText>",
		"<fc2:SuspiciousActivityFromDateText>20261101</fc2:SuspiciousActivityFromDateText>",
		"<fc2:TotalSuspiciousAmountText>9501</fc2:TotalSuspiciousAmountText>",
		"<fc2:SuspiciousActivitySubtypeID>113</fc2:SuspiciousActivitySubtypeID>",
		`<fc2:Activity SeqNum="1">`,
	} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("the file lacks %s", want)
		}
	}
}
