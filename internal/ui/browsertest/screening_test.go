package browsertest

import (
	"fmt"
	"testing"

	"github.com/docket-hq/docket"
)

// TestScreeningOnCasePage is the README's screening story: a list is imported and a
// report screens a customer through the API; the reviewer finds the matched entry, its
// list and score on the case that holds the report, and the admin finds the list, its
// entry count and the template's threshold under Administration, at phone width too.
func TestScreeningOnCasePage(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		ada, admin := s.user(t, "reviewer"), s.user(t, "admin")
		list := unique("EU sanctions ")
		wl := s.apiOK(t, 201, "POST", "/watchlists", fmt.Sprintf(`{"data":{"attributes":{"name":%q,"format":"json"}}}`, list))["id"].(string)
		s.apiOK(t, 200, "POST", "/watchlists/"+wl+"/import",
			`{"meta":{"entries":[{"id":"EU-2","name":"Ivan Petrov","birth-dates":["1980"],"countries":["RU"]},{"id":"EU-3","name":"Marie-Thérèse Dubois"}]}}`)
		rt := s.apiOK(t, 201, "POST", "/report-templates", fmt.Sprintf(`{"data":{"attributes":{"name":%q,"threshold":0.9,"watchlist-ids":[%q]}}}`,
			unique("Sanctions "), wl))["id"].(string)
		rep := s.apiOK(t, 201, "POST", "/reports", `{"data":{"type":"report/watchlist","attributes":{"report-template-id":"`+rt+
			`","query":{"name-first":"Иван","name-last":"Petroff","birthdate":"1980-03-01"}}}}`)["id"].(string)
		c := s.newCase(t, s.template(t, nil), func(nc *docket.NewCase) { nc.ObjectIDs = []string{rep} })

		b := s.tab(t)
		b.signIn(ada.Email)
		b.openOK("/cases/" + c.ID)
		b.wantText(".screening-matches", "Ivan Petrov", list, "EU-2", "score 0.9")
		b.fits("case page with a screening report")

		a := s.tab(t)
		a.signIn(admin.Email)
		a.openOK("/admin")
		a.clickOK(`a[href="/admin/watchlists"]`)
		a.wantText(`tr[data-list="`+wl+`"]`, list, "json", "2")
		a.wantText(`tr[data-template="`+rt+`"]`, "0.90", list)
		a.fits("watch lists page")
	})
}
