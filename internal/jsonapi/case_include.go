package jsonapi

import (
	"cmp"
	"slices"

	"github.com/docket-hq/docket"
)

// caseInclude is one name ?include takes on a case: the permission reading what it
// includes needs (the one its own endpoint needs), which part of the case detail it
// needs, and how that part renders.
type caseInclude struct {
	name   string
	perm   docket.Permission
	load   func(o *docket.CaseDetailOptions)
	render func(d *docket.CaseDetail) []Object
}

// caseIncludes lists what a case can include, in the order included resources appear.
// Attached objects are named by their kind's relationship; every stored kind has an entry
// (TestCaseIncludesCoverKinds).
var caseIncludes = []caseInclude{
	{"case-template", docket.PermReadTemplates, func(o *docket.CaseDetailOptions) { o.Template = true }, func(d *docket.CaseDetail) []Object {
		if d.Template == nil {
			return nil
		}
		return []Object{CaseTemplate(d.Template)}
	}},
	{docket.KindAccount.Relation, docket.PermReadObjects, func(o *docket.CaseDetailOptions) { o.Accounts = true }, func(d *docket.CaseDetail) []Object {
		return each(d.Accounts, func(a *docket.Account) Object { return Account(a, nil) })
	}},
	{docket.KindInquiry.Relation, docket.PermReadObjects, func(o *docket.CaseDetailOptions) { o.Inquiries = true }, func(d *docket.CaseDetail) []Object {
		return each(d.Inquiries, func(q *docket.Inquiry) Object { return Inquiry(q, nil) })
	}},
	{docket.KindReport.Relation, docket.PermReadObjects, func(o *docket.CaseDetailOptions) { o.Reports = true }, func(d *docket.CaseDetail) []Object {
		return each(d.Reports, func(r *docket.Report) Object { return Report(r, nil) })
	}},
	{docket.KindTransaction.Relation, docket.PermReadObjects, func(o *docket.CaseDetailOptions) { o.Transactions = true }, func(d *docket.CaseDetail) []Object {
		return each(d.Transactions, func(t *docket.Transaction) Object { return Transaction(t, nil) })
	}},
	{"case-comments", docket.PermReadCases, func(o *docket.CaseDetailOptions) { o.Comments = true }, func(d *docket.CaseDetail) []Object {
		return each(d.Comments, Comment)
	}},
	{"assignee", docket.PermReadUsers, func(o *docket.CaseDetailOptions) { o.Assignee = true }, func(d *docket.CaseDetail) []Object {
		if d.Assignee == nil {
			return nil
		}
		return []Object{User(d.Assignee)}
	}},
}

// CaseIncludeNames lists the names ?include takes on a case.
func CaseIncludeNames() []string {
	names := make([]string, len(caseIncludes))
	for i, inc := range caseIncludes {
		names[i] = inc.name
	}
	return names
}

// IncludePermission returns the permission that including name needs: including a
// resource shows what its own endpoint shows, so it needs what that endpoint needs.
func IncludePermission(name string) (docket.Permission, bool) {
	for _, inc := range caseIncludes {
		if inc.name == name {
			return inc.perm, true
		}
	}
	return "", false
}

// CaseDetailOptions says which parts of a case detail the named includes need.
func CaseDetailOptions(include map[string]bool) docket.CaseDetailOptions {
	var o docket.CaseDetailOptions
	for _, inc := range caseIncludes {
		if include[inc.name] {
			inc.load(&o)
		}
	}
	return o
}

// CaseIncluded renders the included resources of a document holding the cases of
// details: for each name include holds, in the order CaseIncludeNames lists them, the
// resources of every case, each once, in id order (ids are time-ordered: oldest first).
func CaseIncluded(details []*docket.CaseDetail, include map[string]bool) []any {
	included := []any{}
	for _, inc := range caseIncludes {
		if !include[inc.name] {
			continue
		}
		seen := map[string]bool{}
		var part []Object
		for _, d := range details {
			for _, res := range inc.render(d) {
				if id := res["id"].(string); !seen[id] {
					seen[id] = true
					part = append(part, res)
				}
			}
		}
		slices.SortFunc(part, func(a, b Object) int { return cmp.Compare(a["id"].(string), b["id"].(string)) })
		for _, res := range part {
			included = append(included, res)
		}
	}
	return included
}

func each[T any](items []T, render func(T) Object) []Object {
	out := make([]Object, len(items))
	for i, x := range items {
		out[i] = render(x)
	}
	return out
}
