package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestAccounts(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		a := &docket.Account{ReferenceID: ptr("cust-1"), Fields: map[string]any{"name": "Jane", "age": 41.0}, Tags: []string{"b", " a", "b"}}
		noErr(t, s.CreateAccount(ctx, apiActor, a))
		if !docket.ValidID(docket.PrefixAccount, a.ID) {
			t.Fatalf("id %q", a.ID)
		}
		got := must[*docket.Account](t)(s.FindAccount(ctx, a.ID))
		wantJSON(t, "account", got, jsonText(t, a))
		wantStrings(t, "tags", got.Tags, []string{"b", "a"})
		wantJSON(t, "fields", got.Fields, `{"name":"Jane","age":41}`)

		// Reference ids are unique; accounts without one are not limited.
		wantErr(t, s.CreateAccount(ctx, apiActor, &docket.Account{ReferenceID: ptr("cust-1")}), docket.EConflict, "reference-id")
		wantErr(t, s.CreateAccount(ctx, apiActor, &docket.Account{ReferenceID: ptr("  ")}), docket.EInvalid, "reference-id")
		wantErr(t, s.CreateAccount(ctx, apiActor, &docket.Account{ReferenceID: ptr(strings.Repeat("r", docket.MaxReferenceID+1))}), docket.EInvalid, "reference-id")
		wantErr(t, s.CreateAccount(ctx, apiActor, &docket.Account{Tags: []string{""}}), docket.EInvalid, "tags[0]")
		anon1, anon2 := &docket.Account{}, &docket.Account{}
		noErr(t, s.CreateAccount(ctx, apiActor, anon1))
		noErr(t, s.CreateAccount(ctx, apiActor, anon2))
		other := mkAccount(t, s, "cust-2")

		list, _ := must2[*docket.Account](t)(s.ListAccounts(ctx, docket.AccountFilter{ReferenceID: "cust-1"}))
		if len(list) != 1 || list[0].ID != a.ID {
			t.Fatalf("filter by reference id: %+v", list)
		}
		if list, _ := must2[*docket.Account](t)(s.ListAccounts(ctx, docket.AccountFilter{})); len(list) != 4 {
			t.Fatalf("%d accounts, want 4", len(list))
		}
		if found := must[[]*docket.Account](t)(s.FindAccounts(ctx, []string{a.ID, other.ID, docket.NewID(docket.PrefixAccount)})); len(found) != 2 {
			t.Fatalf("FindAccounts found %d", len(found))
		}

		// Updates merge fields (null removes), replace tags and may change the reference id.
		at := clock.Add(time.Hour)
		tags := []string{"z", "z", "y"}
		upd := must[*docket.Account](t)(s.UpdateAccount(ctx, userActor, a.ID, docket.AccountUpdate{Fields: map[string]any{"age": nil, "city": "Oslo"}, Tags: &tags}))
		for _, x := range []*docket.Account{upd, must[*docket.Account](t)(s.FindAccount(ctx, a.ID))} {
			wantJSON(t, "merged fields", x.Fields, `{"name":"Jane","city":"Oslo"}`)
			wantStrings(t, "tags", x.Tags, []string{"z", "y"})
			if !x.UpdatedAt.Equal(at) || *x.ReferenceID != "cust-1" {
				t.Fatalf("updated account: %+v", x)
			}
		}
		taken := ptr("cust-2")
		_, err := s.UpdateAccount(ctx, apiActor, a.ID, docket.AccountUpdate{ReferenceID: &taken})
		wantErr(t, err, docket.EConflict, "reference-id")
		var none *string
		if x := must[*docket.Account](t)(s.UpdateAccount(ctx, apiActor, other.ID, docket.AccountUpdate{ReferenceID: &none})); x.ReferenceID != nil {
			t.Fatalf("reference id not cleared: %v", *x.ReferenceID)
		}
		_, err = s.UpdateAccount(ctx, apiActor, docket.NewID(docket.PrefixAccount), docket.AccountUpdate{})
		wantErr(t, err, docket.ENotFound, "")
		wantStrings(t, "events", eventNames(t, s, a.ID), []string{docket.EventAccountCreated, docket.EventAccountUpdated})
	})
}

func TestRedactAccount(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		a := &docket.Account{ReferenceID: ptr("cust-secret"), Fields: map[string]any{"name": "Jane Secret"}, Tags: []string{"tag-secret"}}
		noErr(t, s.CreateAccount(ctx, apiActor, a))
		must[*docket.Account](t)(s.UpdateAccount(ctx, apiActor, a.ID, docket.AccountUpdate{Fields: map[string]any{"city": "Secretville"}}))
		keep := mkAccount(t, s, "keep-secret")
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, ObjectIDs: []string{a.ID}})

		at := clock.Add(time.Hour)
		red := must[*docket.Account](t)(s.RedactAccount(ctx, userActor, a.ID))
		for _, x := range []*docket.Account{red, must[*docket.Account](t)(s.FindAccount(ctx, a.ID))} {
			if x.ReferenceID != nil || len(x.Fields) != 0 || len(x.Tags) != 0 || x.RedactedAt == nil || !x.RedactedAt.Equal(at) {
				t.Fatalf("redacted account: %+v", x)
			}
		}
		evs := allEvents(t, s, docket.EventFilter{ObjectID: a.ID})
		if len(evs) != 3 {
			t.Fatalf("%d events, want 3", len(evs))
		}
		for _, e := range evs {
			if strings.Contains(strings.ToLower(string(e.Object)), "secret") {
				t.Errorf("event %s still holds personal data: %s", e.Name, e.Object)
			}
		}
		if e := allEvents(t, s, docket.EventFilter{ObjectID: keep.ID}); !strings.Contains(string(e[0].Object), "keep-secret") {
			t.Fatalf("another account's events were scrubbed: %s", e[0].Object)
		}
		// The case still links the account; the reference id is free for a new account.
		if got := caseOK(t)(s.FindCase(ctx, c.ID)); len(got.ObjectIDs) != 1 || got.ObjectIDs[0] != a.ID {
			t.Fatalf("case objects after account redaction: %v", got.ObjectIDs)
		}
		mkAccount(t, s, "cust-secret")

		n := countEvents(t, s)
		_, err := s.UpdateAccount(ctx, apiActor, a.ID, docket.AccountUpdate{Fields: map[string]any{"x": 1.0}})
		wantErr(t, err, docket.EConflict, "")
		again := must[*docket.Account](t)(s.RedactAccount(ctx, apiActor, a.ID))
		if !again.RedactedAt.Equal(at) || countEvents(t, s) != n {
			t.Fatalf("second redaction: redacted-at %v, %d new events", again.RedactedAt, countEvents(t, s)-n)
		}
		_, err = s.RedactAccount(ctx, apiActor, docket.NewID(docket.PrefixAccount))
		wantErr(t, err, docket.ENotFound, "")
	})
}
