package jsonapi

import (
	"github.com/docket-hq/docket"
)

func accountResource(a *docket.Account) Object { return Account(a, nil) }

// Account also lists the cases the account is in, when given.
func Account(a *docket.Account, caseIDs []string) Object {
	fields := a.Fields
	if fields == nil {
		fields = map[string]any{}
	}
	var rels Object
	if caseIDs != nil {
		rels = Object{"cases": many("case", caseIDs)}
	}
	return resource("account", a.ID, Object{
		"reference-id": strOrNil(a.ReferenceID), "fields": fields, "tags": orEmpty(a.Tags),
		"created-at": ts(a.CreatedAt), "updated-at": ts(a.UpdatedAt), "redacted-at": tsPtr(a.RedactedAt),
	}, rels)
}
