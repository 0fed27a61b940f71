package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

var (
	ctx       = context.Background()
	userActor = docket.Actor{Type: docket.ActorUser, ID: "user_test"}
	// epoch is where fake clocks start: a fixed, millisecond-aligned instant.
	epoch = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
)

// wantErr fails unless err is a *docket.Error with the given code and field.
func wantErr(t testing.TB, err error, code, field string) {
	t.Helper()
	var e *docket.Error
	if !errors.As(err, &e) {
		t.Fatalf("want *docket.Error %q at %q, got %T %v", code, field, err, err)
	}
	if e.Code != code || e.Field != field {
		t.Fatalf("want %q at %q, got %q at %q (%s)", code, field, e.Code, e.Field, e.Message)
	}
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// must returns a function that unwraps (value, error), failing the test on error:
// c := must[*docket.Case](t)(s.FindCase(ctx, id)).
func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// caseOK is must for cases, the most common result.
func caseOK(t testing.TB) func(*docket.Case, error) *docket.Case { return must[*docket.Case](t) }

// fakeClock is a settable clock for Store.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// useFakeClock makes the store read time from a fake clock starting at epoch.
func useFakeClock(s *store.Store) *fakeClock {
	c := &fakeClock{now: epoch}
	s.Now = c.Now
	return c
}

func mkTemplate(t testing.TB, s *store.Store, tm *docket.CaseTemplate) *docket.CaseTemplate {
	t.Helper()
	noErr(t, s.CreateTemplate(ctx, apiActor, tm))
	return tm
}

func mkUser(t testing.TB, s *store.Store, email string) *docket.User {
	t.Helper()
	u := &docket.User{Email: email, Name: strings.Split(email, "@")[0], Role: "reviewer"}
	noErr(t, s.CreateUser(ctx, apiActor, u))
	return u
}

func mkAccount(t testing.TB, s *store.Store, ref string) *docket.Account {
	t.Helper()
	a := &docket.Account{ReferenceID: &ref}
	noErr(t, s.CreateAccount(ctx, apiActor, a))
	return a
}

func mkCase(t testing.TB, s *store.Store, nc docket.NewCase) *docket.Case {
	t.Helper()
	return caseOK(t)(s.CreateCase(ctx, apiActor, nc))
}

// allEvents returns every event matching f, newest first, walking all pages.
func allEvents(t testing.TB, s *store.Store, f docket.EventFilter) []*docket.Event {
	t.Helper()
	f.Page = docket.Page{Size: docket.MaxPageSize}
	var out []*docket.Event
	for {
		page, r := must2[*docket.Event](t)(s.ListEvents(ctx, f))
		out = append(out, page...)
		if !r.HasNext || len(page) == 0 || len(out) > 100000 {
			return out
		}
		f.Page.After = page[len(page)-1].ID
	}
}

// eventNames returns the sorted names of the events about one object.
func eventNames(t testing.TB, s *store.Store, objectID string) []string {
	t.Helper()
	var names []string
	for _, e := range allEvents(t, s, docket.EventFilter{ObjectID: objectID}) {
		names = append(names, e.Name)
	}
	sort.Strings(names)
	return names
}

// allCases returns every case matching f, newest first, walking all pages.
func allCases(t testing.TB, s *store.Store, f docket.CaseFilter) []*docket.Case {
	t.Helper()
	f.Page = docket.Page{Size: docket.MaxPageSize}
	var out []*docket.Case
	for {
		page, r := must2[*docket.Case](t)(s.ListCases(ctx, f))
		out = append(out, page...)
		if !r.HasNext || len(page) == 0 || len(out) > 100000 {
			return out
		}
		f.Page.After = page[len(page)-1].ID
	}
}

// must2 unwraps an (items, PageResult, error) result.
func must2[T any](t testing.TB) func([]T, docket.PageResult, error) ([]T, docket.PageResult) {
	return func(v []T, r docket.PageResult, err error) ([]T, docket.PageResult) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v, r
	}
}

func caseNames(cases []*docket.Case) []string {
	out := make([]string, len(cases))
	for i, c := range cases {
		out[i] = c.Name
	}
	return out
}

func sortedNames(cases []*docket.Case) []string {
	out := caseNames(cases)
	sort.Strings(out)
	return out
}

// jsonText marshals v (maps marshal with sorted keys, so equal values give equal text).
func jsonText(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantJSON(t testing.TB, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON %s: %v", want, err)
	}
	var g any // round-trip got too, so that struct field order does not matter
	if err := json.Unmarshal([]byte(jsonText(t, got)), &g); err != nil {
		t.Fatal(err)
	}
	if g, w := jsonText(t, g), jsonText(t, w); g != w {
		t.Fatalf("%s: got %s, want %s", what, g, w)
	}
}

func wantStrings(t testing.TB, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
}

func ptr[T any](v T) *T { return &v }

// countEvents counts every event in the store.
func countEvents(t testing.TB, s *store.Store) int {
	t.Helper()
	return len(allEvents(t, s, docket.EventFilter{}))
}

// statuses builds a status list from name, type pairs.
func statuses(pairs ...string) []docket.Status {
	var out []docket.Status
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, docket.Status{Name: pairs[i], Type: pairs[i+1]})
	}
	return out
}

// idOrder returns ids sorted ascending: the order of objects written together.
func idOrder(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}
