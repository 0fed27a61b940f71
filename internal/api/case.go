package api

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
)

// relationship names of attached objects, by id prefix, and their resource types.
var objectRelations = []struct{ prefix, rel, typ string }{
	{docket.PrefixAccount, "accounts", "account"},
	{docket.PrefixInquiry, "inquiries", "inquiry"},
	{docket.PrefixReport, "reports", "report"},
	{docket.PrefixTransaction, "txns", "transaction"},
	{docket.PrefixSAR, "sars", "sar"},
}

func caseResource(c *docket.Case) obj {
	attrs := obj{
		"status": c.Status, "name": c.Name, "resolution": strOrNil(c.Resolution),
		"created-at": ts(c.CreatedAt), "updated-at": ts(c.UpdatedAt), "assigned-at": tsPtr(c.AssignedAt),
		"resolved-at": tsPtr(c.ResolvedAt), "redacted-at": tsPtr(c.RedactedAt), "sla-expires-at": tsPtr(c.SLAExpiresAt),
		"assignee-id": strOrNil(c.AssigneeID), "tags": orEmpty(c.Tags), "fields": c.Fields, "attachments": []any{},
	}
	if attrs["fields"] == nil {
		attrs["fields"] = obj{}
	}
	for role, a := range map[string]*docket.Actor{"creator": c.Creator, "assigner": c.Assigner, "resolver": c.Resolver, "updater": c.Updater} {
		attrs[role+"-id"], attrs[role+"-type"] = nil, nil
		if a != nil {
			attrs[role+"-id"], attrs[role+"-type"] = a.ID, a.Type
		}
	}
	rels := obj{
		"case-template": one("case-template", &c.TemplateID),
		"case-queue":    one("case-queue", c.QueueID),
		"case-comments": many("case-comment", c.CommentIDs),
		"verifications": many("verification", nil),
	}
	for _, or := range objectRelations {
		data := []any{}
		for _, id := range c.ObjectIDs {
			if !strings.HasPrefix(id, or.prefix+"_") {
				continue
			}
			typ := or.typ
			if t, ok := c.ReportTypes[id]; ok {
				typ = t // reports are typed by kind, as in the hosted API
			}
			data = append(data, ref(typ, id))
		}
		rels[or.rel] = obj{"data": data}
	}
	return resource("case", c.ID, attrs, rels)
}

var caseIncludes = []string{"case-template", "accounts", "inquiries", "reports", "txns", "case-comments", "assignee"}

// caseIncluded loads the related objects named in include for the given cases.
func (s *Server) caseIncluded(r *http.Request, cases []*docket.Case, include map[string]bool) ([]any, error) {
	ctx := r.Context()
	included := []any{}
	collect := func(pick func(c *docket.Case) []string) []string {
		seen := map[string]bool{}
		var ids []string
		for _, c := range cases {
			for _, id := range pick(c) {
				if !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
		return ids
	}
	if include["case-template"] {
		ts, err := s.store.FindTemplates(ctx, collect(func(c *docket.Case) []string { return []string{c.TemplateID} }))
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			included = append(included, templateResource(t))
		}
	}
	if include["accounts"] {
		as, err := s.store.FindAccounts(ctx, collect(func(c *docket.Case) []string { return prefixed(c.ObjectIDs, docket.PrefixAccount) }))
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			included = append(included, accountResource(a))
		}
	}
	if include["inquiries"] {
		qs, err := s.store.FindInquiries(ctx, collect(func(c *docket.Case) []string { return prefixed(c.ObjectIDs, docket.PrefixInquiry) }))
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			included = append(included, inquiryResource(q, nil))
		}
	}
	if include["reports"] {
		rs, err := s.store.FindReports(ctx, collect(func(c *docket.Case) []string { return prefixed(c.ObjectIDs, docket.PrefixReport) }))
		if err != nil {
			return nil, err
		}
		for _, rep := range rs {
			included = append(included, reportResource(rep, nil))
		}
	}
	if include["txns"] {
		ts, err := s.store.FindTransactions(ctx, collect(func(c *docket.Case) []string { return prefixed(c.ObjectIDs, docket.PrefixTransaction) }))
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			included = append(included, txnResource(t, nil))
		}
	}
	if include["case-comments"] {
		cs, err := s.store.FindComments(ctx, collect(func(c *docket.Case) []string { return c.CommentIDs }))
		if err != nil {
			return nil, err
		}
		for _, cm := range cs {
			included = append(included, commentResource(cm))
		}
	}
	if include["assignee"] {
		us, err := s.store.FindUsers(ctx, collect(func(c *docket.Case) []string {
			if c.AssigneeID == nil {
				return nil
			}
			return []string{*c.AssigneeID}
		}))
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			included = append(included, userResource(u))
		}
	}
	return included, nil
}

func prefixed(ids []string, prefix string) []string {
	var out []string
	for _, id := range ids {
		if strings.HasPrefix(id, prefix+"_") {
			out = append(out, id)
		}
	}
	return out
}

// writeCase renders one case with what ?include asked for.
func (s *Server) writeCase(w http.ResponseWriter, r *http.Request, status int, c *docket.Case) error {
	return s.writeCaseWith(w, r, status, c, nil)
}

// writeCaseWith also shows related cases (other cases sharing an account) when given.
func (s *Server) writeCaseWith(w http.ResponseWriter, r *http.Request, status int, c *docket.Case, related []string) error {
	include, err := parseInclude(r, caseIncludes...)
	if err != nil {
		return err
	}
	res := caseResource(c)
	if related != nil {
		res["relationships"].(obj)["related-cases"] = many("case", related)
	}
	doc := obj{"data": res}
	if len(include) > 0 {
		inc, err := s.caseIncluded(r, []*docket.Case{c}, include)
		if err != nil {
			return err
		}
		doc["included"] = inc
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
		data[i], ids[i] = caseResource(c), c.ID
	}
	doc := listDoc(r, data, ids, pr)
	if len(include) > 0 {
		inc, err := s.caseIncluded(r, cases, include)
		if err != nil {
			return err
		}
		doc["included"] = inc
	}
	writeJSON(w, r, http.StatusOK, doc)
	return nil
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.FindCase(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	related, err := s.store.RelatedCaseIDs(r.Context(), c.ID)
	if err != nil {
		return err
	}
	return s.writeCaseWith(w, r, http.StatusOK, c, related)
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	f, err := parseCaseFilter(r)
	if err != nil {
		return err
	}
	if _, err := parseInclude(r, caseIncludes...); err != nil {
		return err
	}
	cases, pr, err := s.store.ListCases(r.Context(), f)
	if err != nil {
		return err
	}
	return s.writeCases(w, r, cases, pr)
}

func parseCaseFilter(r *http.Request) (docket.CaseFilter, error) {
	var f docket.CaseFilter
	var err error
	if f.Page, err = parsePage(r, docket.PrefixCase); err != nil {
		return f, err
	}
	q := r.URL.Query()
	f.Status, f.ReferenceID, f.Tag = filterParam(q, "status"), filterParam(q, "reference-id"), filterParam(q, "tag")
	for _, idf := range []struct {
		name, prefix string
		dst          *string
	}{
		{"case-template-id", docket.PrefixTemplate, &f.TemplateID},
		{"assignee-id", docket.PrefixUser, &f.AssigneeID},
		{"case-queue-id", docket.PrefixQueue, &f.QueueID},
		{"account-id", docket.PrefixAccount, &f.AccountID},
		{"inquiry-id", docket.PrefixInquiry, &f.InquiryID},
		{"transaction-id", docket.PrefixTransaction, &f.TransactionID},
		{"report-id", docket.PrefixReport, &f.ReportID},
	} {
		if *idf.dst, err = filterID(q, idf.name, idf.prefix); err != nil {
			return f, err
		}
	}
	if f.CreatedAtStart, err = filterTime(q, "created-at-start"); err != nil {
		return f, err
	}
	if f.CreatedAtEnd, err = filterTime(q, "created-at-end"); err != nil {
		return f, err
	}
	return f, nil
}
