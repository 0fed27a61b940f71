package jsonapi

import (
	"regexp"

	"github.com/docket-hq/docket"
)

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
		"fields":              typedFields(q.Fields),
		"inquiry-template-id": strOrNil(q.InquiryTemplateID), "template-id": strOrNil(q.TemplateID),
		"inquiry-template-version-id": strOrNil(q.InquiryTemplateVersionID),
	}
	identityAttributes(attrs, q.Identity)
	// Inquiries from before identities were kept hold theirs in fields only (identifiers
	// excepted: those were never shown from fields unmasked).
	for _, name := range docket.IdentityAttributes {
		if v, ok := q.Fields[name]; ok && attrs[name] == nil && !docket.IsIdentifier(name) {
			attrs[name] = v
		}
	}
	// The hosted API names an inquiry's country address-country-code.
	if attrs["country-code"] == nil {
		attrs["country-code"] = q.Fields["address-country-code"]
	}
	attrs["address-country-code"] = attrs["country-code"]
	rels := Object{"account": one("account", q.AccountID),
		"inquiry-template":         one("inquiry-template", q.InquiryTemplateID),
		"inquiry-template-version": one("inquiry-template-version", q.InquiryTemplateVersionID),
		"template":                 one("template", q.TemplateID)}
	if caseIDs != nil {
		rels["cases"] = many("case", caseIDs)
	}
	return resource("inquiry", q.ID, attrs, rels)
}
