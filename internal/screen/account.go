package screen

import (
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

// AccountQuery is who an account is, for re-screening it: the one place that knows
// where an account keeps its name. Accounts carry their identity in free fields today
// (the hosted API's names: name-first, name-middle, name-last, or one name), with an
// optional birthdate and country-code (or address-country-code); when accounts gain
// identity attributes of their own, this reads those instead.
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
	q := docket.ScreeningQuery{NameFirst: f("name-first", "first-name"), NameMiddle: f("name-middle", "middle-name"),
		NameLast: f("name-last", "last-name"), Birthdate: f("birthdate", "date-of-birth"),
		Country: strings.ToUpper(f("country-code", "address-country-code"))}
	if q.FullName() == "" {
		q.Term = f("name", "full-name", "term")
	}
	return q
}
