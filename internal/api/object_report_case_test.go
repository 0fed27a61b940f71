package api_test

import (
	"net/http"
	"testing"
)

// TestCaseReportRelationshipType checks that an attached report appears in the case's
// relationships and in included with its report type, as in the hosted API, and that
// removing it takes it out of the relationship.
func TestCaseReportRelationshipType(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		rep := h.must(http.StatusCreated, "POST", "/reports",
			`{"data":{"attributes":{"report-type":"report/watchlist","reference-id":"cust-7"}}}`).str("data.id")
		tmpl := h.createTemplate("")
		c := h.must(http.StatusCreated, "POST", "/cases?include=reports",
			`{"data":{"attributes":{"case-template-id":"`+tmpl+`"}},"meta":{"object-ids":["`+rep+`"]}}`)
		if got := c.str("data.relationships.reports.data.0.type"); got != "report/watchlist" {
			t.Fatalf("relationship type %q, want report/watchlist", got)
		}
		if got := c.str("included.0.type"); got != "report/watchlist" {
			t.Fatalf("included type %q, want report/watchlist", got)
		}
		id := c.str("data.id")
		again := h.must(http.StatusOK, "GET", "/cases/"+id, "")
		if got := again.str("data.relationships.reports.data.0.id"); got != rep {
			t.Fatalf("after reload: report %q, want %s", got, rep)
		}
		if got := again.str("data.relationships.reports.data.0.type"); got != "report/watchlist" {
			t.Fatalf("after reload: type %q", got)
		}
		removed := h.must(http.StatusOK, "POST", "/cases/"+id+"/remove-objects", `{"meta":{"object-ids":["`+rep+`"]}}`)
		if n := len(removed.list("data.relationships.reports.data")); n != 0 {
			t.Fatalf("%d reports after removal", n)
		}
	})
}
