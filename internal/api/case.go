package api

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// caseIncludes are the names ?include takes on a case.
var caseIncludes = jsonapi.CaseIncludeNames()

// addIncluded adds to doc the related resources that include names for the cases.
func (s *Server) addIncluded(r *http.Request, doc obj, cases []*docket.Case, include map[string]bool) error {
	if len(include) == 0 {
		return nil
	}
	details, err := s.store.CaseDetails(r.Context(), cases, jsonapi.CaseDetailOptions(include))
	if err != nil {
		return err
	}
	showIdentities(r, details)
	doc["included"] = jsonapi.CaseIncluded(details, include)
	return nil
}

// writeCase renders one case with what ?include asked for.
func (s *Server) writeCase(w http.ResponseWriter, r *http.Request, status int, c *docket.Case) error {
	include, err := parseInclude(r, caseIncludes...)
	if err != nil {
		return err
	}
	return s.writeCaseWith(w, r, status, c, include)
}

// createdCaseIncludes are what POST /cases includes when the request names no include,
// as the hosted API does: the attached accounts, inquiries and reports.
var createdCaseIncludes = []string{docket.KindAccount.Relation, docket.KindInquiry.Relation, docket.KindReport.Relation}

// writeCreatedCase renders a case just created: with what ?include asks for or, without
// the parameter, with createdCaseIncludes if the principal may read objects (a key that
// may not gets the case alone rather than a refusal for what it did not ask).
// include= (empty) asks for nothing.
func (s *Server) writeCreatedCase(w http.ResponseWriter, r *http.Request, c *docket.Case) error {
	include, err := parseInclude(r, caseIncludes...)
	if err != nil {
		return err
	}
	if !r.URL.Query().Has("include") && principal(r).Can(docket.PermReadObjects) {
		if len(c.ObjectIDs) == 0 {
			// Nothing attached, nothing to read: the common create costs no query more.
			doc := obj{"data": jsonapi.Case(c), "included": []any{}}
			writeJSON(w, r, http.StatusCreated, doc)
			return nil
		}
		for _, name := range createdCaseIncludes {
			include[name] = true
		}
	}
	return s.writeCaseWith(w, r, http.StatusCreated, c, include)
}

func (s *Server) writeCaseWith(w http.ResponseWriter, r *http.Request, status int, c *docket.Case, include map[string]bool) error {
	doc := obj{"data": jsonapi.Case(c)}
	if err := s.addIncluded(r, doc, []*docket.Case{c}, include); err != nil {
		return err
	}
	writeJSON(w, r, status, doc)
	return nil
}

func (s *Server) writeCases(w http.ResponseWriter, r *http.Request, cases []*docket.Case, pr docket.PageResult) error {
	include, err := parseInclude(r, caseIncludes...)
	if err != nil {
		return err
	}
	data, ids := make([]any, len(cases)), make([]string, len(cases))
	for i, c := range cases {
		data[i], ids[i] = jsonapi.Case(c), c.ID
	}
	doc := listDoc(r, data, ids, pr)
	if err := s.addIncluded(r, doc, cases, include); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, doc)
	return nil
}

// getCase shows the case with its related cases (other cases sharing an account), which
// only this endpoint shows, and what ?include asked for.
func (s *Server) getCase(w http.ResponseWriter, r *http.Request) error {
	// An include it does not know is reported after a missing case, as a client fixing
	// the case id first would see it.
	include, badInclude := parseInclude(r, caseIncludes...)
	o := jsonapi.CaseDetailOptions(include)
	o.RelatedCases = badInclude == nil
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	o.Visibility = &vis
	d, err := s.store.FindCaseDetail(r.Context(), r.PathValue("id"), o)
	if err != nil {
		return err
	}
	if badInclude != nil {
		return badInclude
	}
	doc := obj{"data": jsonapi.CaseWithRelated(d)}
	if len(include) > 0 {
		showIdentities(r, []*docket.CaseDetail{d})
		doc["included"] = jsonapi.CaseIncluded([]*docket.CaseDetail{d}, include)
	}
	writeJSON(w, r, http.StatusOK, doc)
	return nil
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	f, err := parseCaseFilter(r)
	if err != nil {
		return err
	}
	if _, err := parseInclude(r, caseIncludes...); err != nil {
		return err
	}
	if f.Visibility, err = s.visibility(r); err != nil {
		return err
	}
	cases, pr, err := s.store.ListCases(r.Context(), f)
	if err != nil {
		return err
	}
	return s.writeCases(w, r, cases, pr)
}

// caseFilters are the filters GET /cases takes: the case list's (docket.CaseListParams).
var caseFilters = func() []string {
	var out []string
	for _, p := range docket.CaseListParams {
		if name, ok := strings.CutPrefix(p, "filter["); ok {
			out = append(out, strings.TrimSuffix(name, "]"))
		}
	}
	return out
}()

// parseCaseFilter reads the case list's filters and order (docket.ParseCaseFilter: the
// vocabulary the dashboard's case list and saved views share) and its page. Filter names
// are accepted in any key inflection, as every list's filters are.
func parseCaseFilter(r *http.Request) (docket.CaseFilter, error) {
	page, err := parsePage(r, docket.PrefixCase, caseFilters...)
	if err != nil {
		return docket.CaseFilter{}, err
	}
	q := r.URL.Query()
	me := ""
	if u := principal(r).User; u != nil {
		me = u.ID
	}
	f, err := docket.ParseCaseFilter(func(param string) string {
		if name, ok := strings.CutPrefix(param, "filter["); ok {
			return filterParam(q, strings.TrimSuffix(name, "]"))
		}
		return q.Get(param)
	}, me)
	f.Page = page
	return f, err
}
