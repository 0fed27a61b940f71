package ui

import (
	"strings"

	"github.com/docket-hq/docket"
)

// identityFacts lists what the case page shows of an account's or inquiry's identity,
// as p may see it (docket.Principal.ShowIdentity: identifiers masked without
// read-identifiers), the address on one line.
func identityFacts(p docket.Principal, full docket.Identity) []fact {
	id := p.ShowIdentity(full)
	var out []fact
	add := func(label string, v *string) {
		if v != nil {
			out = append(out, fact{Key: label, Value: *v})
		}
	}
	if n := id.FullName(); n != "" {
		out = append(out, fact{Key: "Name", Value: n})
	}
	add("Born", id.Birthdate)
	add("Email", id.EmailAddress)
	add("Phone", id.PhoneNumber)
	var addr []string
	for _, v := range []*string{id.AddressStreet1, id.AddressStreet2, id.AddressCity, id.AddressSubdivision, id.AddressPostalCode} {
		if v != nil {
			addr = append(addr, *v)
		}
	}
	if len(addr) > 0 {
		out = append(out, fact{Key: "Address", Value: strings.Join(addr, ", ")})
	}
	add("Country", id.CountryCode)
	add("SSN", id.SocialSecurityNumber)
	add("ID number", id.IdentificationNumber)
	for _, n := range id.IdentificationNumbers {
		label := n.Class
		if n.IssuingCountry != "" {
			label += " (" + n.IssuingCountry + ")"
		}
		out = append(out, fact{Key: label, Value: n.Number})
	}
	return out
}
