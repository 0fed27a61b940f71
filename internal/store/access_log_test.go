package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// requestIDs returns n request ids made at the times at(0) ... at(n-1), as the access
// log makes them (an entry's id carries its time), in the order they sort.
func requestIDs(n int, at func(int) time.Time) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = docket.FirstIDAt(docket.PrefixRequest, at(i))
	}
	if !slices.IsSorted(ids) {
		panic("request ids out of order")
	}
	return ids
}

// accessLogIDs lists every entry the filter finds, following the pages.
func accessLogIDs(t *testing.T, s *store.Store, f docket.AccessLogFilter) []string {
	t.Helper()
	var ids []string
	f.Page.Size = 2
	for {
		list, r, err := s.ListAccessLog(ctx, f)
		noErr(t, err)
		for _, e := range list {
			ids = append(ids, e.ID)
		}
		if !r.HasNext {
			return ids
		}
		f.Page.After = list[len(list)-1].ID
	}
}

func TestAccessLogList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := must[*store.Store](t)(store.Open(ctx, dbURL))
		defer s.Close()
		at := func(i int) time.Time { return epoch.Add(time.Duration(i) * time.Minute) }
		ids := requestIDs(6, at)
		key := &docket.Actor{Type: docket.ActorAPIKey, ID: "api_key1"}
		userKey := &docket.Actor{Type: docket.ActorAPIKey, ID: "api_key2"}
		ada := &docket.Actor{Type: docket.ActorUser, ID: "user_ada"}
		api, dash := docket.AccessSourceAPI, docket.AccessSourceDashboard
		entries := []*docket.AccessLogEntry{
			{ID: ids[0], Source: api, Actor: key, Method: "POST", Route: "/api/v1/cases", Status: 201, CreatedAt: at(0)},
			{ID: ids[1], Source: api, Actor: key, Method: "GET", Route: "/api/v1/cases/{id}", ObjectIDs: []string{"case_a"}, Status: 200, CreatedAt: at(1)},
			{ID: ids[2], Source: api, Actor: userKey, UserID: "user_ada", Method: "POST", Route: "/api/v1/cases/{id}/actions/{workflow}",
				ObjectIDs: []string{"case_a", "wfl_x"}, Status: 201, CreatedAt: at(2)},
			{ID: ids[3], Source: api, Method: "GET", Route: "/api/v1/cases", Status: 401, CreatedAt: at(3)},
			{ID: ids[4], Source: dash, Actor: ada, UserID: "user_ada", Method: "GET", Route: "/cases/{id}", ObjectIDs: []string{"case_a"},
				Status: 200, CreatedAt: at(4), ClientAddr: "203.0.113.7", Duration: 1500 * time.Microsecond},
			{ID: ids[5], Source: dash, Actor: ada, UserID: "user_ada", Method: "POST", Route: "/cases/{id}/status", ObjectIDs: []string{"case_b"},
				Status: 303, CreatedAt: at(5)},
		}
		noErr(t, s.InsertAccessLog(ctx, entries))
		// A batch written twice (a retried write) is kept once.
		noErr(t, s.InsertAccessLog(ctx, entries[4:]))

		start, end := at(1), at(3)
		for _, tc := range []struct {
			name string
			f    docket.AccessLogFilter
			want []string
		}{
			{"api, newest first", docket.AccessLogFilter{Source: api}, []string{ids[3], ids[2], ids[1], ids[0]}},
			{"dashboard", docket.AccessLogFilter{Source: dash}, []string{ids[5], ids[4]}},
			{"a key", docket.AccessLogFilter{Source: api, ActorID: "api_key1"}, []string{ids[1], ids[0]}},
			{"a person's keys", docket.AccessLogFilter{Source: api, ActorID: "user_ada"}, []string{ids[2]}},
			{"a person in the dashboard", docket.AccessLogFilter{Source: dash, ActorID: "user_ada"}, []string{ids[5], ids[4]}},
			{"who opened case_a", docket.AccessLogFilter{Source: dash, ObjectID: "case_a"}, []string{ids[4]}},
			{"case_a through the API", docket.AccessLogFilter{Source: api, ObjectID: "case_a"}, []string{ids[2], ids[1]}},
			{"a workflow", docket.AccessLogFilter{Source: api, ObjectID: "wfl_x"}, []string{ids[2]}},
			{"time range", docket.AccessLogFilter{Source: api, CreatedAtStart: &start, CreatedAtEnd: &end}, []string{ids[2], ids[1]}},
			{"method", docket.AccessLogFilter{Source: api, Method: "POST"}, []string{ids[2], ids[0]}},
			{"route", docket.AccessLogFilter{Source: api, Route: "/api/v1/cases"}, []string{ids[3], ids[0]}},
			{"nothing", docket.AccessLogFilter{Source: api, ObjectID: "case_b"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantStrings(t, tc.name, accessLogIDs(t, s, tc.f), tc.want)
			})
		}

		// An entry reads back as written.
		list, _, err := s.ListAccessLog(ctx, docket.AccessLogFilter{Source: dash, Page: docket.Page{Size: 1, After: ids[5]}})
		noErr(t, err)
		wantJSON(t, "entry", list[0], jsonText(t, entries[4]))
		// Paging backwards.
		list, r, err := s.ListAccessLog(ctx, docket.AccessLogFilter{Source: api, Page: docket.Page{Size: 2, Before: ids[0]}})
		noErr(t, err)
		if len(list) != 2 || list[0].ID != ids[2] || list[1].ID != ids[1] || !r.HasPrev {
			t.Fatalf("page before %s: %v %+v", ids[0], list, r)
		}
	})
}

func TestAccessLogDeleteBefore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := must[*store.Store](t)(store.Open(ctx, dbURL))
		defer s.Close()
		at := func(i int) time.Time { return epoch.Add(time.Duration(i) * time.Hour) } // 12 old (before epoch+12h), 5 recent
		ids := requestIDs(17, at)
		var entries []*docket.AccessLogEntry
		for i, id := range ids {
			objects := []string{"case_a"}
			if i%2 == 0 {
				objects = append(objects, "wfl_x") // an entry naming two objects loses both
			}
			entries = append(entries, &docket.AccessLogEntry{ID: id, Source: docket.AccessSourceAPI, Method: "GET",
				Route: "/api/v1/cases/{id}", ObjectIDs: objects, Status: 200, CreatedAt: at(i)})
		}
		noErr(t, s.InsertAccessLog(ctx, entries))
		cutoff := epoch.Add(12 * time.Hour)
		var got []int
		for {
			n, err := s.DeleteAccessLogBefore(ctx, cutoff, 5)
			noErr(t, err)
			got = append(got, n)
			if n < 5 {
				break
			}
		}
		if !slices.Equal(got, []int{5, 5, 2}) {
			t.Fatalf("batches deleted %v, want [5 5 2]", got)
		}
		wantStrings(t, "left", accessLogIDs(t, s, docket.AccessLogFilter{Source: docket.AccessSourceAPI}),
			[]string{ids[16], ids[15], ids[14], ids[13], ids[12]})
		// The deleted entries' objects went with them.
		var objects int
		noErr(t, storetest.RawDB(t, dbURL).QueryRow(`SELECT count(*) FROM access_log_objects`).Scan(&objects))
		if objects != 5+3 { // ids 12-16: five case_a rows, and wfl_x of 12, 14 and 16
			t.Fatalf("%d access_log_objects rows left, want 8", objects)
		}
	})
}
