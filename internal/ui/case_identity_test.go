package ui_test

import (
	"net/http"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestCaseIdentity checks that the case page shows the identity of the case's account
// and inquiry, identifiers masked for a reviewer and in full for a manager.
func TestCaseIdentity(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := newCaseWorld(t, dbURL)
		str := func(s string) *string { return &s }
		_, err := w.store.UpdateAccount(ctx, system, w.account.ID, docket.AccountUpdate{Identity: docket.IdentityUpdate{
			Texts: map[string]*string{"name-first": str("Jane"), "name-middle": str("Marie"), "name-last": str("Doe"),
				"birthdate": str("1994-12-30"), "address-street-1": str("123 Main St"), "address-city": str("Wellington"),
				"country-code": str("NZ"), "social-security-number": str("123-45-6789")},
			IdentificationNumbers: &[]docket.IdentificationNumber{{Class: "passport", Number: "LA123456", IssuingCountry: "NZ"}}}})
		noErr(t, err)
		_, err = w.store.UpdateInquiry(ctx, system, w.inquiry.ID, docket.InquiryUpdate{Identity: docket.IdentityUpdate{
			Texts: map[string]*string{"name-first": str("Jane"), "identification-number": str("DL-998877")}}})
		noErr(t, err)
		for _, c := range []struct {
			name     string
			who      *docket.User
			want     []string
			withheld []string
		}{
			{"reviewer", w.ada, []string{"***-**-6789", "****3456", "**-**8877"}, []string{"123-45-6789", "LA123456", "DL-998877"}},
			{"manager", w.max, []string{"123-45-6789", "LA123456", "DL-998877"}, nil},
		} {
			p := w.as(c.who).get(w.path(""))
			p.want(t, http.StatusOK, append([]string{"<th scope=\"col\">Identity</th>", "Jane Marie Doe", "1994-12-30",
				"123 Main St, Wellington", "passport (NZ)"}, c.want...)...)
			p.lacks(t, c.withheld...)
		}
	})
}
