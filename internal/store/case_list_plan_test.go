package store_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// TestCaseListPlans checks that the case list's page and count queries read an index in
// the list's order, so that a page costs the same at any depth of a million-row table:
// no scan of the whole table and no sort of it. On SQLite the plan does not depend on
// the data (Docket keeps no statistics); on PostgreSQL the test asks whether an index
// path exists (see Store.ExplainCaseList). A million-row check of the same queries is
// `docket bench case-list`.
func TestCaseListPlans(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		hidden := mkTemplate(t, s, &docket.CaseTemplate{Name: "SAR", Key: "SAR", VisibleToRoles: []string{docket.RoleAdmin}})
		u := mkUser(t, s, "ada@example.com")
		sla := int64(3600)
		withSLA := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: &sla})
		without := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		vis := docket.Visibility{HiddenTemplateIDs: []string{hidden.ID}}
		after := func(c *docket.Case) docket.Page { return docket.Page{Size: 50, After: c.ID} }
		before := func(c *docket.Case) docket.Page { return docket.Page{Size: 50, Before: c.ID} }
		bySLA := docket.CaseSortSLA
		for _, tc := range []struct {
			name string
			f    docket.CaseFilter
			// sorts allows a sort: the search box finds a handful of cases by key.
			sorts bool
		}{
			{name: "newest", f: docket.CaseFilter{Visibility: vis}},
			{name: "newest, deep", f: docket.CaseFilter{Visibility: vis, Page: after(without)}},
			{name: "newest, back", f: docket.CaseFilter{Visibility: vis, Page: before(without)}},
			{name: "status tab", f: docket.CaseFilter{Status: "Open", Visibility: vis, Page: after(without)}},
			{name: "template and status", f: docket.CaseFilter{TemplateID: tm.ID, Status: "Open", Page: after(without)}},
			{name: "tag and template", f: docket.CaseFilter{Tag: "pep", TemplateID: tm.ID, Visibility: vis, Page: after(without)}},
			{name: "tag, back", f: docket.CaseFilter{Tag: "pep", Page: before(without)}},
			{name: "assignee", f: docket.CaseFilter{AssigneeID: u.ID, Visibility: vis, Page: after(without)}},
			{name: "unassigned", f: docket.CaseFilter{Unassigned: true, Status: "Open", Page: after(without)}},
			{name: "SLA, first page", f: docket.CaseFilter{Sort: bySLA, Visibility: vis}},
			{name: "SLA, after a case with an SLA", f: docket.CaseFilter{Sort: bySLA, Visibility: vis, Page: after(withSLA)}},
			{name: "SLA, after a case without", f: docket.CaseFilter{Sort: bySLA, Visibility: vis, Page: after(without)}},
			{name: "SLA, before a case with an SLA", f: docket.CaseFilter{Sort: bySLA, Page: before(withSLA)}},
			{name: "SLA, before a case without", f: docket.CaseFilter{Sort: bySLA, Page: before(without)}},
			{name: "SLA in a status tab", f: docket.CaseFilter{Sort: bySLA, Status: "Open", Visibility: vis, Page: after(withSLA)}},
			{name: "SLA in a status tab, no SLA", f: docket.CaseFilter{Sort: bySLA, Status: "Open", Page: after(without)}},
			{name: "breached, by SLA", f: docket.CaseFilter{Sort: bySLA, SLA: docket.QueueSLABreached, Page: after(withSLA)}},
			{name: "mine, by SLA", f: docket.CaseFilter{Sort: bySLA, AssigneeID: u.ID, Visibility: vis, Page: after(withSLA)}},
			{name: "unassigned, by SLA", f: docket.CaseFilter{Sort: bySLA, Unassigned: true, Page: after(withSLA)}},
			{name: "unassigned and breached, by SLA", f: docket.CaseFilter{Sort: bySLA, Unassigned: true, SLA: docket.QueueSLABreached}},
			{name: "search box: a name", f: docket.CaseFilter{Query: "kyc-1", Visibility: vis}, sorts: true},
			{name: "search box: a reference", f: docket.CaseFilter{Query: "cust-1"}, sorts: true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				plans, err := s.ExplainCaseList(ctx, tc.f, 1001)
				noErr(t, err)
				for _, plan := range plans {
					if bad := badPlan(plan, s.Postgres(), tc.sorts); bad != "" {
						t.Errorf("%s:\n%s", bad, plan)
					}
				}
			})
		}
	})
}

var (
	// A SCAN without an index (SQLite names what it scans: a table's alias, or the
	// count's own subquery, which is no table).
	sqliteScan = regexp.MustCompile(`(?m)^\s*SCAN (\w+)\s*$`)
	pgSort     = regexp.MustCompile(`(?m)^\s*(->\s*)?(Incremental )?Sort\b`)
)

// badPlan says what is wrong with a plan, or "" if nothing is.
func badPlan(plan string, pg, sorts bool) string {
	switch {
	case pg && strings.Contains(plan, "Seq Scan"):
		return "a sequential scan"
	case pg && !sorts && pgSort.MatchString(plan):
		return "a sort"
	case !pg && slices.ContainsFunc(sqliteScan.FindAllStringSubmatch(plan, -1), func(m []string) bool { return m[1] != "counted" }):
		return "a table scan"
	case !pg && !sorts && strings.Contains(plan, "TEMP B-TREE"):
		return "a sort"
	}
	return ""
}
