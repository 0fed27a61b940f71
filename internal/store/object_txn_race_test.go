package store_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// TestObjectTxnStatusRemovalRace removes a status from a transaction type while other
// writers move transactions into it. Whatever the interleaving, no transaction may end up
// in a status its type no longer has.
func TestObjectTxnStatusRemovalRace(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		const rounds = 40
		for round := range rounds {
			tt := objTxnType(t, s, "open", "flagged")
			moving := objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: tt.ID,
				Fields: map[string]any{"amount": 1}}))
			start := make(chan struct{})
			var wg sync.WaitGroup
			errs := make([]error, 3)
			run := func(i int, f func() error) {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = f()
				}()
			}
			run(0, func() error {
				_, err := s.UpdateTransactionType(objCtx, apiActor, tt.ID, docket.TransactionTypeUpdate{Statuses: &[]string{"open"}})
				return err
			})
			run(1, func() error {
				_, err := s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: tt.ID, Status: "flagged",
					Fields: map[string]any{"amount": 2}})
				return err
			})
			run(2, func() error {
				_, err := s.UpdateTransaction(objCtx, apiActor, moving.ID, docket.TransactionUpdate{Status: objPtr("flagged")})
				return err
			})
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil && docket.ErrorCode(err) != docket.EInvalid {
					t.Fatalf("round %d: writer %d: %v", round, i, err)
				}
			}
			typ := objOK[*docket.TransactionType](t)(s.FindTransactionType(objCtx, tt.ID))
			l, _, err := s.ListTransactions(objCtx, docket.TransactionFilter{TypeID: tt.ID, Page: docket.Page{Size: 10}})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range l {
				if !slices.Contains(typ.Statuses, x.Status) {
					t.Fatalf("round %d: transaction %s is %q, a status its type no longer has (%q); errors %v",
						round, x.ID, x.Status, typ.Statuses, errs)
				}
			}
		}
	})
}
