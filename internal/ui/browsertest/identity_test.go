package browsertest

import (
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

// TestCasePageShowsIdentity: an account pushed through the API with the hosted API's
// identity attributes shows on the case page, its social security number masked for a
// reviewer and in full for a manager.
func TestCasePageShowsIdentity(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		rev, man := s.user(t, "reviewer"), s.user(t, "manager")
		act, _ := s.apiOK(t, 201, "POST", "/accounts", `{"data":{"attributes":{"name-first":"Jane","name-last":"Doe",
			"birthdate":"1994-12-30","country-code":"US","social-security-number":"123-45-6789"}}}`)["id"].(string)
		c := s.newCase(t, s.template(t, nil), func(nc *docket.NewCase) { nc.ObjectIDs = []string{act} })

		b := s.tab(t)
		b.signIn(rev.Email)
		b.openOK("/cases/" + c.ID)
		b.wantText("#objects", "Jane Doe", "1994-12-30", "***-**-6789")
		if strings.Contains(b.text("#objects"), "123-45-6789") {
			t.Fatal("a reviewer sees the social security number in full")
		}

		m := s.tab(t)
		m.signIn(man.Email)
		m.openOK("/cases/" + c.ID)
		m.wantText("#objects", "Jane Doe", "123-45-6789")
	})
}
