package store_test

// Helpers for the tests of objects under investigation (accounts, inquiries, reports,
// transactions). They are named obj* so that they stay apart from the other test files.

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

var objCtx = context.Background()

// objOK unwraps (value, error), failing the test on error.
func objOK[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// objWantErr fails unless err is a *docket.Error with code and field.
func objWantErr(t testing.TB, err error, code, field string) {
	t.Helper()
	var e *docket.Error
	if !errors.As(err, &e) {
		t.Fatalf("want *docket.Error %q at %q, got %T %v", code, field, err, err)
	}
	if e.Code != code || e.Field != field {
		t.Fatalf("want %q at %q, got %q at %q (%s)", code, field, e.Code, e.Field, e.Message)
	}
}

func objPtr[T any](v T) *T { return &v }

// objClock is a settable clock for Store.Now.
type objClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *objClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *objClock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

func objUseClock(s *store.Store) *objClock {
	c := &objClock{now: time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)}
	s.Now = c.Now
	return c
}

// objEvents returns every event matching f, newest first.
func objEvents(t testing.TB, s *store.Store, f docket.EventFilter) []*docket.Event {
	t.Helper()
	f.Page = docket.Page{Size: docket.MaxPageSize}
	var out []*docket.Event
	for {
		page, r, err := s.ListEvents(objCtx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if !r.HasNext || len(page) == 0 {
			return out
		}
		f.Page.After = page[len(page)-1].ID
	}
}

// objEventNames returns the sorted names of an object's events.
func objEventNames(t testing.TB, s *store.Store, objectID string) []string {
	t.Helper()
	var names []string
	for _, e := range objEvents(t, s, docket.EventFilter{ObjectID: objectID}) {
		names = append(names, e.Name)
	}
	slices.Sort(names)
	return names
}

func objWantNames(t testing.TB, what string, got []string, want ...string) {
	t.Helper()
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Fatalf("%s: got %q, want %q", what, got, w)
	}
}

// objAccounts counts the accounts with a reference id (all accounts when ref is "").
func objAccounts(t testing.TB, s *store.Store, ref string) []*docket.Account {
	t.Helper()
	f := docket.AccountFilter{ReferenceID: ref, Page: docket.Page{Size: docket.MaxPageSize}}
	var out []*docket.Account
	for {
		page, r, err := s.ListAccounts(objCtx, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if !r.HasNext || len(page) == 0 {
			return out
		}
		f.Page.After = page[len(page)-1].ID
	}
}

// objJSON marshals v; maps marshal with sorted keys, and stored numbers (json.Number)
// marshal as the numbers they hold.
func objJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// objSnapshot decodes an event's object snapshot.
func objSnapshot(t testing.TB, e *docket.Event) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(e.Object, &m); err != nil {
		t.Fatalf("event %s snapshot: %v", e.ID, err)
	}
	return m
}

// objTemplate creates a case template with default statuses.
func objTemplate(t testing.TB, s *store.Store, key string) *docket.CaseTemplate {
	t.Helper()
	tm := &docket.CaseTemplate{Name: key + " review", Key: key}
	if err := s.CreateTemplate(objCtx, apiActor, tm); err != nil {
		t.Fatal(err)
	}
	return tm
}

// objTxnType creates a transaction type with an amount (required float) and a
// currency (choices) field.
func objTxnType(t testing.TB, s *store.Store, statuses ...string) *docket.TransactionType {
	t.Helper()
	tt := &docket.TransactionType{Name: "Payment", Statuses: statuses, FieldSchemas: []docket.FieldSchema{
		{Key: "amount", Type: docket.FieldFloat, Label: "Amount", Required: true},
		{Key: "currency", Type: docket.FieldChoices, Label: "Currency", Config: docket.FieldConfig{Options: []string{"USD", "EUR"}}},
	}}
	if err := s.CreateTransactionType(objCtx, apiActor, tt); err != nil {
		t.Fatal(err)
	}
	return tt
}
