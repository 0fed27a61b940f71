package store_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// burst creates cases of a template from several goroutines, across both stores, until
// stop is closed or the template refuses them. It returns once at least n cases exist, with
// a function that waits for the goroutines to end.
func burst(t *testing.T, stores []*store.Store, templateID string, n int64, stop <-chan struct{}) (wait func()) {
	var wg sync.WaitGroup
	var created atomic.Int64
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer created.Add(n) // never leave the caller waiting
			for {
				select {
				case <-stop:
					return
				default:
				}
				_, err := stores[w%len(stores)].CreateCase(ctx, apiActor, docket.NewCase{TemplateID: templateID})
				if err != nil {
					if e, ok := err.(*docket.Error); !ok || e.Code != docket.EInvalid || e.Field != "case-template-id" {
						t.Errorf("create: %v", err)
					}
					return
				}
				created.Add(1)
			}
		}()
	}
	for created.Load() < n {
		runtime.Gosched()
	}
	return wg.Wait
}

// Once ArchiveTemplate returns, no case of the template is created any more, even by a
// create that was under way in another process.
func TestConcurrentArchiveAndCreate(t *testing.T) {
	twoStores(t, func(t *testing.T, a, b *store.Store) {
		for i := range 6 {
			tm := mkTemplate(t, a, &docket.CaseTemplate{Name: "Archive race", Key: fmt.Sprintf("AR%d", i)})
			stop := make(chan struct{})
			wait := burst(t, []*store.Store{a, b}, tm.ID, 5, stop)
			must[*docket.CaseTemplate](t)(b.ArchiveTemplate(ctx, apiActor, tm.ID))
			n := len(allCases(t, a, docket.CaseFilter{TemplateID: tm.ID}))
			close(stop)
			wait()
			if after := len(allCases(t, a, docket.CaseFilter{TemplateID: tm.ID})); after != n {
				t.Fatalf("round %d: %d cases created after the template was archived", i, after-n)
			}
		}
	})
}

// A status that a template update removes cannot be entered by a concurrent case write:
// either the update sees the case in it and is refused, or the case write sees it gone.
func TestConcurrentTemplateUpdateAndStatus(t *testing.T) {
	twoStores(t, func(t *testing.T, a, b *store.Store) {
		with := statuses("Open", "initial", "Extra", "intermediate", "Done", "end")
		without := statuses("Open", "initial", "Done", "end")
		tm := mkTemplate(t, a, &docket.CaseTemplate{Name: "Status race", Key: "SR", Statuses: with})
		for round := range 8 {
			var cases []*docket.Case
			for range 8 {
				cases = append(cases, mkCase(t, a, docket.NewCase{TemplateID: tm.ID}))
			}
			var wg sync.WaitGroup
			for i, c := range cases {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := []*store.Store{a, b}[i%2].SetCaseStatus(ctx, apiActor, c.ID, "Extra")
					if err != nil && docket.ErrorCode(err) != docket.EInvalid {
						t.Errorf("set status: %v", err)
					}
				}()
			}
			// Case creation updates the template's counter row at the same moment.
			for i := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := []*store.Store{a, b}[i%2].CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID}); err != nil {
						t.Errorf("create: %v", err)
					}
				}()
			}
			var updateErr error
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, updateErr = b.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{Statuses: &without})
			}()
			wg.Wait()
			if updateErr != nil {
				wantErr(t, updateErr, docket.EInvalid, "statuses")
			}
			current := must[*docket.CaseTemplate](t)(a.FindTemplate(ctx, tm.ID))
			for _, c := range cases {
				got := caseOK(t)(a.FindCase(ctx, c.ID))
				if _, ok := current.FindStatus(got.Status); !ok {
					t.Fatalf("round %d: %s is in status %q, which its template no longer has", round, got.Name, got.Status)
				}
				caseOK(t)(a.SetCaseStatus(ctx, apiActor, c.ID, "Done"))
			}
			must[*docket.CaseTemplate](t)(a.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{Statuses: &with}))
		}
	})
}
