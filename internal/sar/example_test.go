package sar_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/docket-hq/docket"
)

// Schema is the FinCEN SAR batch schema the files are checked against.
const schema = "testdata/fincen/EFL_SARXBatchSchema.xsd"

// completeSettings are settings that pass every check.
func completeSettings() *docket.SARSettings {
	return &docket.SARSettings{
		Institution: docket.SARInstitution{Name: "First Docket Bank", EIN: "123456789", Type: 2, Regulator: "4",
			Address: docket.SARAddress{Street: "1 Main St", City: "Springfield", State: "IL", ZIP: "62701", Country: "US"}},
		Transmitter: docket.SARTransmitter{Name: "First Docket Bank", TIN: "123456789", TCC: "PTCC1234", Phone: "2175550100",
			ContactName: "Jane Compliance", Address: docket.SARAddress{Street: "1 Main St", City: "Springfield", State: "IL", ZIP: "62701", Country: "US"}},
		Contact:       docket.SARContact{Office: "BSA Office", Phone: "2175550101"},
		CategoryField: "rules-violated",
		CategoryMap:   []docket.SARCategoryMapping{{Value: "structuring", Type: 1, Subtype: 113}, {Value: "velocity", Type: 8, Subtype: 812}},
	}
}

func amount(n int64) *int64 { return &n }

// completeSAR is a report that passes every check.
func completeSAR() *docket.SAR {
	return &docket.SAR{ID: "sar_test", FilingType: docket.SARInitial, Status: docket.SARDraft, Report: docket.SARReport{
		Subjects: []docket.SARSubject{{LastName: "Bloggs", FirstName: "Jo", BirthDate: "1980-10-25",
			Address:        docket.SARAddress{Street: "2 Elm St", City: "Chicago", State: "IL", ZIP: "60601", Country: "US"},
			Identifiers:    []docket.SARIdentifier{{Type: "1", Number: "123456789"}},
			AccountNumbers: []string{"cust-42"}}},
		Activity: docket.SARActivity{From: "2026-11-01", To: "2026-11-20", Amount: amount(9501), Currency: "USD",
			Categories: []docket.SARCategory{{Type: 1, Subtype: 113}}},
		Narrative: "Jo Bloggs made repeated cash deposits just under the reporting threshold.",
	}}
}

// xmllint validates doc against the schema, failing the test with xmllint's report.
func xmllint(t *testing.T, doc []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatal("xmllint is missing: apt-get install libxml2-utils (.ci/run does)")
	}
	path := filepath.Join(t.TempDir(), "batch.xml")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", schema, path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, doc)
	}
}
