package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
	"github.com/docket-hq/docket/internal/sar"
)

// SARs are secret: to a caller who may not read them (docket.PermReadSARs), a SAR and
// anything under /sars/{id} does not exist (404), whatever else the caller may do. The
// SAR routes are registered with PermReadCases and check SAR access themselves.

// visibleSAR returns the SAR, or a not-found error when the caller may not read SARs or
// may not see the SAR's case.
func (s *Server) visibleSAR(r *http.Request, id string) (*docket.SAR, error) {
	if !principal(r).Can(docket.PermReadSARs) {
		return nil, docket.NotFound("SAR", id)
	}
	x, err := s.store.FindSAR(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if _, err := s.visibleCase(r, x.CaseID); err != nil {
		if docket.ErrorCode(err) == docket.ENotFound {
			return nil, docket.NotFound("SAR", id)
		}
		return nil, err
	}
	return x, nil
}

// sarRoute registers an endpoint under /sars/{id}: the SAR must be visible (else 404),
// and changing it needs PermManageSARs (else 403: the caller knows it exists).
func (s *Server) sarRoute(pattern string, manage bool, h func(w http.ResponseWriter, r *http.Request, x *docket.SAR) error) {
	s.route(pattern, docket.PermReadCases, func(w http.ResponseWriter, r *http.Request) error {
		x, err := s.visibleSAR(r, r.PathValue("id"))
		if err != nil {
			return err
		}
		if p := principal(r); manage && !p.Can(docket.PermManageSARs) {
			return docket.Errorf(docket.EForbidden, "%s", p.Refusal(docket.PermManageSARs))
		}
		return h(w, r, x)
	})
}

// writeSAR renders a SAR with, in meta, the problems that keep it from being approved.
func (s *Server) writeSAR(w http.ResponseWriter, r *http.Request, status int, x *docket.SAR) error {
	settings, err := s.store.SARSettings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, r, status, obj{"data": jsonapi.SAR(x), "meta": obj{"problems": sarProblems((sar.Rules{}).Problems(x, settings))}})
	return nil
}

// sarProblems renders problems with their section and a pointer: into the SAR resource
// for the report, into the sar-settings resource for the settings.
func sarProblems(ps []*docket.Error) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		resource, pointer := "sar", "/data/attributes"
		segs, _ := docket.FieldSegments(p.Field)
		if len(segs) > 0 && segs[0] == "settings" {
			resource, segs = "sar-settings", segs[1:]
		}
		for _, seg := range segs {
			pointer += "/" + pointerEscaper.Replace(seg)
		}
		out = append(out, obj{"field": p.Field, "section": sar.Section(p.Field), "message": p.Message,
			"resource": resource, "pointer": pointer})
	}
	return out
}

// writeSARProblems answers a report that does not validate: one JSON:API error per
// problem, each with its pointer.
func writeSARProblems(w http.ResponseWriter, r *http.Request, e *docket.SARProblems) {
	items := make([]any, 0, len(e.Problems))
	for _, p := range sarProblems(e.Problems) {
		p := p.(obj)
		items = append(items, obj{"title": errorTitles[http.StatusUnprocessableEntity], "status": http.StatusUnprocessableEntity,
			"details": p["message"], "source": obj{"pointer": p["pointer"]}, "meta": obj{"section": p["section"], "resource": p["resource"]}})
	}
	writeJSON(w, r, http.StatusUnprocessableEntity, obj{"errors": items})
}

// createSAR drafts a SAR on a case, auto-filled from the case's objects.
func (s *Server) createSAR(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("filing-type", "prior-sar-id"); err != nil {
		return err
	}
	x := &docket.SAR{CaseID: r.PathValue("id"), FilingType: docket.SARInitial}
	if g.has("filing-type") {
		if x.FilingType, err = g.str("filing-type"); err != nil {
			return err
		}
	}
	if x.PriorSARID, err = g.nullableStr("prior-sar-id"); err != nil {
		return err
	}
	if x.PriorSARID != nil {
		if _, err := s.visibleSAR(r, *x.PriorSARID); err != nil {
			return docket.Invalid("prior-sar-id", "SAR %s does not exist", *x.PriorSARID)
		}
	}
	if err := s.draftSAR(r, x); err != nil {
		return err
	}
	return s.writeSAR(w, r, http.StatusCreated, x)
}

// draftSAR fills x from its case and stores it.
func (s *Server) draftSAR(r *http.Request, x *docket.SAR) error {
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	return sar.Draft(r.Context(), s.store, actor(r), vis, x)
}

func (s *Server) getSAR(w http.ResponseWriter, r *http.Request, x *docket.SAR) error {
	return s.writeSAR(w, r, http.StatusOK, x)
}

func (s *Server) listSARs(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixSAR, "status", "case-id")
	if err != nil {
		return err
	}
	f := docket.SARFilter{Status: filterParam(r.URL.Query(), "status"), CaseID: filterParam(r.URL.Query(), "case-id"), Page: p}
	if f.Visibility, err = s.visibility(r); err != nil {
		return err
	}
	list, pr, err := s.store.ListSARs(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.SAR))
	return nil
}

// updateSAR replaces the report (the form as a whole, as GET shows it). Values changed
// by hand lose their auto-fill source.
func (s *Server) updateSAR(w http.ResponseWriter, r *http.Request, x *docket.SAR) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("report"); err != nil {
		return err
	}
	var u docket.SARUpdate
	if g.has("report") {
		var rep docket.SARReport
		if err := g.into("report", &rep); err != nil {
			return err
		}
		u.Report, u.Sources = &rep, sar.Reconcile(x.Report, rep, x.Sources)
	}
	x, err = s.store.UpdateSAR(r.Context(), actor(r), x.ID, u)
	if err != nil {
		return err
	}
	return s.writeSAR(w, r, http.StatusOK, x)
}

// sarAction runs a status change: ready (validate), approve, file.
func (s *Server) sarAction(action string) func(w http.ResponseWriter, r *http.Request, x *docket.SAR) error {
	return func(w http.ResponseWriter, r *http.Request, x *docket.SAR) error {
		keys := []string{}
		if action == "file" {
			keys = append(keys, "bsa-id")
		}
		b, err := readMeta(r, keys...)
		if err != nil {
			return err
		}
		switch action {
		case "ready":
			x, err = s.store.MarkSARReady(r.Context(), actor(r), x.ID)
		case "approve":
			x, err = s.store.ApproveSAR(r.Context(), principal(r).Confirmer(), x.ID)
		case "file":
			var bsa string
			if g := (getter{b.meta, "/meta"}); g.has("bsa-id") {
				if bsa, err = g.str("bsa-id"); err != nil {
					return err
				}
			}
			x, err = s.store.FileSAR(r.Context(), actor(r), x.ID, bsa)
		}
		var probs *docket.SARProblems
		if errors.As(err, &probs) {
			writeSARProblems(w, r, probs)
			return nil
		}
		if err != nil {
			return err
		}
		return s.writeSAR(w, r, http.StatusOK, x)
	}
}

// sarXML answers GET /sars/{id}/fincen.xml: the batch file of one approved (or filed)
// report.
func (s *Server) sarXML(w http.ResponseWriter, r *http.Request, x *docket.SAR) error {
	return s.writeBatch(w, r, []*docket.SAR{x}, "sar-"+x.ID)
}

// sarBatchXML answers GET /sars/fincen.xml: one batch file of several approved reports,
// those of filter[id] (comma-separated) or else every approved one.
func (s *Server) sarBatchXML(w http.ResponseWriter, r *http.Request) error {
	if !principal(r).Can(docket.PermManageSARs) {
		return docket.Errorf(docket.EForbidden, "%s", principal(r).Refusal(docket.PermManageSARs))
	}
	if err := checkListParams(r.URL.Query(), []string{"id"}); err != nil {
		return err
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	f := docket.SARFilter{Status: docket.SARApproved, Visibility: vis, Page: docket.Page{Size: docket.MaxPageSize}}
	if ids := filterParam(r.URL.Query(), "id"); ids != "" {
		f.IDs, f.Status = strings.Split(ids, ","), ""
	}
	list, _, err := s.store.ListSARs(r.Context(), f)
	if err != nil {
		return err
	}
	if len(f.IDs) > 0 && len(list) != len(f.IDs) {
		return badParam("filter[id]", "filter[id] names a SAR that does not exist")
	}
	return s.writeBatch(w, r, list, "sar-batch-"+time.Now().UTC().Format("20060102-150405"))
}

func (s *Server) writeBatch(w http.ResponseWriter, r *http.Request, list []*docket.SAR, name string) error {
	if len(list) == 0 {
		return docket.Errorf(docket.ENotFound, "no approved SAR to export")
	}
	for _, x := range list {
		if x.Status != docket.SARApproved && x.Status != docket.SARFiled {
			return &docket.Error{Code: docket.EConflict, Field: "status", Message: fmt.Sprintf(
				"SAR %s is %s: only approved reports are exported for filing", x.ID, x.Status)}
		}
	}
	settings, err := s.store.SARSettings(r.Context())
	if err != nil {
		return err
	}
	doc, err := sar.Batch(list, settings, time.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xml"`)
	_, err = w.Write(doc)
	return err
}

func (s *Server) getSARSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.store.SARSettings(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.SARSettings(st)})
	return nil
}

// updateSARSettings replaces the parts of the settings a request gives.
func (s *Server) updateSARSettings(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("institution", "transmitter", "contact", "category-field", "category-map"); err != nil {
		return err
	}
	st, err := s.store.SARSettings(r.Context())
	if err != nil {
		return err
	}
	for key, dst := range map[string]any{"institution": &st.Institution, "transmitter": &st.Transmitter, "contact": &st.Contact,
		"category-map": &st.CategoryMap} {
		if g.has(key) {
			if err := g.into(key, dst); err != nil {
				return err
			}
		}
	}
	if g.has("category-field") {
		if st.CategoryField, err = g.str("category-field"); err != nil {
			return err
		}
	}
	for i, m := range st.CategoryMap {
		if sar.SubcategoryType(m.Subtype) != m.Type || sar.Subcategories[m.Subtype] == "" {
			return invalidPointer(fmt.Sprintf("/data/attributes/category-map/%d/subtype", i),
				"%d is not a FinCEN subtype of type %d", m.Subtype, m.Type)
		}
	}
	if err := s.store.SetSARSettings(r.Context(), actor(r), st); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.SARSettings(st)})
	return nil
}
