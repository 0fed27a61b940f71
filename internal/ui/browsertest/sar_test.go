package browsertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

// TestSARFromCasePage: an investigator prepares a SAR from an alert case's page, finds
// the subject auto-filled with its source, completes the narrative and validates; a
// second admin approves and downloads the FinCEN file, which the schema accepts.
func TestSARFromCasePage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		preparer, approver := s.user(t, docket.RoleAdmin), s.user(t, docket.RoleAdmin)
		s.template(t, func(tm *docket.CaseTemplate) { tm.SAR = true })
		alertTmpl := s.template(t, nil)
		first, last, ssn := "Jo", unique("Bloggs"), "123-45-6789"
		ref := unique("cust")
		acct := &docket.Account{ReferenceID: &ref, Identity: docket.Identity{NameFirst: &first, NameLast: &last, SocialSecurityNumber: &ssn}}
		if err := s.store.CreateAccount(ctx, actor, acct); err != nil {
			t.Fatal(err)
		}
		if err := s.store.SetSARSettings(ctx, actor, completeSettings()); err != nil {
			t.Fatal(err)
		}
		c := s.newCase(t, alertTmpl, func(nc *docket.NewCase) { nc.ObjectIDs = []string{acct.ID} })

		b := s.tab(t)
		b.signIn(preparer.Email)
		b.openOK("/cases/" + c.ID)
		b.clickOK(`form[action="/cases/` + c.ID + `/prepare-sar"] button[type=submit]`)
		if !strings.HasPrefix(b.path(), "/sars/sar_") {
			t.Fatalf("Prepare SAR led to %s", b.path())
		}
		sarPath := b.path()
		if got := eval[string](b, `document.getElementById("in-subjects[0].last-name").value`); got != last {
			t.Fatalf("the subject's last name is %q, want %q", got, last)
		}
		b.wantText("#sec-subjects", "From account "+acct.ID+" identity.name-last")
		b.wantText("#sec-narrative", "The narrative is required.")

		b.fill(`[name="subjects[0].birth-date"]`, "1980-10-25")
		b.fill(`[name="activity.from"]`, "2026-11-02")
		b.fill(`[name="activity.amount"]`, "9501")
		b.fill(`[name="activity.categories[0].subtype"]`, "113")
		b.fill(`[name="narrative"]`, "Repeated cash deposits kept under the reporting threshold.")
		b.clickOK(`button[name=validate]`)
		b.wantText("#sar-status", "ready")
		b.wantText(".sar-actions", "You prepared this SAR")

		b2 := s.tab(t)
		b2.signIn(approver.Email)
		b2.openOK(sarPath)
		b2.clickOK(`form[action="` + sarPath + `/approve"] button[type=submit]`)
		b2.wantText("#sar-status", "approved")
		got := eval[string](b2, `(() => { const x = new XMLHttpRequest(); x.open("GET", document.querySelector("a[download]").href, false); x.send();
			return x.status + " " + x.getResponseHeader("Content-Disposition") + "\n" + x.responseText })()`)
		head, doc, _ := strings.Cut(got, "\n")
		if !strings.HasPrefix(head, "200 attachment;") || !strings.Contains(doc, "<fc2:RawEntityIndividualLastName>"+last+"<") {
			t.Fatalf("the download: %s\n%.400s", head, doc)
		}
		path := filepath.Join(t.TempDir(), "sar.xml")
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("xmllint", "--noout", "--schema", "../../sar/testdata/fincen/EFL_SARXBatchSchema.xsd", path).CombinedOutput(); err != nil {
			t.Fatalf("xmllint: %v\n%s", err, out)
		}
	})
}

// completeSettings are SAR filing settings that pass every check.
func completeSettings() *docket.SARSettings {
	addr := docket.SARAddress{Street: "1 Main St", City: "Springfield", State: "IL", ZIP: "62701", Country: "US"}
	return &docket.SARSettings{
		Institution: docket.SARInstitution{Name: "First Docket Bank", EIN: "123456789", Type: 2, Regulator: "4", Address: addr},
		Transmitter: docket.SARTransmitter{Name: "First Docket Bank", TIN: "123456789", TCC: "PTCC1234", Phone: "2175550100",
			ContactName: "Jane Compliance", Address: addr},
		Contact: docket.SARContact{Office: "BSA Office", Phone: "2175550101"}, CategoryField: "rules-violated"}
}
