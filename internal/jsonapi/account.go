package jsonapi

import "github.com/docket-hq/docket"

// Account renders an account. caseIDs, when not nil, are shown as its cases
// relationship (the account's own endpoint shows them; lists and includes do not).
func Account(a *docket.Account, caseIDs []string) Object {
	fields := a.Fields
	if fields == nil {
		fields = map[string]any{}
	}
	var rels Object
	if caseIDs != nil {
		rels = Object{"cases": many("case", caseIDs)}
	}
	attrs := Object{
		"reference-id": strOrNil(a.ReferenceID), "fields": fields, "tags": orEmpty(a.Tags),
		"created-at": ts(a.CreatedAt), "updated-at": ts(a.UpdatedAt), "redacted-at": tsPtr(a.RedactedAt),
		"identification-numbers": identificationNumbers(a.Identity.IdentificationNumbers),
	}
	// An account lists its id documents; the one identification-number is an inquiry's.
	identityAttributes(attrs, a.Identity, "identification-number")
	return resource("account", a.ID, attrs, rels)
}
