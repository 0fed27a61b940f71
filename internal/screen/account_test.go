package screen_test

import (
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/screen"
)

func TestAccountQuery(t *testing.T) {
	str := func(s string) *string { return &s }
	for _, tc := range []struct {
		name string
		a    docket.Account
		want docket.ScreeningQuery
	}{
		{"identity attributes", docket.Account{Identity: docket.Identity{NameFirst: str("Ivan"), NameLast: str("Petrov"),
			Birthdate: str("1980-03-01"), CountryCode: str("ru")}},
			docket.ScreeningQuery{NameFirst: "Ivan", NameLast: "Petrov", Birthdate: "1980-03-01", Country: "RU"}},
		{"identity before fields", docket.Account{Identity: docket.Identity{NameFirst: str("Ivan"), NameLast: str("Petrov")},
			Fields: map[string]any{"name-first": "Other", "name-last": "Person", "birthdate": "1980-03-01"}},
			docket.ScreeningQuery{NameFirst: "Ivan", NameLast: "Petrov", Birthdate: "1980-03-01"}},
		{"fields of an older account", docket.Account{Fields: map[string]any{"name-first": map[string]any{"type": "string", "value": "Marie"},
			"name-last": "Dubois", "country-code": "fr"}},
			docket.ScreeningQuery{NameFirst: "Marie", NameLast: "Dubois", Country: "FR"}},
		{"one name", docket.Account{Fields: map[string]any{"name": "Northern Star Shipping LLC"}},
			docket.ScreeningQuery{Term: "Northern Star Shipping LLC"}},
		{"blank identity falls back", docket.Account{Identity: docket.Identity{NameFirst: str("  ")}, Fields: map[string]any{"name-first": "Ada"}},
			docket.ScreeningQuery{NameFirst: "Ada"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := screen.AccountQuery(&tc.a); got != tc.want {
				t.Errorf("AccountQuery = %+v, want %+v", got, tc.want)
			}
		})
	}
}
