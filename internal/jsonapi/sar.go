package jsonapi

import (
	"encoding/json"

	"github.com/docket-hq/docket"
)

// SAR renders a Suspicious Activity Report. The report is rendered as its form holds it
// (report, with the same keys the API takes back), with the source of each auto-filled
// value beside it.
func SAR(s *docket.SAR) Object {
	sources := Object{}
	for k, v := range s.Sources {
		sources[k] = v
	}
	attrs := Object{
		"status": s.Status, "filing-type": s.FilingType, "report": plain(s.Report), "sources": sources,
		"prepared-by-type": s.PreparedBy.Type, "prepared-by-id": s.PreparedBy.ID,
		"approved-by-type": nil, "approved-by-id": nil, "approved-at": tsPtr(s.ApprovedAt),
		"filed-at": tsPtr(s.FiledAt), "bsa-id": strOrNil(s.BSAID), "due-at": ts(s.DueAt),
		"created-at": ts(s.CreatedAt), "updated-at": ts(s.UpdatedAt),
	}
	if s.ApprovedBy != nil {
		attrs["approved-by-type"], attrs["approved-by-id"] = s.ApprovedBy.Type, s.ApprovedBy.ID
	}
	return resource("sar", s.ID, attrs, Object{"case": one("case", &s.CaseID), "prior-sar": one("sar", s.PriorSARID)})
}

// SARSettings renders the filing settings as one resource.
func SARSettings(s *docket.SARSettings) Object {
	attrs := plain(s).(map[string]any)
	attrs["updated-at"] = nil
	if !s.UpdatedAt.IsZero() {
		attrs["updated-at"] = ts(s.UpdatedAt)
	}
	return resource("sar-settings", "sar-settings", attrs, nil)
}

// plain turns a struct with kebab-case json tags into plain maps and lists.
func plain(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil
	}
	return out
}
