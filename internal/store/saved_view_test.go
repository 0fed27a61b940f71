package store_test

import (
	"sort"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestSavedViews(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		ada, bob := mkUser(t, s, "ada@example.com"), mkUser(t, s, "bob@example.com")
		v := &docket.SavedView{UserID: ada.ID, Name: "  Mine  ", Query: "sort=sla-expires-at&filter[assignee-id]=me&filter[status]=Open"}
		noErr(t, s.CreateSavedView(ctx, v))
		if v.Name != "Mine" || v.Query != "filter[status]=Open&filter[assignee-id]=me&sort=sla-expires-at" || !docket.ValidID(docket.PrefixSavedView, v.ID) {
			t.Fatalf("created %+v", v)
		}
		other := &docket.SavedView{UserID: bob.ID, Name: "Bob's", Query: ""}
		noErr(t, s.CreateSavedView(ctx, other))

		for _, tc := range []struct {
			name  string
			v     docket.SavedView
			field string
		}{
			{"no name", docket.SavedView{UserID: ada.ID, Name: " "}, "name"},
			{"unknown user", docket.SavedView{UserID: docket.NewID(docket.PrefixUser), Name: "x"}, "user-id"},
			{"unknown parameter", docket.SavedView{UserID: ada.ID, Name: "x", Query: "page[size]=3"}, "query"},
			{"bad filter", docket.SavedView{UserID: ada.ID, Name: "x", Query: "filter[sla]=late"}, "query"},
			{"repeated parameter", docket.SavedView{UserID: ada.ID, Name: "x", Query: "filter[tag]=a&filter[tag]=b"}, "query"},
		} {
			v := tc.v
			wantErr(t, s.CreateSavedView(ctx, &v), docket.EInvalid, tc.field)
		}

		// Each owner reaches only their own views; owner "" reaches all.
		if _, err := s.FindSavedView(ctx, bob.ID, v.ID); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("bob finds ada's view: %v", err)
		}
		must[*docket.SavedView](t)(s.FindSavedView(ctx, "", v.ID))
		mine, _ := must2[*docket.SavedView](t)(s.ListSavedViews(ctx, docket.SavedViewFilter{UserID: ada.ID}))
		all, _ := must2[*docket.SavedView](t)(s.ListSavedViews(ctx, docket.SavedViewFilter{}))
		if len(mine) != 1 || mine[0].ID != v.ID || len(all) != 2 {
			t.Fatalf("ada lists %d, everyone %d", len(mine), len(all))
		}
		name, query := "Renamed", "filter[tag]=pep"
		if _, err := s.UpdateSavedView(ctx, bob.ID, v.ID, docket.SavedViewUpdate{Name: &name}); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("bob renames ada's view: %v", err)
		}
		got := must[*docket.SavedView](t)(s.UpdateSavedView(ctx, ada.ID, v.ID, docket.SavedViewUpdate{Name: &name, Query: &query}))
		if got.Name != name || got.Query != query {
			t.Fatalf("updated %+v", got)
		}
		bad := "sort=oldest"
		_, err := s.UpdateSavedView(ctx, ada.ID, v.ID, docket.SavedViewUpdate{Query: &bad})
		wantErr(t, err, docket.EInvalid, "query")
		if err := s.DeleteSavedView(ctx, bob.ID, v.ID); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("bob deletes ada's view: %v", err)
		}
		noErr(t, s.DeleteSavedView(ctx, ada.ID, v.ID))
		if _, err := s.FindSavedView(ctx, ada.ID, v.ID); docket.ErrorCode(err) != docket.ENotFound {
			t.Fatalf("deleted view found: %v", err)
		}

		// A user keeps at most MaxSavedViews.
		for i := range docket.MaxSavedViews - 1 {
			noErr(t, s.CreateSavedView(ctx, &docket.SavedView{UserID: bob.ID, Name: "v", Query: "filter[tag]=t" + string(rune('a'+i%26))}))
		}
		wantErr(t, s.CreateSavedView(ctx, &docket.SavedView{UserID: bob.ID, Name: "one too many"}), docket.EInvalid, "name")
	})
}

// TestSavedViewsRedacted checks that redacting an account deletes the saved views whose
// query names it or its reference id, and only those.
func TestSavedViewsRedacted(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		ada := mkUser(t, s, "ada@example.com")
		acct := mkAccount(t, s, "jane doe/42")
		mkAccount(t, s, "someone-else")
		views := map[string]string{
			"by reference":  "filter[reference-id]=jane+doe%2F42",
			"search box":    "filter[q]=jane doe/42&sort=sla-expires-at",
			"by account id": "filter[account-id]=" + acct.ID,
			"another":       "filter[reference-id]=someone-else",
			"no person":     "filter[status]=Open",
		}
		for name, q := range views {
			noErr(t, s.CreateSavedView(ctx, &docket.SavedView{UserID: ada.ID, Name: name, Query: q}))
		}
		must[*docket.Account](t)(s.RedactAccount(ctx, apiActor, acct.ID))
		left, _ := must2[*docket.SavedView](t)(s.ListSavedViews(ctx, docket.SavedViewFilter{UserID: ada.ID}))
		var names []string
		for _, v := range left {
			names = append(names, v.Name)
		}
		wantStrings(t, "views left", sortedStrings(names), []string{"another", "no person"})
	})
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
