package screen

import (
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

// AccountQuery is who an account is, for re-screening it: the one place that knows
// where an account keeps its name. Its identity attributes (name-first, name-middle,
// name-last, birthdate, country-code) come first; an account written before they existed
// may carry them in free fields instead (the hosted API's names, or one name), which
// fill whatever the identity leaves empty.
func AccountQuery(a *docket.Account) docket.ScreeningQuery {
	f := func(keys ...string) string {
		for _, k := range keys {
			if v, ok := a.Fields[k]; ok && v != nil {
				// A field may be a bare value or the hosted API's {"type", "value"} form.
				if m, ok := v.(map[string]any); ok {
					v = m["value"]
				}
				if s := strings.TrimSpace(fmt.Sprint(v)); s != "" && v != nil {
					return s
				}
			}
		}
		return ""
	}
	id := a.Identity
	q := docket.ScreeningQuery{NameFirst: or(id.NameFirst, f("name-first", "first-name")),
		NameMiddle: or(id.NameMiddle, f("name-middle", "middle-name")), NameLast: or(id.NameLast, f("name-last", "last-name")),
		Birthdate: or(id.Birthdate, f("birthdate", "date-of-birth")),
		Country:   strings.ToUpper(or(id.CountryCode, f("country-code", "address-country-code")))}
	if q.FullName() == "" {
		q.Term = f("name", "full-name", "term")
	}
	return q
}

// or returns the identity's value when it has one, else the fallback.
func or(v *string, fallback string) string {
	if v != nil && strings.TrimSpace(*v) != "" {
		return strings.TrimSpace(*v)
	}
	return fallback
}
