package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func init() {
	placements["POST /api/v1/cases/bulk"] = placement{at: inMeta("case-ids", "action", "user-email-address", "status", "tag-name")}
}

// bulkCases applies one change (meta.action: assign, set-status or add-tag) to each case
// of meta.case-ids, each in its own transaction through the method that changes one
// case (docket.RunBulk). It answers 200 with a result per case in meta.results, in the
// order given: "updated", or "refused" with the error that case met (a status its
// template lacks, a case that does not exist ...), and the changed cases in data.
func (s *Server) bulkCases(w http.ResponseWriter, r *http.Request) error {
	b, err := readMeta(r, "case-ids", "action", "user-email-address", "status", "tag-name")
	if err != nil {
		return err
	}
	m := getter{b.meta, "/meta"}
	var ba docket.BulkAction
	if ba.CaseIDs, err = m.strList("case-ids"); err != nil {
		return err
	}
	if ba.Action, err = m.str("action"); err != nil {
		return err
	}
	if ba.Status, err = m.str("status"); err != nil {
		return err
	}
	if ba.Tag, err = m.str("tag-name"); err != nil {
		return err
	}
	if ba.Action == docket.BulkAssign {
		if !m.has("user-email-address") {
			return invalidPointer("/meta/user-email-address", "meta.user-email-address is required (null unassigns)")
		}
		email, err := m.nullableStr("user-email-address")
		if err != nil {
			return err
		}
		if email != nil && *email == "" {
			return invalidPointer("/meta/user-email-address", "meta.user-email-address must be an email address or null")
		}
		if email != nil {
			ba.UserEmail = *email
		}
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	results, err := docket.RunBulk(r.Context(), s.store, principal(r), vis, ba)
	if err != nil {
		return err
	}
	data, items := []any{}, make([]any, len(results))
	updated, proposed := 0, 0
	for i, res := range results {
		item := obj{"case-id": res.CaseID, "case-name": res.Name, "result": "updated"}
		switch {
		case res.Err != nil:
			item["result"], item["error"] = "refused", s.errorObject(r, res.Err)
		case res.Proposed:
			// A four-eyes status: proposed, awaiting a second person (proposed-status).
			proposed++
			item["result"] = "proposed"
			data = append(data, jsonapi.Case(res.Case))
		default:
			updated++
			data = append(data, jsonapi.Case(res.Case))
		}
		items[i] = item
	}
	writeJSON(w, r, http.StatusOK, obj{"data": data, "meta": obj{
		"action": ba.Action, "updated": updated, "proposed": proposed, "refused": len(results) - updated - proposed, "results": items,
	}})
	return nil
}

// errorObject renders a user-visible error (a *docket.Error, as docket.RunBulk's
// refusals are) as writeError does, for a result inside a successful response.
func (s *Server) errorObject(r *http.Request, err error) obj {
	field, msg := docket.ErrorField(err)
	status := errorStatus[docket.ErrorCode(err)]
	item := obj{"title": errorTitles[status], "details": msg, "status": status}
	if p := fieldPointer(r, field); p != "" {
		item["source"] = obj{"pointer": p}
	}
	return item
}
