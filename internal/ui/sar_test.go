package ui_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestSARPages walks the dashboard's SAR path: Prepare SAR on a case, the form with its
// sources and problems, the settings page, validation, the four-eyes approval, the XML,
// filing; and the secrecy of it all to a user without SAR access.
func TestSARPages(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		noErr(t, w.store.CreateTemplate(ctx, system, &docket.CaseTemplate{Name: "SAR", Key: "SAR", SAR: true}))
		second := w.user("second@example.com", docket.RoleAdmin)
		root, viewer := w.as(w.root), w.as(w.vc)

		root.get(w.path("")).want(t, http.StatusOK, "Prepare SAR")
		w.as(w.ada).get(w.path("")).lacks(t, "Prepare SAR", "Suspicious activity reports")
		sarPage := root.follow(root.submit(w.path(""), w.path("/prepare-sar")))
		sarPage.want(t, http.StatusOK, "Opened SAR-1", "From account "+w.account.ID+" reference-id", "The last name is required.",
			"The narrative is required.", "Filing institution: the filing institution&#39;s name is required.", "Save and validate")
		sars, _, err := w.store.ListSARs(ctx, docket.SARFilter{Page: docket.Page{Size: 10}})
		noErr(t, err)
		if len(sars) != 1 {
			t.Fatalf("%d SARs, want 1", len(sars))
		}
		x := sars[0]
		sarPath := "/sars/" + x.ID

		// Secret: the viewer meets 404s and no link.
		for _, p := range []string{sarPath, sarPath + "/print", sarPath + "/fincen.xml", "/sars", "/cases/" + x.CaseID} {
			viewer.get(p).want(t, http.StatusNotFound)
		}
		viewer.get("/cases").lacks(t, "SAR-1", `href="/sars"`)

		// The form: a name and a narrative; the settings; then validation.
		form := url.Values{"subjects-count": {"2"}, "subjects[0].last-name": {"Bloggs"}, "subjects[0].first-name": {"Jo"},
			"subjects[0].account-numbers": {"cust-42"}, "subjects[0].identifiers-count": {"1"},
			"activity.from": {"2026-11-02"}, "activity.to": {"2026-11-20"}, "activity.amount": {"12,001"}, "activity.currency": {"usd"},
			"categories-count": {"1"}, "activity.categories[0].subtype": {"113"},
			"narrative": {"Repeated deposits just under the threshold."}, "validate": {"1"}}
		root.post(sarPath, sarPath, form).want(t, http.StatusUnprocessableEntity, "The report is not complete", "Filing institution: ")
		settings := url.Values{"institution.name": {"First Docket Bank"}, "institution.ein": {"123456789"}, "institution.type": {"2"},
			"institution.regulator": {"4"}, "institution.address.street": {"1 Main St"}, "institution.address.city": {"Springfield"},
			"institution.address.state": {"IL"}, "institution.address.zip": {"62701"}, "institution.address.country": {"US"},
			"transmitter.name": {"First Docket Bank"}, "transmitter.tin": {"123456789"}, "transmitter.tcc": {"PTCC1234"},
			"transmitter.phone": {"2175550100"}, "transmitter.contact-name": {"Jane Compliance"}, "transmitter.address.street": {"1 Main St"},
			"transmitter.address.city": {"Springfield"}, "transmitter.address.state": {"IL"}, "transmitter.address.zip": {"62701"},
			"transmitter.address.country": {"US"}, "contact.office": {"BSA Office"}, "contact.phone": {"2175550101"},
			"category-field": {"rules-violated"}, "category-map-count": {"1"}, "category-map[0].value": {"structuring"}, "category-map[0].subtype": {"113"}}
		root.get("/admin/sar-settings").want(t, http.StatusOK, "The filing institution&#39;s name is required.")
		root.follow(root.post("/admin/sar-settings", "/admin/sar-settings", settings)).want(t, http.StatusOK, "Saved the SAR filing settings.", `value="PTCC1234"`)
		root.follow(root.post(sarPath, sarPath, form)).want(t, http.StatusOK, "Saved and validated", `id="sar-status">ready<`)

		// Four eyes: the preparer is told why not, and refused; the second admin approves.
		root.get(sarPath).want(t, http.StatusOK, "You prepared this SAR: a second person with SAR access must approve it.")
		root.post(sarPath, sarPath+"/approve", url.Values{}).want(t, http.StatusForbidden)
		b2 := w.as(second)
		b2.follow(b2.post(sarPath, sarPath+"/approve", url.Values{})).want(t, http.StatusOK, "Approved", "Download FinCEN XML")
		xml := b2.get(sarPath + "/fincen.xml")
		xml.want(t, http.StatusOK, "<fc2:RawEntityIndividualLastName>Bloggs</fc2:RawEntityIndividualLastName>", "<fc2:TotalSuspiciousAmountText>12001<")
		xmllint(t, xml.body)
		b2.get(sarPath+"/print").want(t, http.StatusOK, "Bloggs, Jo", "Structuring: Transaction(s) below BSA recordkeeping threshold", "First Docket Bank")
		b2.follow(b2.post(sarPath, sarPath+"/file", url.Values{"bsa-id": {"31000012345678"}})).want(t, http.StatusOK, "Marked filed", "31000012345678")
		b2.get("/sars").want(t, http.StatusOK, "31000012345678")
	})
}

// xmllint validates a FinCEN batch file against the schema kept in internal/sar.
func xmllint(t *testing.T, doc string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sar.xml")
	noErr(t, os.WriteFile(path, []byte(doc), 0o600))
	if out, err := exec.Command("xmllint", "--noout", "--schema", "../sar/testdata/fincen/EFL_SARXBatchSchema.xsd", path).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}
