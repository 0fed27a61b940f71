package store_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// textFixture makes K-1 (a wire to Zurich, tagged, holding Ada Lovelace's account
// CUST-77), K-2 (a comment about a refund) and K-3 (Zurich four times: the best match
// for zurich).
func textFixture(t *testing.T, s *store.Store) (tm *docket.CaseTemplate, acct *docket.Account, cs []*docket.Case) {
	t.Helper()
	tm = mkTemplate(t, s, &docket.CaseTemplate{Name: "Text", Key: "K", FieldSchemas: []docket.FieldSchema{
		{Key: "note", Type: docket.FieldString}, {Key: "amount", Type: docket.FieldFloat}}})
	ref := "CUST-77"
	acct = &docket.Account{ReferenceID: &ref, Fields: map[string]any{"name-first": "Ada", "name-last": "Lovelace", "city": "Geneva"}}
	noErr(t, s.CreateAccount(ctx, apiActor, acct))
	cs = append(cs, mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Tags: []string{"sanctions-hit"}, ObjectIDs: []string{acct.ID},
		Fields: map[string]any{"note": "Wire transfer to Zürich, flagged by the bank", "amount": 5.0}}))
	cs = append(cs, mkCase(t, s, docket.NewCase{TemplateID: tm.ID}))
	must[*docket.Comment](t)(s.AddComment(ctx, apiActor, cs[1].ID, "Customer called about a refund"))
	cs = append(cs, mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"note": "zürich zürich zürich zürich"}}))
	return tm, acct, cs
}

// textSearch returns the names a free-text search finds, in result order.
func textSearch(t *testing.T, s *store.Store, text string, where *docket.Predicate) []string {
	t.Helper()
	return caseNames(search(t, s, docket.SearchQuery{Text: text, Where: where, Sort: docket.SearchSort{Attribute: docket.SearchSortRank},
		Page: docket.Page{Size: 1}}))
}

func TestSearchText(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm, acct, cs := textFixture(t, s)
		for _, tc := range []struct {
			text string
			want string // names in rank order (ties in id order)
		}{
			{"zürich", "K-3 K-1"},
			{"ZÜRICH", "K-3 K-1"},
			{"zür", "K-3 K-1"},
			{"wire zür", "K-1"},
			{"wire refund", ""},
			{"lovelace", "K-1"},
			{"ada", "K-1"},
			{"geneva", ""}, // an account's other fields are not its name
			{"cust-77", "K-1"},
			{"cust-7", "K-1"},
			{"called cust", "K-2"}, // Customer, in a comment
			{"sanctions", "K-1"},
			{"refund", "K-2"},
			{"customer CALLED", "K-2"},
			{"k-2", "K-2"},
			{"--", ""},
			{"nothing", ""},
		} {
			t.Run(tc.text, func(t *testing.T) {
				wantStrings(t, "matches", textSearch(t, s, tc.text, nil), strings.Fields(tc.want))
			})
		}
		t.Run("with a predicate", func(t *testing.T) {
			amount := query(t, s.Now(), `{"attribute":"fields.amount","operator":"eq","value":5}`)
			wantStrings(t, "matches", textSearch(t, s, "zürich", amount), []string{"K-1"})
			open := query(t, s.Now(), `{"attribute":"status","operator":"ne","value":"Open"}`)
			wantStrings(t, "matches", textSearch(t, s, "zürich", open), nil)
		})
		t.Run("in another order", func(t *testing.T) {
			got := search(t, s, docket.SearchQuery{Text: "zürich", Sort: docket.SearchSort{Attribute: "created-at"}, Page: docket.Page{Size: 1}})
			wantStrings(t, "matches", caseNames(got), []string{"K-1", "K-3"})
		})
		t.Run("read after write", func(t *testing.T) {
			must[*docket.Comment](t)(s.AddComment(ctx, apiActor, cs[1].ID, "Mentions Quetzalcoatl"))
			wantStrings(t, "after a comment", textSearch(t, s, "quetzal", nil), []string{"K-2"})
			caseOK(t)(s.UpdateCase(ctx, apiActor, cs[2].ID, docket.CaseUpdate{Fields: map[string]any{"note": "Basel"}}))
			wantStrings(t, "after a field edit", textSearch(t, s, "zürich", nil), []string{"K-1"})
			wantStrings(t, "the new value", textSearch(t, s, "basel", nil), []string{"K-3"})
			caseOK(t)(s.AddCaseObjects(ctx, apiActor, cs[2].ID, []string{acct.ID}))
			wantStrings(t, "after attaching an account", sortedStrings(textSearch(t, s, "lovelace", nil)), []string{"K-1", "K-3"})
			must[*docket.Account](t)(s.UpdateAccount(ctx, apiActor, acct.ID, docket.AccountUpdate{
				Fields: map[string]any{"name-first": "Ada", "name-last": "Byron"}}))
			wantStrings(t, "after renaming the account", textSearch(t, s, "lovelace", nil), nil)
			wantStrings(t, "the account's new name", sortedStrings(textSearch(t, s, "byron", nil)), []string{"K-1", "K-3"})
		})
		t.Run("redacted words are gone", func(t *testing.T) {
			must[*docket.Account](t)(s.RedactAccount(ctx, apiActor, acct.ID))
			for _, w := range []string{"byron", "ada", "cust-77"} {
				wantStrings(t, w, textSearch(t, s, w, nil), nil)
			}
			caseOK(t)(s.RedactCase(ctx, apiActor, cs[1].ID))
			for _, w := range []string{"refund", "quetzal"} {
				wantStrings(t, w, textSearch(t, s, w, nil), nil)
			}
		})
		t.Run("search box", func(t *testing.T) {
			// The exact name comes first, then what the words match, best first.
			wantStrings(t, "k-1", caseNames(allCases(t, s, docket.CaseFilter{Query: "k-1"})), []string{"K-1"})
			wantStrings(t, "wire", caseNames(allCases(t, s, docket.CaseFilter{Query: "Wire"})), []string{"K-1"})
			hidden := docket.Visibility{HiddenTemplateIDs: []string{tm.ID}}
			wantStrings(t, "hidden", caseNames(allCases(t, s, docket.CaseFilter{Query: "wire", Visibility: hidden})), nil)
		})
	})
}

// TestSearchPlans checks that each kind of selective search reads an index, never the
// whole cases table (see TestCaseListPlans for how plans are judged). A rank order sorts
// what the words match, which is as many rows as the answer holds.
func TestSearchPlans(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm, acct, cs := textFixture(t, s)
		markSearchable(t, s, tm, "note", "amount")
		u := mkUser(t, s, "ada@example.com")
		q := mkQueue(t, s, "Q", docket.CaseQueueFilter{}).ID
		vis := docket.Visibility{HiddenTemplateIDs: []string{"ctpl_hidden"}}
		p := func(js string) *docket.Predicate { return query(t, s.Now(), js) }
		rank := docket.SearchSort{Attribute: docket.SearchSortRank}
		for _, tc := range []struct {
			name  string
			q     docket.SearchQuery
			sorts bool
		}{
			{name: "name", q: docket.SearchQuery{Where: p(`{"attribute":"name","operator":"eq","value":"k-1"}`)}, sorts: true},
			{name: "reference id", q: docket.SearchQuery{Where: p(`{"attribute":"reference-id","operator":"eq","value":"CUST-77"}`)}, sorts: true},
			{name: "tag", q: docket.SearchQuery{Where: p(`{"attribute":"tag","operator":"eq","value":"pep"}`), Visibility: vis}, sorts: true},
			{name: "assignee", q: docket.SearchQuery{Where: p(`{"attribute":"assignee-id","operator":"eq","value":"` + u.ID + `"}`)}},
			{name: "queue", q: docket.SearchQuery{Where: p(`{"attribute":"case-queue-id","operator":"eq","value":"` + q + `"}`)}},
			{name: "status", q: docket.SearchQuery{Where: p(`{"attribute":"status","operator":"eq","value":"Open"}`)}},
			{name: "template and status", q: docket.SearchQuery{Where: p(`{"and":[{"attribute":"case-template-id","operator":"eq","value":"` + tm.ID + `"},
				{"attribute":"status","operator":"eq","value":"Open"}]}`)}},
			{name: "field equality", q: docket.SearchQuery{Where: p(`{"attribute":"fields.amount","operator":"eq","value":999}`)}, sorts: true},
			{name: "field range", q: docket.SearchQuery{Where: p(`{"and":[{"attribute":"fields.amount","operator":"gte","value":10},
				{"attribute":"fields.amount","operator":"lt","value":20}]}`)}, sorts: true},
			{name: "field in", q: docket.SearchQuery{Where: p(`{"attribute":"fields.note","operator":"in","value":["a","b"]}`)}, sorts: true},
			{name: "text", q: docket.SearchQuery{Text: "zurich", Sort: rank}, sorts: true},
			{name: "text, deep", q: docket.SearchQuery{Text: "zürich", Sort: rank, Page: docket.Page{After: cs[0].ID}}, sorts: true},
			{name: "text and a field", q: docket.SearchQuery{Text: "wire", Sort: rank, Visibility: vis,
				Where: p(`{"attribute":"fields.amount","operator":"gt","value":1}`)}, sorts: true},
			{name: "text, newest first", q: docket.SearchQuery{Text: "wire", Sort: docket.SearchSort{Desc: true}}, sorts: true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				plans, err := s.ExplainSearch(ctx, tc.q)
				noErr(t, err)
				for _, plan := range plans {
					if bad := searchBadPlan(plan, s.Postgres(), tc.sorts); bad != "" {
						t.Errorf("%s:\n%s", bad, plan)
					}
				}
			})
		}
		t.Run("search box in rank order", func(t *testing.T) {
			for _, f := range []docket.CaseFilter{{Query: "k-1", Visibility: vis}, {Query: "lovelace"}, {Query: acct.ID},
				{Query: "zürich", Status: "Open", Page: docket.Page{After: cs[2].ID}}} {
				plans, err := s.ExplainRankedList(ctx, f)
				noErr(t, err)
				for _, plan := range plans {
					if bad := searchBadPlan(plan, s.Postgres(), true); bad != "" {
						t.Errorf("%s:\n%s", bad, plan)
					}
				}
			}
		})
	})
}

// searchBadPlan is badPlan, except that on SQLite a scan of a subquery's rows (m: the
// ranked matches, u: their union, x: exact matches) is no table scan: it holds the answer.
func searchBadPlan(plan string, pg, sorts bool) string {
	if !pg {
		plan = subqueryScan.ReplaceAllString(plan, "")
	}
	return badPlan(plan, pg, sorts)
}

var subqueryScan = regexp.MustCompile(`(?m)^\s*SCAN [mux]\s*$`)
