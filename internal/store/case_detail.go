package store

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// FindCaseDetail returns the case with the parts o asks for.
func (s *Store) FindCaseDetail(ctx context.Context, id string, o docket.CaseDetailOptions) (*docket.CaseDetail, error) {
	c, err := s.FindCase(ctx, id)
	if err != nil {
		return nil, err
	}
	if o.Visibility != nil && o.Visibility.Hides(c.TemplateID) {
		return nil, docket.NotFound("case", id)
	}
	details, err := s.CaseDetails(ctx, []*docket.Case{c}, o)
	if err != nil {
		return nil, err
	}
	return details[0], nil
}

// CaseDetails completes cases already read with the parts o asks for. Each part is one
// query for all the cases together (related cases are a few), never one per case.
func (s *Store) CaseDetails(ctx context.Context, cases []*docket.Case, o docket.CaseDetailOptions) ([]*docket.CaseDetail, error) {
	details := make([]*docket.CaseDetail, len(cases))
	for i, c := range cases {
		details[i] = &docket.CaseDetail{Case: c}
	}
	if len(cases) == 0 {
		return details, nil
	}
	loads := []struct {
		want bool
		load func(ctx context.Context, s *Store, details []*docket.CaseDetail) error
	}{
		{o.Template, loadDetailTemplates},
		{o.Assignee, loadDetailAssignees},
		{o.Accounts, func(ctx context.Context, s *Store, details []*docket.CaseDetail) error {
			return loadAttached(ctx, details, docket.KindAccount, s.FindAccounts, func(a *docket.Account) string { return a.ID },
				func(d *docket.CaseDetail, list []*docket.Account) { d.Accounts = list })
		}},
		{o.Inquiries, func(ctx context.Context, s *Store, details []*docket.CaseDetail) error {
			return loadAttached(ctx, details, docket.KindInquiry, s.FindInquiries, func(q *docket.Inquiry) string { return q.ID },
				func(d *docket.CaseDetail, list []*docket.Inquiry) { d.Inquiries = list })
		}},
		{o.Reports, func(ctx context.Context, s *Store, details []*docket.CaseDetail) error {
			return loadAttached(ctx, details, docket.KindReport, s.FindReports, func(r *docket.Report) string { return r.ID },
				func(d *docket.CaseDetail, list []*docket.Report) { d.Reports = list })
		}},
		{o.Transactions, func(ctx context.Context, s *Store, details []*docket.CaseDetail) error {
			return loadAttached(ctx, details, docket.KindTransaction, s.FindTransactions, func(t *docket.Transaction) string { return t.ID },
				func(d *docket.CaseDetail, list []*docket.Transaction) { d.Transactions = list })
		}},
		{o.Comments, loadDetailComments},
		{o.RelatedCases, func(ctx context.Context, s *Store, details []*docket.CaseDetail) error {
			var vis docket.Visibility
			if o.Visibility != nil {
				vis = *o.Visibility
			}
			return loadDetailRelatedCases(ctx, s, details, vis)
		}},
	}
	for _, l := range loads {
		if !l.want {
			continue
		}
		if err := l.load(ctx, s, details); err != nil {
			return nil, fmt.Errorf("case details: %w", err)
		}
	}
	return details, nil
}

// loadAttached finds the objects of one kind attached to any of the cases with one call
// of find, then gives each case its own in the order the case lists them.
func loadAttached[T any](ctx context.Context, details []*docket.CaseDetail, kind docket.ObjectKind,
	find func(ctx context.Context, ids []string) ([]T, error), idOf func(T) string, set func(*docket.CaseDetail, []T)) error {
	ids := uniqueIDs(details, func(c *docket.Case) []string { return attachedIDs(c, kind.Prefix) })
	found, err := find(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[string]T, len(found))
	for _, x := range found {
		byID[idOf(x)] = x
	}
	for _, d := range details {
		list := []T{}
		for _, id := range attachedIDs(d.Case, kind.Prefix) {
			if x, ok := byID[id]; ok {
				list = append(list, x)
			}
		}
		set(d, list)
	}
	return nil
}

func loadDetailTemplates(ctx context.Context, s *Store, details []*docket.CaseDetail) error {
	found, err := s.FindTemplates(ctx, uniqueIDs(details, func(c *docket.Case) []string { return []string{c.TemplateID} }))
	if err != nil {
		return err
	}
	byID := make(map[string]*docket.CaseTemplate, len(found))
	for _, t := range found {
		byID[t.ID] = t
	}
	for _, d := range details {
		d.Template = byID[d.Case.TemplateID]
	}
	return nil
}

func loadDetailAssignees(ctx context.Context, s *Store, details []*docket.CaseDetail) error {
	found, err := s.FindUsers(ctx, uniqueIDs(details, func(c *docket.Case) []string {
		if c.AssigneeID == nil {
			return nil
		}
		return []string{*c.AssigneeID}
	}))
	if err != nil {
		return err
	}
	byID := make(map[string]*docket.User, len(found))
	for _, u := range found {
		byID[u.ID] = u
	}
	for _, d := range details {
		if d.Case.AssigneeID != nil {
			d.Assignee = byID[*d.Case.AssigneeID]
		}
	}
	return nil
}

func loadDetailComments(ctx context.Context, s *Store, details []*docket.CaseDetail) error {
	found, err := s.FindComments(ctx, uniqueIDs(details, func(c *docket.Case) []string { return c.CommentIDs }))
	if err != nil {
		return err
	}
	byCase := map[string][]*docket.Comment{}
	for _, cm := range found {
		byCase[cm.CaseID] = append(byCase[cm.CaseID], cm)
	}
	for _, d := range details {
		d.Comments = byCase[d.Case.ID]
		if d.Comments == nil {
			d.Comments = []*docket.Comment{}
		}
	}
	return nil
}

// loadDetailRelatedCases fills related cases, leaving out those vis hides.
func loadDetailRelatedCases(ctx context.Context, s *Store, details []*docket.CaseDetail, vis docket.Visibility) error {
	related, err := relatedCaseIDs(ctx, s.reader(), uniqueIDs(details, func(c *docket.Case) []string { return []string{c.ID} }))
	if err != nil {
		return err
	}
	var all []string
	for _, ids := range related {
		all = append(all, ids...)
	}
	found, err := s.FindCases(ctx, dedupe(all))
	if err != nil {
		return err
	}
	byID := make(map[string]*docket.Case, len(found))
	for _, c := range found {
		byID[c.ID] = c
	}
	for _, d := range details {
		d.RelatedCases = []*docket.Case{}
		for _, id := range related[d.Case.ID] {
			if c, ok := byID[id]; ok && !vis.Hides(c.TemplateID) {
				d.RelatedCases = append(d.RelatedCases, c)
			}
		}
	}
	return nil
}

// relatedCaseIDs returns, for each of the cases, the other cases that share an account
// with it, newest first and at most MaxRelatedCases each, in one query.
func relatedCaseIDs(ctx context.Context, q querier, caseIDs []string) (map[string][]string, error) {
	if len(caseIDs) == 0 {
		return map[string][]string{}, nil
	}
	args := append([]any{docket.PrefixAccount}, anys(caseIDs)...)
	args = append(args, docket.MaxRelatedCases)
	pairs, err := queryAll(ctx, q, `SELECT case_id, other_id FROM (
			SELECT case_id, other_id, ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY other_id DESC) AS n FROM (
				SELECT DISTINCT mine.case_id AS case_id, other.case_id AS other_id FROM case_objects mine
				JOIN case_objects other ON other.object_id = mine.object_id AND other.case_id <> mine.case_id
				WHERE mine.object_type = ? AND mine.case_id IN (`+placeholders(len(caseIDs))+`)) shared) ranked
		WHERE n <= ? ORDER BY case_id, other_id DESC`, args, func(r scanner) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})
	if err != nil {
		return nil, fmt.Errorf("related cases: %w", err)
	}
	out := make(map[string][]string, len(caseIDs))
	for _, p := range pairs {
		out[p[0]] = append(out[p[0]], p[1])
	}
	return out, nil
}

// attachedIDs returns the ids of the objects of one kind that c holds, in its order.
func attachedIDs(c *docket.Case, prefix string) []string {
	var out []string
	for _, id := range c.ObjectIDs {
		if docket.IDPrefix(id) == prefix {
			out = append(out, id)
		}
	}
	return out
}

// uniqueIDs gathers the ids pick returns for each case, each once, in first-seen order.
func uniqueIDs(details []*docket.CaseDetail, pick func(c *docket.Case) []string) []string {
	var ids []string
	for _, d := range details {
		ids = append(ids, pick(d.Case)...)
	}
	return dedupe(ids)
}

// dedupe returns ids without repeats, in first-seen order.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
