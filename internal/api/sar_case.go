package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
	"github.com/docket-hq/docket/internal/sar"
)

// prepareSAR answers POST /cases/{id}/prepare-sar: the decision to file on an alert case.
// It opens a case of a SAR template (meta.case-template-id, else the first active one)
// holding the same objects, so the two are related through their accounts, and drafts
// the SAR on it; the response is the new case, with the SAR's id in meta.
func (s *Server) prepareSAR(w http.ResponseWriter, r *http.Request) error {
	b, err := readMeta(r, "case-template-id")
	if err != nil {
		return err
	}
	if !principal(r).Can(docket.PermWorkCases) {
		return docket.Errorf(docket.EForbidden, "%s", principal(r).Refusal(docket.PermWorkCases))
	}
	g := getter{b.meta, "/meta"}
	tmplID := ""
	if g.has("case-template-id") {
		if tmplID, err = g.str("case-template-id"); err != nil {
			return err
		}
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	c, x, err := sar.Prepare(r.Context(), s.store, actor(r), vis, r.PathValue("id"), tmplID)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Case(c), "meta": obj{"sar-id": x.ID, "alert-case-id": r.PathValue("id")}})
	return nil
}

// caseSARs sets a case resource's sars relationship to its SARs, for a caller who may
// read SARs (for others it stays empty: SARs do not exist for them).
func (s *Server) caseSARs(r *http.Request, res jsonapi.Object, caseID string) error {
	if !principal(r).Can(docket.PermReadSARs) {
		return nil
	}
	list, _, err := s.store.ListSARs(r.Context(), docket.SARFilter{CaseID: caseID, Page: docket.Page{Size: docket.MaxPageSize}})
	if err != nil {
		return err
	}
	ids := make([]any, len(list))
	for i, x := range list {
		ids[i] = jsonapi.Object{"type": "sar", "id": x.ID}
	}
	res["relationships"].(jsonapi.Object)["sars"] = jsonapi.Object{"data": ids}
	return nil
}
