package docket_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

func TestMaskIdentifier(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"123-45-6789", "***-**-6789"},
		{"123456789", "*****6789"},
		{"AB 12 34 56 C", "** ** *4 56 C"},
		{"1234", "****"},
		{"12-34", "**-**"},
		{"", ""},
		{"Ünï-1234-x", "***-*234-x"},
	} {
		if got := docket.MaskIdentifier(c.in); got != c.want {
			t.Errorf("MaskIdentifier(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCountryCodes(t *testing.T) {
	t.Parallel()
	// 249 officially assigned ISO 3166-1 alpha-2 codes, and XK.
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if docket.ValidCountryCode(string([]rune{a, b})) {
				n++
			}
		}
	}
	if n != 250 {
		t.Errorf("%d valid country codes, want 250", n)
	}
	for _, bad := range []string{"", "us", "UK", "XX", "USA", " US"} {
		if docket.ValidCountryCode(bad) {
			t.Errorf("%q is taken for a country code", bad)
		}
	}
}

func TestIdentityValidate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := func(v string) *string { return &v }
	for _, c := range []struct {
		name  string
		id    docket.Identity
		field string // "" when valid
	}{
		{"empty", docket.Identity{}, ""},
		{"full", docket.Identity{NameFirst: s("Jane"), Birthdate: s("1994-12-30"), EmailAddress: s("jane@doe.com"),
			PhoneNumber: s("(415) 555-1234"), CountryCode: s(" us "), SocialSecurityNumber: s("123-45-6789"),
			IdentificationNumbers: []docket.IdentificationNumber{{Class: "visa", Number: "12345678", IssuingCountry: "uk"}}}, ""},
		{"leap day", docket.Identity{Birthdate: s("2000-02-29")}, ""},
		{"no such day", docket.Identity{Birthdate: s("2001-02-29")}, "birthdate"},
		{"born tomorrow", docket.Identity{Birthdate: s("2026-01-02")}, "birthdate"},
		{"too old", docket.Identity{Birthdate: s("1849-12-31")}, "birthdate"},
		{"email", docket.Identity{EmailAddress: s("jane")}, "email-address"},
		{"phone too short", docket.Identity{PhoneNumber: s("123")}, "phone-number"},
		{"country", docket.Identity{CountryCode: s("ZZ")}, "country-code"},
		{"long name", docket.Identity{NameLast: s(strings.Repeat("x", 256))}, "name-last"},
		{"identifier", docket.Identity{IdentificationNumber: s("12#34")}, "identification-number"},
		{"id document class", docket.Identity{IdentificationNumbers: []docket.IdentificationNumber{{Number: "1"}}},
			"identification-numbers[0].identification-class"},
	} {
		c.id.Normalize()
		err := c.id.Validate(now)
		if got := ""; err != nil {
			got = err.(*docket.Error).Field
			if got != c.field {
				t.Errorf("%s: error at %q (%v), want %q", c.name, got, err, c.field)
			}
		} else if c.field != "" {
			t.Errorf("%s: valid, want an error at %s", c.name, c.field)
		}
	}
}

func TestIdentityNormalizeAndMask(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	id := docket.Identity{NameFirst: s("  Jane "), NameLast: s(""), CountryCode: s("nz"), SocialSecurityNumber: s("123-45-6789"),
		IdentificationNumbers: []docket.IdentificationNumber{{Class: "visa", Number: "12345678"}}}
	id.Normalize()
	if *id.NameFirst != "Jane" || id.NameLast != nil || *id.CountryCode != "NZ" {
		t.Errorf("normalized to %+v", id)
	}
	m := id.Masked()
	if *m.SocialSecurityNumber != "***-**-6789" || m.IdentificationNumbers[0].Number != "****5678" {
		t.Errorf("masked to %+v", m)
	}
	if *id.SocialSecurityNumber != "123-45-6789" || id.IdentificationNumbers[0].Number != "12345678" {
		t.Error("masking changed the identity it copied")
	}
	if id.SearchName() != "jane" || docket.SearchNameOf("  Jane   DOE ") != "jane doe" {
		t.Errorf("search names %q, %q", id.SearchName(), docket.SearchNameOf("  Jane   DOE "))
	}
	reviewer := docket.UserPrincipal(&docket.User{ID: "user_1", Role: docket.RoleReviewer})
	manager := docket.UserPrincipal(&docket.User{ID: "user_2", Role: docket.RoleManager})
	if *reviewer.ShowIdentity(id).SocialSecurityNumber != "***-**-6789" || *manager.ShowIdentity(id).SocialSecurityNumber != "123-45-6789" {
		t.Error("ShowIdentity does not follow read-identifiers")
	}
}
