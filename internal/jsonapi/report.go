package jsonapi

import "github.com/docket-hq/docket"

// Report renders a report; as in the hosted API its resource type is the report
// type ("report/watchlist"). caseIDs, when not nil, are shown as its cases relationship.
func Report(rep *docket.Report, caseIDs []string) Object {
	result := rep.Result
	if result == nil {
		result = map[string]any{}
	}
	rels := Object{"account": one("account", rep.AccountID), "inquiry": one("inquiry", rep.InquiryID),
		"report-template": one("report-template", rep.TemplateID)}
	if caseIDs != nil {
		rels["cases"] = many("case", caseIDs)
	}
	return resource(rep.Type, rep.ID, Object{
		"status": rep.Status, "matched": rep.Matched, "result": result, "reference-id": strOrNil(rep.ReferenceID),
		"tags": orEmpty(rep.Tags), "created-at": ts(rep.CreatedAt), "updated-at": ts(rep.UpdatedAt),
		"completed-at": tsPtr(rep.CompletedAt), "redacted-at": tsPtr(rep.RedactedAt),
	}, rels)
}
