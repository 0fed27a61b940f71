package jsonapi

import (
	"regexp"

	"github.com/docket-hq/docket"
)

// inquiryFieldAttrs are fields the hosted API also shows as top-level inquiry attributes.
var inquiryFieldAttrs = []string{"name-first", "name-middle", "name-last", "birthdate", "address-street-1",
	"address-street-2", "address-city", "address-subdivision", "address-postal-code", "address-country-code",
	"email-address", "phone-number", "identification-number"}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// typedFields renders fields as the hosted API does: {"key": {"type": ..., "value": ...}}.
func typedFields(fields map[string]any) Object {
	out := Object{}
	for k, v := range fields {
		typ := "string"
		switch x := v.(type) {
		case bool:
			typ = "boolean"
		case map[string]any:
			typ = "hash"
		case []any:
			typ = "array"
		case string:
			if dateRe.MatchString(x) {
				typ = "date"
			}
		case nil:
		default:
			typ = "number"
		}
		out[k] = Object{"type": typ, "value": v}
	}
	return out
}

// Inquiry renders an inquiry: its fields typed as the hosted API types them, the
// common ones also as top-level attributes. caseIDs, when not nil, are shown as its cases
// relationship.
func Inquiry(q *docket.Inquiry, caseIDs []string) Object {
	attrs := Object{
		"status": q.Status, "reference-id": strOrNil(q.ReferenceID), "note": strOrNil(q.Note), "tags": orEmpty(q.Tags),
		"creator": strOrNil(q.CreatorEmail), "reviewer-comment": strOrNil(q.ReviewerComment),
		"created-at": ts(q.CreatedAt), "updated-at": ts(q.UpdatedAt), "started-at": tsPtr(q.StartedAt),
		"completed-at": tsPtr(q.CompletedAt), "failed-at": tsPtr(q.FailedAt), "marked-for-review-at": tsPtr(q.MarkedAt),
		"decisioned-at": tsPtr(q.DecisionedAt), "expired-at": tsPtr(q.ExpiredAt), "redacted-at": tsPtr(q.RedactedAt),
		"fields": typedFields(q.Fields),
	}
	for _, k := range inquiryFieldAttrs {
		attrs[k] = q.Fields[k]
	}
	rels := Object{"account": one("account", q.AccountID)}
	if caseIDs != nil {
		rels["cases"] = many("case", caseIDs)
	}
	return resource("inquiry", q.ID, attrs, rels)
}
