package sar

import (
	"strings"

	"github.com/docket-hq/docket"
)

// identity is what one account or inquiry says about who someone is: values by their
// path in a subject ("last-name", "address.city"), each with where it was read.
type identity struct {
	values map[string]sourced
	ids    []sourcedID
}

type sourced struct{ value, from string }

type sourcedID struct {
	docket.SARIdentifier
	from string
}

// fieldNames lists, for each value of a subject, the object fields that may hold it, in
// order of preference: Persona's names (name-first, address-street-1 ...) and plain ones.
var fieldNames = map[string][]string{
	"first-name":      {"name-first", "first-name", "given-name"},
	"middle-name":     {"name-middle", "middle-name"},
	"last-name":       {"name-last", "last-name", "family-name", "surname"},
	"birth-date":      {"birthdate", "birth-date", "date-of-birth"},
	"address.street":  {"address-street-1", "street", "address-street"},
	"address.city":    {"address-city", "city"},
	"address.state":   {"address-subdivision", "state", "address-state"},
	"address.zip":     {"address-postal-code", "postal-code", "zip"},
	"address.country": {"address-country-code", "country-code", "country"},
}

// idFields maps fields holding identification numbers to FinCEN's type codes.
var idFields = []struct{ field, code string }{
	{"social-security-number", "1"}, {"ssn", "1"}, {"tin", "4"}, {"ein", "2"},
	{"drivers-license-number", "5"}, {"passport-number", "6"}, {"identification-number", "999"},
}

// identityOf reads an identity from an object's fields.
func identityOf(fields map[string]any) identity {
	id := identity{values: map[string]sourced{}}
	for key, names := range fieldNames {
		for _, n := range names {
			if v, ok := fields[n].(string); ok && strings.TrimSpace(v) != "" {
				id.values[key] = sourced{strings.TrimSpace(v), "fields." + n}
				break
			}
		}
	}
	// A full name only: its last word is the last name, the rest the first name.
	if v, ok := fields["name"].(string); ok && id.values["last-name"].value == "" {
		if words := strings.Fields(v); len(words) > 0 {
			id.values["last-name"] = sourced{words[len(words)-1], "fields.name"}
			if len(words) > 1 && id.values["first-name"].value == "" {
				id.values["first-name"] = sourced{strings.Join(words[:len(words)-1], " "), "fields.name"}
			}
		}
	}
	for _, f := range idFields {
		if v, ok := fields[f.field].(string); ok && strings.TrimSpace(v) != "" {
			id.ids = append(id.ids, sourcedID{docket.SARIdentifier{Type: f.code, Number: strings.TrimSpace(v)}, "fields." + f.field})
		}
	}
	if b := id.values["birth-date"]; b.value != "" && len(b.value) > 10 {
		b.value = b.value[:10] // a timestamp: its date
		id.values["birth-date"] = b
	}
	return id
}
