package store_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// twoStores runs fn with two stores opened on the same fresh database, as two processes would.
//
// The concurrency tests do not call t.Parallel: on PostgreSQL each goroutine waiting on a
// row lock holds a connection, and running them alone keeps well under max_connections.
func twoStores(t *testing.T, fn func(t *testing.T, a, b *store.Store)) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		fn(t, openStore(t, dbURL), openStore(t, dbURL))
	})
}

// Two processes creating cases of one template at once give them unique, gapless names.
func TestConcurrentCreateTwoStores(t *testing.T) {
	const perStore, workers = 200, 8
	twoStores(t, func(t *testing.T, a, b *store.Store) {
		tm := mkTemplate(t, a, &docket.CaseTemplate{Name: "Burst", Key: "BURST",
			FieldSchemas: []docket.FieldSchema{{Key: "i", Type: docket.FieldInteger, Required: true}}})
		other := mkTemplate(t, b, &docket.CaseTemplate{Name: "Other", Key: "OTHER"})
		var mu sync.Mutex
		names := map[string]int{}
		var wg sync.WaitGroup
		for si, s := range []*store.Store{a, b} {
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range perStore / workers {
						n := float64(si*perStore + w*(perStore/workers) + i)
						c, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"i": n}})
						if err != nil {
							t.Errorf("store %d worker %d: %v", si, w, err)
							return
						}
						// A bad request in the same burst fails alone and takes no number.
						if i%5 == 0 {
							_, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID})
							if docket.ErrorCode(err) != docket.EInvalid {
								t.Errorf("invalid case: %v", err)
							}
						}
						// Another template's numbering is independent.
						if i%3 == 0 {
							if _, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: other.ID}); err != nil {
								t.Errorf("other template: %v", err)
							}
						}
						mu.Lock()
						names[c.Name]++
						mu.Unlock()
					}
				}()
			}
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		const total = 2 * perStore
		for i := 1; i <= total; i++ {
			if n := names[fmt.Sprintf("BURST-%d", i)]; n != 1 {
				t.Errorf("BURST-%d created %d times", i, n)
			}
		}
		if len(names) != total {
			t.Fatalf("%d distinct names, want %d", len(names), total)
		}
		// What is stored agrees with what was returned, seen from either process.
		for _, s := range []*store.Store{a, b} {
			stored := allCases(t, s, docket.CaseFilter{TemplateID: tm.ID})
			if len(stored) != total {
				t.Fatalf("%d cases stored, want %d", len(stored), total)
			}
			seen := map[int64]bool{}
			fieldIs := map[string]bool{}
			for _, c := range stored {
				if seen[c.Number] || c.Name != fmt.Sprintf("BURST-%d", c.Number) {
					t.Fatalf("bad or repeated number: %s #%d", c.Name, c.Number)
				}
				seen[c.Number] = true
				fieldIs[fmt.Sprint(c.Fields["i"])] = true
			}
			if len(fieldIs) != total {
				t.Fatalf("%d distinct field values, want %d", len(fieldIs), total)
			}
			others := sortedNames(allCases(t, s, docket.CaseFilter{TemplateID: other.ID}))
			want := make([]string, len(others))
			for i := range want {
				want[i] = fmt.Sprintf("OTHER-%d", i+1)
			}
			sort.Strings(want)
			wantStrings(t, "other template", others, want)
		}
		if got := allEvents(t, a, docket.EventFilter{Name: docket.EventCaseCreated}); len(got) != total+len(allCases(t, a, docket.CaseFilter{TemplateID: other.ID})) {
			t.Fatalf("%d case.created events", len(got))
		}
	})
}

// Concurrent writes to one case, from two processes, each setting its own field: none is lost.
func TestConcurrentUpdateCase(t *testing.T) {
	const n = 50
	twoStores(t, func(t *testing.T, a, b *store.Store) {
		schemas := make([]docket.FieldSchema, n)
		for i := range schemas {
			schemas[i] = docket.FieldSchema{Key: fmt.Sprintf("f%02d", i), Type: docket.FieldInteger}
		}
		tm := mkTemplate(t, a, &docket.CaseTemplate{Name: "Merge", Key: "MERGE", FieldSchemas: schemas})
		c := mkCase(t, a, docket.NewCase{TemplateID: tm.ID})
		var wg sync.WaitGroup
		for i := range n {
			s := []*store.Store{a, b}[i%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.UpdateCase(ctx, apiActor, c.ID, docket.CaseUpdate{Fields: map[string]any{fmt.Sprintf("f%02d", i): float64(i)}})
				if err != nil {
					t.Errorf("update %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		got := caseOK(t)(b.FindCase(ctx, c.ID))
		for i := range n {
			if v := fmt.Sprint(got.Fields[fmt.Sprintf("f%02d", i)]); v != fmt.Sprint(i) {
				t.Errorf("field f%02d = %s, want %d", i, v, i)
			}
		}
		if got.Version != n+1 {
			t.Fatalf("version %d, want %d", got.Version, n+1)
		}
		if ev := allEvents(t, a, docket.EventFilter{ObjectID: c.ID, Name: docket.EventCaseUpdatedFields}); len(ev) != n {
			t.Fatalf("%d case.updated-fields events, want %d", len(ev), n)
		}
	})
}

// Concurrent tag changes and status moves on one case are serialised, not lost.
func TestConcurrentTagsAndStatus(t *testing.T) {
	const n = 12
	twoStores(t, func(t *testing.T, a, b *store.Store) {
		tm := mkTemplate(t, a, &docket.CaseTemplate{Name: "Tags", Key: "TAGS"})
		c := mkCase(t, a, docket.NewCase{TemplateID: tm.ID})
		var wg sync.WaitGroup
		for i := range n {
			s := []*store.Store{a, b}[i%2]
			wg.Add(2)
			go func() {
				defer wg.Done()
				if _, err := s.ChangeCaseTags(ctx, apiActor, c.ID, "add", []string{fmt.Sprintf("t%02d", i)}); err != nil {
					t.Errorf("tag %d: %v", i, err)
				}
			}()
			go func() {
				defer wg.Done()
				if _, err := s.SetCaseStatus(ctx, apiActor, c.ID, []string{"Approved", "Open"}[i%2]); err != nil {
					t.Errorf("status %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		got := caseOK(t)(a.FindCase(ctx, c.ID))
		if len(got.Tags) != n {
			t.Fatalf("%d tags, want %d: %v", len(got.Tags), n, got.Tags)
		}
		// Each status write either changed the status or was a no-op; the version counts both kinds of write.
		statusEvents := allEvents(t, a, docket.EventFilter{ObjectID: c.ID, Name: docket.EventCaseStatusUpdated})
		if got.Version != int64(1+n+len(statusEvents)) {
			t.Fatalf("version %d, want %d", got.Version, 1+n+len(statusEvents))
		}
		resolved := got.Status == "Approved"
		if resolved != (got.Resolution != nil) || resolved != (got.ResolvedAt != nil) {
			t.Fatalf("status %s but resolution %v resolved-at %v", got.Status, got.Resolution, got.ResolvedAt)
		}
	})
}

// Two processes creating a template with the same key: exactly one wins.
func TestConcurrentTemplateKey(t *testing.T) {
	twoStores(t, func(t *testing.T, a, b *store.Store) {
		const n = 10
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = []*store.Store{a, b}[i%2].CreateTemplate(ctx, apiActor, &docket.CaseTemplate{Name: fmt.Sprint(i), Key: "SAME"})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else {
				wantErr(t, err, docket.EInvalid, "key")
			}
		}
		list, _ := must2[*docket.CaseTemplate](t)(b.ListTemplates(ctx, docket.CaseTemplateFilter{}))
		if won != 1 || len(list) != 1 {
			t.Fatalf("%d creates succeeded, %d templates stored", won, len(list))
		}
	})
}
