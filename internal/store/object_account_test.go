package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestObjectAccountCreate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		a := &docket.Account{ReferenceID: objPtr("acct-1"), Fields: map[string]any{"name": "Ann"}, Tags: []string{"vip", " vip "}}
		if err := s.CreateAccount(objCtx, apiActor, a); err != nil {
			t.Fatal(err)
		}
		got := objOK[*docket.Account](t)(s.FindAccount(objCtx, a.ID))
		if !docket.ValidID(docket.PrefixAccount, got.ID) || *got.ReferenceID != "acct-1" || got.Fields["name"] != "Ann" ||
			len(got.Tags) != 1 || got.Tags[0] != "vip" || !got.CreatedAt.Equal(clock.Now()) || got.RedactedAt != nil {
			t.Fatalf("stored account: %+v", got)
		}
		objWantNames(t, "events", objEventNames(t, s, a.ID), docket.EventAccountCreated)

		tests := []struct {
			name        string
			a           *docket.Account
			code, field string
		}{
			{"duplicate reference id", &docket.Account{ReferenceID: objPtr("acct-1")}, docket.EConflict, "reference-id"},
			{"blank reference id", &docket.Account{ReferenceID: objPtr(" ")}, docket.EInvalid, "reference-id"},
			{"long reference id", &docket.Account{ReferenceID: objPtr(strings.Repeat("x", docket.MaxReferenceID+1))}, docket.EInvalid, "reference-id"},
			{"empty tag", &docket.Account{ReferenceID: objPtr("acct-2"), Tags: []string{"ok", ""}}, docket.EInvalid, "tags[1]"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := len(objEvents(t, s, docket.EventFilter{}))
				objWantErr(t, s.CreateAccount(objCtx, apiActor, tc.a), tc.code, tc.field)
				if n := len(objAccounts(t, s, "")); n != 1 {
					t.Fatalf("%d accounts after a refused create, want 1", n)
				}
				if after := len(objEvents(t, s, docket.EventFilter{})); after != before {
					t.Fatalf("refused create wrote %d events", after-before)
				}
			})
		}
	})
}

func TestObjectAccountUpdate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		a := &docket.Account{ReferenceID: objPtr("acct-1"), Fields: map[string]any{"name": "Ann", "city": "Rome"}, Tags: []string{"a"}}
		if err := s.CreateAccount(objCtx, apiActor, a); err != nil {
			t.Fatal(err)
		}
		other := &docket.Account{ReferenceID: objPtr("acct-2")}
		if err := s.CreateAccount(objCtx, apiActor, other); err != nil {
			t.Fatal(err)
		}
		at := clock.Add(time.Minute)
		tags := []string{"b", "c"}
		ref := objPtr("acct-1b")
		u := objOK[*docket.Account](t)(s.UpdateAccount(objCtx, apiActor, a.ID, docket.AccountUpdate{
			ReferenceID: &ref, Fields: map[string]any{"city": nil, "age": 30.0}, Tags: &tags}))
		for _, x := range []*docket.Account{u, objOK[*docket.Account](t)(s.FindAccount(objCtx, a.ID))} {
			if *x.ReferenceID != "acct-1b" || objJSON(t, x.Fields) != `{"age":30,"name":"Ann"}` ||
				strings.Join(x.Tags, ",") != "b,c" || !x.UpdatedAt.Equal(at) {
				t.Fatalf("updated account: %+v", x)
			}
		}
		if l := objAccounts(t, s, "acct-1"); len(l) != 0 {
			t.Fatalf("old reference id still finds %d accounts", len(l))
		}
		if l := objAccounts(t, s, "acct-1b"); len(l) != 1 || l[0].ID != a.ID {
			t.Fatalf("new reference id finds %+v", l)
		}
		taken := objPtr("acct-2")
		_, err := s.UpdateAccount(objCtx, apiActor, a.ID, docket.AccountUpdate{ReferenceID: &taken})
		objWantErr(t, err, docket.EConflict, "reference-id")
		if x := objOK[*docket.Account](t)(s.FindAccount(objCtx, a.ID)); *x.ReferenceID != "acct-1b" {
			t.Fatalf("refused update changed the reference id to %q", *x.ReferenceID)
		}
		_, err = s.UpdateAccount(objCtx, apiActor, docket.NewID(docket.PrefixAccount), docket.AccountUpdate{})
		objWantErr(t, err, docket.ENotFound, "")
		objWantNames(t, "events", objEventNames(t, s, a.ID), docket.EventAccountCreated, docket.EventAccountUpdated)
	})
}

func TestObjectAccountRedact(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		a := &docket.Account{ReferenceID: objPtr("secret-ref"), Fields: map[string]any{"name": "Secret Name"}, Tags: []string{"secret-tag"}}
		if err := s.CreateAccount(objCtx, apiActor, a); err != nil {
			t.Fatal(err)
		}
		objOK[*docket.Account](t)(s.UpdateAccount(objCtx, apiActor, a.ID, docket.AccountUpdate{Fields: map[string]any{"city": "Secret City"}}))
		keep := &docket.Account{ReferenceID: objPtr("keep-ref"), Fields: map[string]any{"name": "Kept"}}
		if err := s.CreateAccount(objCtx, apiActor, keep); err != nil {
			t.Fatal(err)
		}
		at := clock.Add(time.Hour)
		r := objOK[*docket.Account](t)(s.RedactAccount(objCtx, apiActor, a.ID))
		for _, x := range []*docket.Account{r, objOK[*docket.Account](t)(s.FindAccount(objCtx, a.ID))} {
			if x.ReferenceID != nil || len(x.Fields) != 0 || len(x.Tags) != 0 || x.RedactedAt == nil || !x.RedactedAt.Equal(at) {
				t.Fatalf("redacted account: %+v", x)
			}
		}
		evs := objEvents(t, s, docket.EventFilter{ObjectID: a.ID})
		names := objEventNames(t, s, a.ID)
		objWantNames(t, "events", names, docket.EventAccountCreated, docket.EventAccountUpdated, docket.EventAccountRedacted)
		for _, e := range evs {
			if strings.Contains(string(e.Object), "Secret") || strings.Contains(string(e.Object), "secret-") {
				t.Errorf("event %s (%s) still holds personal data: %s", e.ID, e.Name, e.Object)
			}
		}
		// Other accounts' events are untouched.
		kept := objEvents(t, s, docket.EventFilter{ObjectID: keep.ID})
		if len(kept) != 1 || !strings.Contains(string(kept[0].Object), "keep-ref") {
			t.Fatalf("events of another account: %+v", kept)
		}
		// Redaction is final and idempotent; the reference id is free again.
		_, err := s.UpdateAccount(objCtx, apiActor, a.ID, docket.AccountUpdate{Fields: map[string]any{"name": "again"}})
		objWantErr(t, err, docket.EConflict, "")
		clock.Add(time.Hour)
		again := objOK[*docket.Account](t)(s.RedactAccount(objCtx, apiActor, a.ID))
		if !again.RedactedAt.Equal(at) {
			t.Fatalf("second redaction moved redacted-at to %v", again.RedactedAt)
		}
		if n := len(objEvents(t, s, docket.EventFilter{ObjectID: a.ID})); n != 3 {
			t.Fatalf("second redaction wrote events: %d", n)
		}
		if err := s.CreateAccount(objCtx, apiActor, &docket.Account{ReferenceID: objPtr("secret-ref")}); err != nil {
			t.Fatalf("reference id of a redacted account is not free: %v", err)
		}
		_, err = s.RedactAccount(objCtx, apiActor, docket.NewID(docket.PrefixAccount))
		objWantErr(t, err, docket.ENotFound, "")
	})
}
