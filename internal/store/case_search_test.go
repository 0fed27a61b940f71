package store_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// query parses a search query written as JSON, as the API would receive it.
func query(t testing.TB, now time.Time, js string) *docket.Predicate {
	t.Helper()
	var raw any
	d := json.NewDecoder(strings.NewReader(js))
	d.UseNumber()
	noErr(t, d.Decode(&raw))
	p, err := docket.ParsePredicate(raw, now, "query")
	if err != nil {
		t.Fatalf("parse %s: %v", js, err)
	}
	return p
}

// search runs a query and returns every match (walking pages) in result order.
func search(t testing.TB, s *store.Store, q docket.SearchQuery) []*docket.Case {
	t.Helper()
	var out []*docket.Case
	seen := map[string]bool{}
	for {
		page, r := must2[*docket.Case](t)(s.SearchCases(ctx, q))
		for _, c := range page {
			if seen[c.ID] {
				t.Fatalf("paging returned %s twice (after %s)", c.Name, q.Page.After)
			}
			seen[c.ID] = true
		}
		out = append(out, page...)
		if !r.HasNext || len(page) == 0 {
			return out
		}
		q.Page.After = page[len(page)-1].ID
	}
}

func TestSearchCases(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "Search", Key: "S", FieldSchemas: []docket.FieldSchema{
			{Key: "amount", Type: docket.FieldFloat}, {Key: "count", Type: docket.FieldInteger},
			{Key: "who", Type: docket.FieldString}, {Key: "flag", Type: docket.FieldBoolean},
			{Key: "misc", Type: docket.FieldJSON}, {Key: "day", Type: docket.FieldDate}}})
		other := mkTemplate(t, s, &docket.CaseTemplate{Name: "Other", Key: "O"})
		alice := mkUser(t, s, "alice@example.com")
		// S-1 .. S-5, one a minute from epoch+1m.
		specs := []struct {
			fields map[string]any
			tags   []string
			status string
		}{
			{map[string]any{"amount": 10.0, "count": 1.0, "who": "alice", "flag": true, "misc": 7.0, "day": "2024-01-31"}, []string{"vip"}, "Open"},
			{map[string]any{"amount": 20.5, "count": 2.0, "who": "bob", "flag": false, "misc": "9"}, []string{"vip", "risk"}, "Pending"},
			{map[string]any{"amount": 5.0, "count": 3.0, "who": "carol", "misc": nil, "day": "2024-02-01"}, nil, "Approved"},
			{map[string]any{"who": "10", "misc": true}, []string{"Vip"}, "Open"},
			{map[string]any{}, nil, "Declined"},
		}
		cust1, cust2 := mkAccount(t, s, "cust-1"), mkAccount(t, s, "cust-2")
		objects := [][]string{{cust1.ID}, nil, {cust1.ID, cust2.ID}, nil, nil}
		var cs []*docket.Case
		for i, sp := range specs {
			clock.Add(time.Minute)
			c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: sp.fields, Tags: sp.tags, ObjectIDs: objects[i]})
			if sp.status != "Open" {
				c = caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, sp.status))
			}
			cs = append(cs, c)
		}
		caseOK(t)(s.AssignCase(ctx, apiActor, cs[0].ID, alice.Email))
		clock.Add(time.Minute)
		o := mkCase(t, s, docket.NewCase{TemplateID: other.ID}) // O-1, Open
		at := func(i int) string { return cs[i].CreatedAt.Format(docket.TimeFormat) }
		tests := []struct {
			q    string
			want string // case names, space separated, in any order
		}{
			{`{"attribute":"status","operator":"eq","value":"Open"}`, "S-1 S-4 O-1"},
			{`{"attribute":"status","operator":"ne","value":"Open"}`, "S-2 S-3 S-5"},
			{`{"attribute":"status","operator":"in","value":["Pending","Approved","Nope"]}`, "S-2 S-3"},
			{`{"attribute":"resolution","operator":"eq","value":null}`, "S-1 S-2 S-4 O-1"},
			{`{"attribute":"resolution","operator":"ne","value":null}`, "S-3 S-5"},
			{`{"attribute":"resolution","operator":"ne","value":"Approved"}`, "S-1 S-2 S-4 S-5 O-1"},
			{`{"attribute":"name","operator":"eq","value":"S-2"}`, "S-2"},
			{`{"attribute":"name","operator":"eq","value":"s-2"}`, "S-2"},
			{`{"attribute":"name","operator":"in","value":["s-2","S-3","X-1"]}`, "S-2 S-3"},
			{`{"attribute":"name","operator":"ne","value":"s-2"}`, "S-1 S-3 S-4 S-5 O-1"},
			{`{"attribute":"reference-id","operator":"eq","value":"cust-1"}`, "S-1 S-3"},
			{`{"attribute":"reference-id","operator":"in","value":["cust-2","nobody"]}`, "S-3"},
			{`{"attribute":"reference-id","operator":"ne","value":"cust-1"}`, "S-2 S-4 S-5 O-1"},
			{`{"attribute":"case-template-id","operator":"eq","value":"` + other.ID + `"}`, "O-1"},
			{`{"attribute":"assignee-id","operator":"eq","value":"` + alice.ID + `"}`, "S-1"},
			{`{"attribute":"assignee-id","operator":"eq","value":null}`, "S-2 S-3 S-4 S-5 O-1"},
			{`{"attribute":"created-at","operator":"gte","value":"` + at(2) + `"}`, "S-3 S-4 S-5 O-1"},
			{`{"attribute":"created-at","operator":"gt","value":"` + at(2) + `"}`, "S-4 S-5 O-1"},
			{`{"attribute":"created-at","operator":"lt","value":"` + at(1) + `"}`, "S-1"},
			{`{"attribute":"created-at","operator":"lte","value":"` + at(1) + `"}`, "S-1 S-2"},
			{`{"attribute":"created-at","operator":"eq","value":"` + at(3) + `"}`, "S-4"},
			{`{"attribute":"created-at","operator":"in","value":["` + at(0) + `","` + at(4) + `"]}`, "S-1 S-5"},
			{`{"attribute":"created-at","operator":"lte","value":"now"}`, "S-1 S-2 S-3 S-4 S-5 O-1"},
			{`{"attribute":"resolved-at","operator":"ne","value":null}`, "S-3 S-5"},
			{`{"attribute":"sla-expires-at","operator":"eq","value":null}`, "S-1 S-2 S-3 S-4 S-5 O-1"},
			{`{"attribute":"tag","operator":"eq","value":"vip"}`, "S-1 S-2"},
			{`{"attribute":"tag","operator":"ne","value":"vip"}`, "S-3 S-4 S-5 O-1"},
			{`{"attribute":"tag","operator":"in","value":["risk","Vip"]}`, "S-2 S-4"},
			{`{"attribute":"fields.amount","operator":"eq","value":20.5}`, "S-2"},
			{`{"attribute":"fields.amount","operator":"gt","value":10}`, "S-2"},
			{`{"attribute":"fields.amount","operator":"gte","value":10}`, "S-1 S-2"},
			{`{"attribute":"fields.amount","operator":"lt","value":10}`, "S-3"},
			{`{"attribute":"fields.amount","operator":"lte","value":5}`, "S-3"},
			{`{"attribute":"fields.amount","operator":"ne","value":10}`, "S-2 S-3 S-4 S-5 O-1"},
			{`{"attribute":"fields.amount","operator":"in","value":[5,10,11]}`, "S-1 S-3"},
			{`{"attribute":"fields.count","operator":"gt","value":1.5}`, "S-2 S-3"},
			{`{"attribute":"fields.count","operator":"eq","value":2}`, "S-2"},
			{`{"attribute":"fields.who","operator":"eq","value":"bob"}`, "S-2"},
			{`{"attribute":"fields.who","operator":"gt","value":"bob"}`, "S-3"},
			{`{"attribute":"fields.who","operator":"gte","value":"bob"}`, "S-2 S-3"},
			{`{"attribute":"fields.who","operator":"lt","value":"b"}`, "S-1 S-4"},
			{`{"attribute":"fields.who","operator":"in","value":["alice","carol","dave"]}`, "S-1 S-3"},
			{`{"attribute":"fields.day","operator":"lt","value":"2024-02-01"}`, "S-1"},
			{`{"attribute":"fields.flag","operator":"eq","value":true}`, "S-1"},
			{`{"attribute":"fields.flag","operator":"eq","value":false}`, "S-2"},
			{`{"attribute":"fields.flag","operator":"ne","value":true}`, "S-2 S-3 S-4 S-5 O-1"},
			{`{"attribute":"fields.flag","operator":"gt","value":false}`, "S-1"},
			{`{"attribute":"fields.flag","operator":"lt","value":true}`, "S-2"},
			{`{"attribute":"fields.flag","operator":"eq","value":null}`, "S-3 S-4 S-5 O-1"},
			{`{"attribute":"fields.flag","operator":"ne","value":null}`, "S-1 S-2"},
			{`{"attribute":"fields.misc","operator":"eq","value":null}`, "S-3 S-5 O-1"},
			{`{"attribute":"fields.nothing","operator":"eq","value":null}`, "S-1 S-2 S-3 S-4 S-5 O-1"},
			// Comparisons are type-safe: numbers never match strings or booleans, nor the reverse.
			{`{"attribute":"fields.misc","operator":"gt","value":5}`, "S-1"},
			{`{"attribute":"fields.misc","operator":"eq","value":"9"}`, "S-2"},
			{`{"attribute":"fields.misc","operator":"eq","value":9}`, ""},
			{`{"attribute":"fields.misc","operator":"lt","value":"z"}`, "S-2"},
			{`{"attribute":"fields.misc","operator":"eq","value":true}`, "S-4"},
			{`{"attribute":"fields.misc","operator":"gt","value":0}`, "S-1"},
			{`{"attribute":"fields.who","operator":"gt","value":5}`, ""},
			{`{"attribute":"fields.who","operator":"eq","value":10}`, ""},
			{`{"attribute":"fields.amount","operator":"gt","value":"5"}`, ""},
			{`{"attribute":"fields.amount","operator":"eq","value":true}`, ""},
			// Ranges of one field read as one range of the index.
			{`{"and":[{"attribute":"fields.amount","operator":"gte","value":5},{"attribute":"fields.amount","operator":"lt","value":20.5}]}`, "S-1 S-3"},
			{`{"and":[{"attribute":"fields.amount","operator":"gt","value":5},{"attribute":"fields.who","operator":"gt","value":"a"},
				{"attribute":"fields.amount","operator":"lte","value":20.5},{"attribute":"fields.who","operator":"lt","value":"c"}]}`, "S-1 S-2"},
			{`{"and":[{"attribute":"fields.amount","operator":"gt","value":5},{"attribute":"fields.amount","operator":"lt","value":"z"}]}`, ""},
			// and, or, not, nested.
			{`{"and":[{"attribute":"status","operator":"eq","value":"Open"},{"attribute":"tag","operator":"eq","value":"vip"}]}`, "S-1"},
			{`{"or":[{"attribute":"fields.amount","operator":"gt","value":15},{"attribute":"fields.who","operator":"eq","value":"carol"}]}`, "S-2 S-3"},
			{`{"not":{"attribute":"fields.amount","operator":"gt","value":7}}`, "S-3 S-4 S-5 O-1"},
			{`{"not":{"attribute":"resolution","operator":"eq","value":"Approved"}}`, "S-1 S-2 S-4 S-5 O-1"},
			{`{"not":{"or":[{"attribute":"status","operator":"eq","value":"Open"},{"attribute":"status","operator":"eq","value":"Pending"}]}}`, "S-3 S-5"},
			{`{"not":{"not":{"attribute":"tag","operator":"eq","value":"risk"}}}`, "S-2"},
			{`{"and":[{"or":[{"attribute":"tag","operator":"eq","value":"vip"},{"attribute":"fields.amount","operator":"lt","value":6}]},
				{"not":{"attribute":"status","operator":"eq","value":"Pending"}}]}`, "S-1 S-3"},
			{`{"or":[{"attribute":"fields.misc","operator":"in","value":[7,"9"]},{"and":[{"attribute":"status","operator":"eq","value":"Declined"},
				{"attribute":"fields.who","operator":"eq","value":null}]}]}`, "S-1 S-2 S-5"},
		}
		// Every predicate gives the same answer read from the cases' JSON and, once the
		// fields are searchable and backfilled, from the index.
		for _, phase := range []string{"unindexed", "indexed"} {
			if phase == "indexed" {
				markSearchable(t, s, tm, "amount", "count", "who", "flag", "day")
			}
			unindexed := must[[]string](t)(s.UnindexedSearchAttributes(ctx, query(t, clock.Now(),
				`{"or":[{"attribute":"fields.amount","operator":"eq","value":1},{"attribute":"fields.misc","operator":"eq","value":1}]}`)))
			slices.Sort(unindexed)
			wantStrings(t, phase+": not indexed", unindexed, map[string][]string{
				"unindexed": {"fields.amount", "fields.misc"}, "indexed": {"fields.misc"}}[phase])
			for _, tc := range tests {
				t.Run(phase+" "+tc.q, func(t *testing.T) {
					got := search(t, s, docket.SearchQuery{Where: query(t, clock.Now(), tc.q), Sort: docket.SearchSort{Desc: true}, Page: docket.Page{Size: 2}})
					want := strings.Fields(tc.want)
					slices.Sort(want)
					wantStrings(t, "matches", sortedNames(got), want)
				})
			}
		}
		_ = o
	})
}

// markSearchable marks a template's fields searchable and runs the backfill to its end,
// as housekeeping would.
func markSearchable(t testing.TB, s *store.Store, tm *docket.CaseTemplate, keys ...string) {
	t.Helper()
	fields := slices.Clone(tm.FieldSchemas)
	for i := range fields {
		fields[i].Searchable = slices.Contains(keys, fields[i].Key)
	}
	must[*docket.CaseTemplate](t)(s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{FieldSchemas: &fields}))
	for {
		n, err := s.BackfillSearchFields(ctx, 2)
		noErr(t, err)
		if n == 0 {
			return
		}
	}
}

func TestSearchSortAndCursor(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "Sort", Key: "K"})
		// Cases 1-3 share one instant, 4-6 another, 7 a later one: ties test the id tie-break.
		for i := 1; i <= 7; i++ {
			if i == 4 || i == 7 {
				clock.Add(time.Second)
			}
			mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		}
		all := allCases(t, s, docket.CaseFilter{})
		order := func(byTime, desc bool) []string {
			cases := slices.Clone(all)
			slices.SortFunc(cases, func(a, b *docket.Case) int {
				c := 0
				if byTime {
					c = a.CreatedAt.Compare(b.CreatedAt)
				}
				if c == 0 {
					c = strings.Compare(a.ID, b.ID)
				}
				if desc {
					c = -c
				}
				return c
			})
			return caseNames(cases)
		}
		for _, tc := range []struct {
			name string
			sort docket.SearchSort
			want []string
		}{
			{"created-at ascending", docket.SearchSort{Attribute: "created-at"}, order(true, false)},
			{"created-at descending", docket.SearchSort{Attribute: "created-at", Desc: true}, order(true, true)},
			{"id ascending", docket.SearchSort{}, order(false, false)},
			{"id descending", docket.SearchSort{Desc: true}, order(false, true)},
			{"updated-at descending", docket.SearchSort{Attribute: "updated-at", Desc: true}, order(true, true)},
		} {
			for _, size := range []int{1, 2, 3, 10} {
				t.Run(fmt.Sprintf("%s/size %d", tc.name, size), func(t *testing.T) {
					got := search(t, s, docket.SearchQuery{Sort: tc.sort, Page: docket.Page{Size: size}})
					wantStrings(t, "order", caseNames(got), tc.want)
				})
			}
		}
		wantStrings(t, "all numbered", sortedNames(all), []string{"K-1", "K-2", "K-3", "K-4", "K-5", "K-6", "K-7"})

		// HasNext and HasPrev.
		q := docket.SearchQuery{Sort: docket.SearchSort{Attribute: "created-at", Desc: true}, Page: docket.Page{Size: 3}}
		p1, r1 := must2[*docket.Case](t)(s.SearchCases(ctx, q))
		q.Page.After = p1[2].ID
		p2, r2 := must2[*docket.Case](t)(s.SearchCases(ctx, q))
		q.Page.After = p2[2].ID
		p3, r3 := must2[*docket.Case](t)(s.SearchCases(ctx, q))
		if len(p1) != 3 || len(p2) != 3 || len(p3) != 1 || !r1.HasNext || r1.HasPrev || !r2.HasNext || !r2.HasPrev || r3.HasNext || !r3.HasPrev {
			t.Fatalf("pages %d %d %d, results %+v %+v %+v", len(p1), len(p2), len(p3), r1, r2, r3)
		}
		// A cursor that names no case is refused.
		q.Page.After = docket.NewID(docket.PrefixCase)
		_, _, err := s.SearchCases(ctx, q)
		wantErr(t, err, docket.EBadRequest, "page.after")
	})
}

// A cursor must narrow the whole query, not only the last branch of a top-level "or".
func TestSearchCursorWithOr(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "Or", Key: "OR", FieldSchemas: []docket.FieldSchema{{Key: "n", Type: docket.FieldInteger}}})
		for i := range 6 {
			clock.Add(time.Second)
			mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"n": float64(i)}})
		}
		for _, js := range []string{
			`{"or":[{"attribute":"status","operator":"eq","value":"Open"},{"attribute":"status","operator":"eq","value":"Pending"}]}`,
			`{"attribute":"fields.n","operator":"in","value":[0,1,2,3,4,5]}`,
		} {
			for _, sort := range []docket.SearchSort{{Desc: true}, {}, {Attribute: "created-at"}, {Attribute: "created-at", Desc: true}} {
				got := search(t, s, docket.SearchQuery{Where: query(t, clock.Now(), js), Sort: sort, Page: docket.Page{Size: 2}})
				if len(got) != 6 || len(sortedNames(got)) != len(slices.Compact(sortedNames(got))) {
					t.Fatalf("%s sorted %+v: paging returned %v", js, sort, caseNames(got))
				}
			}
		}
	})
}

// A search sees the write that came just before it.
func TestSearchReadAfterWrite(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "RAW", Key: "RAW", FieldSchemas: []docket.FieldSchema{{Key: "amount", Type: docket.FieldFloat}}})
		alice := mkUser(t, s, "alice@example.com")
		find := func(js string) []string {
			return caseNames(search(t, s, docket.SearchQuery{Where: query(t, time.Now(), js), Page: docket.Page{Size: 100}}))
		}
		for i := range 20 {
			c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
			wantStrings(t, "created", find(`{"attribute":"name","operator":"eq","value":"`+c.Name+`"}`), []string{c.Name})
			amount := fmt.Sprintf(`{"attribute":"fields.amount","operator":"eq","value":%d}`, 1000+i)
			caseOK(t)(s.UpdateCase(ctx, apiActor, c.ID, docket.CaseUpdate{Fields: map[string]any{"amount": float64(1000 + i)}}))
			wantStrings(t, "updated fields", find(amount), []string{c.Name})
			caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, "Approved"))
			wantStrings(t, "status", find(`{"and":[{"attribute":"status","operator":"eq","value":"Approved"},`+amount+`]}`), []string{c.Name})
			caseOK(t)(s.ChangeCaseTags(ctx, apiActor, c.ID, "add", []string{"t" + c.Name}))
			wantStrings(t, "tag", find(`{"attribute":"tag","operator":"eq","value":"t`+c.Name+`"}`), []string{c.Name})
			caseOK(t)(s.AssignCase(ctx, apiActor, c.ID, alice.Email))
			if got := find(`{"attribute":"assignee-id","operator":"eq","value":"` + alice.ID + `"}`); len(got) != i+1 {
				t.Fatalf("assigned: %d found, want %d", len(got), i+1)
			}
		}
	})
}
