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

// identityAttrs maps a subject's values to the identity attributes that hold them.
var identityAttrs = map[string]string{
	"first-name": "name-first", "middle-name": "name-middle", "last-name": "name-last", "birth-date": "birthdate",
	"address.street": "address-street-1", "address.city": "address-city", "address.state": "address-subdivision",
	"address.zip": "address-postal-code", "address.country": "country-code",
}

// fieldNames lists, for each value of a subject, the custom fields that may hold it when
// the identity does not (objects from before identities, or from other systems).
var fieldNames = map[string][]string{
	"first-name":      {"name-first", "first-name"},
	"middle-name":     {"name-middle", "middle-name"},
	"last-name":       {"name-last", "last-name"},
	"birth-date":      {"birthdate", "birth-date"},
	"address.street":  {"address-street-1", "street"},
	"address.city":    {"address-city", "city"},
	"address.state":   {"address-subdivision", "state"},
	"address.zip":     {"address-postal-code", "zip"},
	"address.country": {"address-country-code", "country-code"},
}

// idClasses maps identification document classes to FinCEN's identification types.
var idClasses = map[string]string{
	"pp": "6", "passport": "6", "dl": "5", "drivers-license": "5", "driver-license": "5", "id": "5", "state-id": "5",
	"visa": "9", "foreign": "9", "ssn": "1", "itin": "1", "ein": "2", "tin": "4", "alien-registration": "7",
}

// identityOf reads an identity from an object's identity attributes, then its fields.
func identityOf(id docket.Identity, fields map[string]any) identity {
	out := identity{values: map[string]sourced{}}
	for key, attr := range identityAttrs {
		if p := id.Attr(attr); p != nil && *p != nil && strings.TrimSpace(**p) != "" {
			out.values[key] = sourced{strings.TrimSpace(**p), "identity." + attr}
		}
	}
	for key, names := range fieldNames {
		for _, n := range names {
			if _, ok := out.values[key]; ok {
				break
			}
			if v, ok := fields[n].(string); ok && strings.TrimSpace(v) != "" {
				out.values[key] = sourced{strings.TrimSpace(v), "fields." + n}
			}
		}
	}
	if b := out.values["birth-date"]; len(b.value) > 10 {
		b.value = b.value[:10] // a timestamp: its date
		out.values["birth-date"] = b
	}
	out.identifiers(id, fields)
	return out
}

func (out *identity) identifiers(id docket.Identity, fields map[string]any) {
	add := func(code, number, country, from string) {
		if number = strings.TrimSpace(number); number != "" {
			out.ids = append(out.ids, sourcedID{docket.SARIdentifier{Type: code, Number: number, Country: country}, from})
		}
	}
	if id.SocialSecurityNumber != nil {
		add("1", strings.ReplaceAll(*id.SocialSecurityNumber, "-", ""), "", "identity.social-security-number")
	}
	if id.IdentificationNumber != nil {
		add("999", *id.IdentificationNumber, "", "identity.identification-number")
	}
	for i, n := range id.IdentificationNumbers {
		code, ok := idClasses[strings.ToLower(n.Class)]
		if !ok {
			code = "999"
		}
		add(code, n.Number, strings.ToUpper(n.IssuingCountry), docket.FieldIndex("identity.identification-numbers", i))
	}
	if v, ok := fields["social-security-number"].(string); ok && id.SocialSecurityNumber == nil {
		add("1", strings.ReplaceAll(v, "-", ""), "", "fields.social-security-number")
	}
}
