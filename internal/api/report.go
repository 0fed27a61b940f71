package api

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func (s *Server) createReport(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("report-type", "status", "matched", "result", "reference-id", "account-id", "inquiry-id", "tags",
		"report-template-id", "query"); err != nil {
		return err
	}
	var n docket.NewReport
	if n.Type, err = g.str("report-type"); err != nil {
		return err
	}
	if n.Type == "" {
		// The hosted API names a report's type in data.type ("report/watchlist").
		n.Type = dataType(b)
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
	if g.has("report-template-id") || g.has("query") {
		err = s.screenReport(r, g, &n)
	} else {
		err = pushedReport(g, &n)
	}
	if err != nil {
		return err
	}
	rep, err := s.store.CreateReport(r.Context(), actor(r), n)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Report(rep, []string{})})
	return nil
}

// pushedReport reads what a report pushed in from elsewhere carries: its status and,
// when finished, whether it matched and its result.
func pushedReport(g getter, n *docket.NewReport) error {
	var err error
	if n.Status, err = g.str("status"); err != nil {
		return err
	}
	matched, err := g.boolPtr("matched")
	if err != nil {
		return err
	}
	n.Matched = matched != nil && *matched
	n.Result, err = g.object("result")
	return err
}

// screenReport screens a report created with report-template-id and query (the hosted
// API's name-first, name-middle, name-last or term, birthdate, address-country-code):
// it is created ready with its matches at once (the hosted API's processing-mode sync).
func (s *Server) screenReport(r *http.Request, g getter, n *docket.NewReport) error {
	for _, k := range []string{"status", "matched", "result"} {
		if g.has(k) {
			return invalidPointer(g.ptr(k), "a screening report's %s comes from its screening: leave %s out", k, k)
		}
	}
	tmplID, err := g.str("report-template-id")
	if err != nil {
		return err
	}
	if tmplID == "" {
		return invalidPointer(g.ptr("report-template-id"), "report-template-id is required to screen a query")
	}
	if !g.has("query") {
		return invalidPointer(g.ptr("query"), "query is required with a report template")
	}
	q, err := screeningQuery(getter{nil, g.ptr("query")}, g)
	if err != nil {
		return err
	}
	t, err := s.store.FindReportTemplate(r.Context(), tmplID)
	if docket.ErrorCode(err) == docket.ENotFound {
		return invalidPointer(g.ptr("report-template-id"), "report template %s does not exist", tmplID)
	} else if err != nil {
		return err
	}
	if n.Type != "" && n.Type != t.Type {
		return invalidPointer(g.ptr("report-type"), "report template %s makes %s reports, not %s", t.ID, t.Type, n.Type)
	}
	*n, err = s.screener.Report(r.Context(), t, q, *n)
	return err
}

// screeningQuery reads a report's query object, refusing keys it does not know.
func screeningQuery(q, attrs getter) (docket.ScreeningQuery, error) {
	m, err := attrs.object("query")
	if err != nil {
		return docket.ScreeningQuery{}, err
	}
	q.m = m
	if err := q.onlyKeys("name-first", "name-middle", "name-last", "term", "birthdate", "address-country-code", "country-code"); err != nil {
		return docket.ScreeningQuery{}, err
	}
	var out docket.ScreeningQuery
	for key, dst := range map[string]*string{"name-first": &out.NameFirst, "name-middle": &out.NameMiddle, "name-last": &out.NameLast,
		"term": &out.Term, "birthdate": &out.Birthdate, "address-country-code": &out.Country, "country-code": &out.Country} {
		v, err := q.str(key)
		if err != nil {
			return out, err
		}
		if v != "" {
			*dst = v
		}
	}
	out.Country = strings.ToUpper(out.Country)
	return out, out.Validate()
}

// dataType returns the request's data.type, if it names a report type.
func dataType(b *body) string {
	data, _ := b.raw["data"].(obj)
	t, _ := data["type"].(string)
	if docket.ValidReportType(t) {
		return t
	}
	return ""
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
