package docket_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

func TestParseCaseFilter(t *testing.T) {
	t.Parallel()
	user, tmpl := docket.NewID(docket.PrefixUser), docket.NewID(docket.PrefixTemplate)
	day := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	for _, tc := range []struct {
		name  string
		query string
		me    string
		want  docket.CaseFilter
		param string // the parameter an error names
	}{
		{name: "nothing", query: ""},
		{name: "status and template", query: "filter[status]=Open&filter[case-template-id]=" + tmpl,
			want: docket.CaseFilter{Status: "Open", TemplateID: tmpl}},
		{name: "a user", query: "filter[assignee-id]=" + user, want: docket.CaseFilter{AssigneeID: user}},
		{name: "me", query: "filter[assignee-id]=me", me: user, want: docket.CaseFilter{AssigneeID: user}},
		{name: "me without a user", query: "filter[assignee-id]=me", param: "filter[assignee-id]"},
		{name: "unassigned", query: "filter[assignee-id]=unassigned", want: docket.CaseFilter{Unassigned: true}},
		{name: "assignee of another kind", query: "filter[assignee-id]=" + tmpl, param: "filter[assignee-id]"},
		{name: "sla", query: "filter[sla]=breached", want: docket.CaseFilter{SLA: "breached"}},
		{name: "bad sla", query: "filter[sla]=late", param: "filter[sla]"},
		{name: "dates are whole UTC days", query: "filter[created-at-start]=2026-01-02&filter[created-at-end]=2026-01-03",
			want: docket.CaseFilter{CreatedAtStart: day("2026-01-02T00:00:00Z"), CreatedAtEnd: day("2026-01-03T23:59:59.999Z")}},
		{name: "times", query: "filter[created-at-start]=2026-01-02T10:00:00%2B02:00",
			want: docket.CaseFilter{CreatedAtStart: day("2026-01-02T10:00:00+02:00")}},
		{name: "bad date", query: "filter[created-at-end]=2026-02-30", param: "filter[created-at-end]"},
		{name: "search box, trimmed", query: "filter[q]=+KYC-12+", want: docket.CaseFilter{Query: "KYC-12"}},
		{name: "search box too long", query: "filter[q]=" + string(make([]byte, 201)), param: "filter[q]"},
		{name: "sort", query: "sort=sla-expires-at", want: docket.CaseFilter{Sort: docket.CaseSortSLA}},
		{name: "bad sort", query: "sort=oldest", param: "sort"},
		{name: "bad queue id", query: "filter[case-queue-id]=q1", param: "filter[case-queue-id]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := docket.ParseCaseFilter(q.Get, tc.me)
			if tc.param != "" {
				var e *docket.Error
				if !errors.As(err, &e) || e.Code != docket.EBadRequest || e.Parameter != tc.param {
					t.Fatalf("want a bad request about %s, got %v", tc.param, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !filtersEqual(got, tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func filtersEqual(a, b docket.CaseFilter) bool {
	sameTime := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	if !sameTime(a.CreatedAtStart, b.CreatedAtStart) || !sameTime(a.CreatedAtEnd, b.CreatedAtEnd) {
		return false
	}
	a.CreatedAtStart, a.CreatedAtEnd, b.CreatedAtStart, b.CreatedAtEnd = nil, nil, nil, nil
	a.Visibility, b.Visibility = docket.Visibility{}, docket.Visibility{}
	return a.Status == b.Status && a.TemplateID == b.TemplateID && a.AssigneeID == b.AssigneeID && a.Unassigned == b.Unassigned &&
		a.SLA == b.SLA && a.Query == b.Query && a.Sort == b.Sort && a.QueueID == b.QueueID && a.Tag == b.Tag
}

func TestCanonicalCaseListQuery(t *testing.T) {
	t.Parallel()
	q := url.Values{"sort": {"sla-expires-at"}, "filter[q]": {" kyc 1 "}, "filter[tag]": {""}, "page[after]": {"case_x"},
		"filter[status]": {"In review"}, "other": {"x"}}
	if got, want := docket.CanonicalCaseListQuery(q), "filter[q]=kyc+1&filter[status]=In+review&sort=sla-expires-at"; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	for _, tc := range []struct{ raw, want, err string }{
		{"?sort=sla-expires-at&filter[assignee-id]=me", "filter[assignee-id]=me&sort=sla-expires-at", ""},
		{"filter%5Bstatus%5D=Open", "filter[status]=Open", ""},
		{"", "", ""},
		{"page[size]=3", "", "query"},
		{"filter[assignee-id]=someone", "", "query"},
		{"filter[tag]=a&filter[tag]=b", "", "query"},
		{"%zz", "", "query"},
	} {
		got, err := docket.NormalizeCaseListQuery(tc.raw, "query")
		if field, _ := docket.ErrorField(err); field != tc.err || got != tc.want {
			t.Errorf("NormalizeCaseListQuery(%q) = %q, %v; want %q, error at %q", tc.raw, got, err, tc.want, tc.err)
		}
	}
}

func TestBulkActionValidate(t *testing.T) {
	t.Parallel()
	id := docket.NewID(docket.PrefixCase)
	many := make([]string, docket.MaxBulkCases+1)
	for i := range many {
		many[i] = docket.NewID(docket.PrefixCase)
	}
	for _, tc := range []struct {
		name  string
		b     docket.BulkAction
		field string
	}{
		{"assign", docket.BulkAction{Action: "assign", CaseIDs: []string{id, id}}, ""},
		{"unknown action", docket.BulkAction{Action: "close", CaseIDs: []string{id}}, "action"},
		{"nothing selected", docket.BulkAction{Action: "assign"}, "case-ids"},
		{"too many", docket.BulkAction{Action: "assign", CaseIDs: many}, "case-ids"},
		{"not a case id", docket.BulkAction{Action: "assign", CaseIDs: []string{id, "user_x"}}, "case-ids[1]"},
		{"status missing", docket.BulkAction{Action: "set-status", CaseIDs: []string{id}, Status: " "}, "status"},
		{"tag missing", docket.BulkAction{Action: "add-tag", CaseIDs: []string{id}}, "tag-name"},
		{"tag", docket.BulkAction{Action: "add-tag", CaseIDs: []string{id}, Tag: " pep "}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b
			err := b.Validate()
			if field, _ := docket.ErrorField(err); field != tc.field || (tc.field == "") != (err == nil) {
				t.Fatalf("error %v, want one at %q", err, tc.field)
			}
			if err == nil && (len(b.CaseIDs) != 1 || b.Tag != "" && b.Tag != "pep") {
				t.Fatalf("normalized to %+v", b)
			}
		})
	}
}
