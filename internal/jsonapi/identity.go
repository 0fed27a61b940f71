package jsonapi

import (
	"slices"

	"github.com/docket-hq/docket"
)

// identityAttributes adds an identity's text attributes to attrs as the hosted API shows
// them, null when absent, leaving out those skip names. The identity must already be
// what the reader may see (docket.Principal.ShowIdentity).
func identityAttributes(attrs Object, id docket.Identity, skip ...string) {
	for _, name := range docket.IdentityAttributes {
		if slices.Contains(skip, name) {
			continue
		}
		attrs[name] = strOrNil(*id.Attr(name))
	}
}

// identificationNumbers shows an account's id documents as the hosted API does: lists by
// identification class.
func identificationNumbers(nums []docket.IdentificationNumber) Object {
	out := Object{}
	for _, n := range nums {
		list, _ := out[n.Class].([]any)
		item := Object{"identification-class": n.Class, "identification-number": n.Number, "issuing-country": nil}
		if n.IssuingCountry != "" {
			item["issuing-country"] = n.IssuingCountry
		}
		out[n.Class] = append(list, item)
	}
	return out
}
