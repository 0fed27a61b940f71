package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
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
	tmpl, err := s.sarTemplate(r, tmplID)
	if err != nil {
		return err
	}
	alert, err := s.store.FindCase(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	c, err := s.store.CreateCase(r.Context(), actor(r), docket.NewCase{TemplateID: tmpl.ID, ObjectIDs: alert.ObjectIDs})
	if err != nil {
		return err
	}
	x := &docket.SAR{CaseID: c.ID, FilingType: docket.SARInitial}
	if err := s.draftSAR(r, x); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Case(c), "meta": obj{"sar-id": x.ID, "alert-case-id": alert.ID}})
	return nil
}

// sarTemplate returns the SAR template named, or the first active one.
func (s *Server) sarTemplate(r *http.Request, id string) (*docket.CaseTemplate, error) {
	if id != "" {
		t, err := s.store.FindTemplate(r.Context(), id)
		if err != nil || !t.SAR || t.Status != docket.TemplateActive {
			return nil, docket.Invalid("case-template-id", "%s is not an active SAR template", id)
		}
		return t, nil
	}
	p := docket.Page{Size: docket.MaxPageSize}
	for {
		list, pr, err := s.store.ListTemplates(r.Context(), docket.CaseTemplateFilter{Status: docket.TemplateActive, Page: p})
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			if t.SAR {
				return t, nil
			}
		}
		if !pr.HasNext || len(list) == 0 {
			return nil, docket.Invalid("case-template-id", "no active case template is marked sar: mark one (PATCH /case-templates/{id} with sar: true)")
		}
		p.After = list[len(list)-1].ID
	}
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
