package jsonapi_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// kindDetail is a case detail holding one object of every stored kind.
func kindDetail() *docket.CaseDetail {
	c := &docket.Case{ID: docket.NewID(docket.PrefixCase), TemplateID: docket.NewID(docket.PrefixTemplate)}
	d := &docket.CaseDetail{Case: c,
		Accounts:     []*docket.Account{{ID: docket.NewID(docket.PrefixAccount)}},
		Inquiries:    []*docket.Inquiry{{ID: docket.NewID(docket.PrefixInquiry)}},
		Reports:      []*docket.Report{{ID: docket.NewID(docket.PrefixReport), Type: "report/watchlist"}},
		Transactions: []*docket.Transaction{{ID: docket.NewID(docket.PrefixTransaction)}},
	}
	c.ObjectIDs = []string{d.Accounts[0].ID, d.Inquiries[0].ID, d.Reports[0].ID, d.Transactions[0].ID}
	c.ReportTypes = map[string]string{d.Reports[0].ID: "report/watchlist"}
	return d
}

// TestCaseKindsComplete checks that the rendering of cases knows every kind of object a
// case can hold: a case lists each kind under its relationship, each stored kind can be
// included, and an event about an object of each stored kind renders it.
func TestCaseKindsComplete(t *testing.T) {
	d := kindDetail()
	rels := jsonapi.Case(d.Case)["relationships"].(jsonapi.Object)
	for _, k := range docket.ObjectKinds {
		data, ok := rels[k.Relation].(jsonapi.Object)["data"].([]any)
		if !ok {
			t.Errorf("case has no %s relationship: %v", k.Relation, rels)
			continue
		}
		if !k.Stored() {
			continue
		}
		if len(data) != 1 || docket.IDPrefix(data[0].(jsonapi.Object)["id"].(string)) != k.Prefix {
			t.Errorf("%s relationship: %v", k.Relation, data)
		}
		if !slices.Contains(jsonapi.CaseIncludeNames(), k.Relation) {
			t.Errorf("%s cannot be included", k.Relation)
			continue
		}
		include := map[string]bool{k.Relation: true}
		if o := jsonapi.CaseDetailOptions(include); o == (docket.CaseDetailOptions{}) {
			t.Errorf("including %s loads nothing", k.Relation)
		}
		inc := jsonapi.CaseIncluded([]*docket.CaseDetail{d}, include)
		if len(inc) != 1 || docket.IDPrefix(inc[0].(jsonapi.Object)["id"].(string)) != k.Prefix {
			t.Errorf("include=%s: %v", k.Relation, inc)
		}

		id := docket.NewID(k.Prefix)
		raw, _ := json.Marshal(map[string]any{"id": id})
		res, err := jsonapi.Event(&docket.Event{ID: docket.NewID(docket.PrefixEvent), ObjectType: k.Type, ObjectID: id, Object: raw})
		if err != nil {
			t.Fatal(err)
		}
		if got := res["attributes"].(jsonapi.Object)["payload"].(jsonapi.Object)["data"].(jsonapi.Object)["id"]; got != id {
			t.Errorf("event about a %s renders no %s resource: %v", k.Type, k.Type, res)
		}
	}
	for _, name := range jsonapi.CaseIncludeNames() {
		if o := jsonapi.CaseDetailOptions(map[string]bool{name: true}); o == (docket.CaseDetailOptions{}) {
			t.Errorf("including %s loads nothing", name)
		}
	}
}

// TestCaseIncluded checks that the included resources of several cases come by include,
// each once, in id order, whatever order the cases list them in.
func TestCaseIncluded(t *testing.T) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	acts := make([]*docket.Account, 3)
	for i := range acts {
		acts[i] = &docket.Account{ID: docket.NewID(docket.PrefixAccount), CreatedAt: now}
	}
	user := &docket.User{ID: docket.NewID(docket.PrefixUser)}
	tmpl := &docket.CaseTemplate{ID: docket.NewID(docket.PrefixTemplate)}
	details := []*docket.CaseDetail{
		{Case: &docket.Case{ID: "case_1"}, Template: tmpl, Accounts: []*docket.Account{acts[2], acts[0]}, Assignee: user},
		{Case: &docket.Case{ID: "case_2"}, Template: tmpl, Accounts: []*docket.Account{acts[1], acts[2]}},
	}
	tests := []struct {
		include []string
		want    []string
	}{
		{nil, []string{}},
		{[]string{"accounts"}, []string{acts[0].ID, acts[1].ID, acts[2].ID}},
		{[]string{"assignee", "accounts", "case-template"}, []string{tmpl.ID, acts[0].ID, acts[1].ID, acts[2].ID, user.ID}},
		{[]string{"case-comments", "inquiries"}, []string{}},
	}
	for _, tc := range tests {
		include := map[string]bool{}
		for _, n := range tc.include {
			include[n] = true
		}
		got := []string{}
		for _, res := range jsonapi.CaseIncluded(details, include) {
			got = append(got, res.(jsonapi.Object)["id"].(string))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("include %q: %q, want %q", tc.include, got, tc.want)
		}
	}
}
