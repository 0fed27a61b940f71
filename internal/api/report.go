package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func (s *Server) createReport(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("report-type", "status", "matched", "result", "reference-id", "account-id", "inquiry-id", "tags"); err != nil {
		return err
	}
	var n docket.NewReport
	if n.Type, err = g.str("report-type"); err != nil {
		return err
	}
	if n.Status, err = g.str("status"); err != nil {
		return err
	}
	matched, err := g.boolPtr("matched")
	if err != nil {
		return err
	}
	n.Matched = matched != nil && *matched
	if n.Result, err = g.object("result"); err != nil {
		return err
	}
	for key, dst := range map[string]**string{"reference-id": &n.ReferenceID, "account-id": &n.AccountID, "inquiry-id": &n.InquiryID} {
		if *dst, err = g.nullableStr(key); err != nil {
			return err
		}
	}
	if n.InquiryID != nil && !docket.ValidID(docket.PrefixInquiry, *n.InquiryID) {
		return docket.Invalid("inquiry-id", "%q is not an inquiry id", *n.InquiryID)
	}
	if n.Tags, err = g.strList("tags"); err != nil {
		return err
	}
	rep, err := s.store.CreateReport(r.Context(), actor(r), n)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Report(rep, []string{})})
	return nil
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.store.FindReport(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	cases, err := s.objectCaseIDs(r, rep.ID)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Report(rep, cases)})
	return nil
}

// finishReport serves POST /reports/{id}/ready (meta.matched, meta.result) and /errored.
func (s *Server) finishReport(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := readMeta(r, "matched", "result")
		if err != nil {
			return err
		}
		m := getter{b.meta, "/meta"}
		matched, err := m.boolPtr("matched")
		if err != nil {
			return err
		}
		result, err := m.object("result")
		if err != nil {
			return err
		}
		rep, err := s.store.FinishReport(r.Context(), actor(r), r.PathValue("id"), status, matched != nil && *matched, result)
		if err != nil {
			return err
		}
		writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Report(rep, nil)})
		return nil
	}
}

func (s *Server) redactReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.store.RedactReport(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Report(rep, nil)})
	return nil
}

func (s *Server) listReports(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixReport, "report-type", "status", "account-id", "inquiry-id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := docket.ReportFilter{Type: filterParam(q, "report-type"), Status: filterParam(q, "status"), Page: p}
	if f.AccountID, err = filterID(q, "account-id", docket.PrefixAccount); err != nil {
		return err
	}
	if f.InquiryID, err = filterID(q, "inquiry-id", docket.PrefixInquiry); err != nil {
		return err
	}
	list, pr, err := s.store.ListReports(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, func(x *docket.Report) obj { return jsonapi.Report(x, nil) }))
	return nil
}
