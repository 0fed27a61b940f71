package main

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// benchSearchTemplate finds or creates the search bench's template: amount searchable,
// note a plain string (free text finds its words).
func benchSearchTemplate(e *env, s *store.Store) (*docket.CaseTemplate, error) {
	list, _, err := s.ListTemplates(e.ctx, docket.CaseTemplateFilter{Page: docket.Page{Size: docket.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	for _, t := range list {
		if t.Key == benchSearchKey {
			return t, nil
		}
	}
	t := &docket.CaseTemplate{Name: "Search bench", Key: benchSearchKey, FieldSchemas: []docket.FieldSchema{
		{Key: "amount", Type: docket.FieldFloat, Label: "Amount", Searchable: true},
		{Key: "note", Type: docket.FieldString, Label: "Note"}}}
	return t, s.CreateTemplate(e.ctx, benchActor, t)
}

// benchSearchSeed tops the template up to n cases with SeedCases (bulk INSERTs that
// write the search index too), case i holding account bench-ref-(i/100) when i is a
// multiple of 100.
func benchSearchSeed(e *env, s *store.Store, t *docket.CaseTemplate, n int) error {
	have, err := s.CountCases(e.ctx, docket.CaseFilter{TemplateID: t.ID}, n)
	if err != nil {
		return err
	}
	if have >= n {
		return nil
	}
	fmt.Fprintf(e.stdout, "seeding %d cases...\n", n-have)
	start := time.Now()
	rng := rand.New(rand.NewPCG(uint64(have), 14))
	now := time.Now().UTC().Truncate(time.Millisecond)
	const batch = 5000
	for done := have; done < n; {
		size := min(batch, n-done)
		accounts, err := benchSearchAccounts(e, s, done, size)
		if err != nil {
			return err
		}
		cases := make([]*docket.Case, size)
		for i := range cases {
			num := int64(done + i + 1)
			at := now.Add(time.Duration(num-int64(n)) * time.Second)
			c := &docket.Case{ID: docket.NewID(docket.PrefixCase), TemplateID: t.ID, Number: num,
				Name: fmt.Sprintf("%s-%d", t.Key, num), Status: docket.DefaultStatusOpen, CreatedAt: at, UpdatedAt: at,
				Fields: map[string]any{"amount": float64(rng.IntN(1000000)),
					"note": benchWord(rng.IntN(benchWords)) + " " + benchWord(rng.IntN(benchWords))},
				Creator: &benchActor, Version: 1}
			if id, ok := accounts[done+i]; ok {
				c.ObjectIDs = []string{id}
			}
			cases[i] = c
		}
		if err := s.SeedCases(e.ctx, cases); err != nil {
			return err
		}
		done += size
		if done%100000 == 0 || done == n {
			fmt.Fprintf(e.stdout, "  %d cases (%.0f/s)\n", done, float64(done-have)/time.Since(start).Seconds())
		}
	}
	return nil
}

// benchSearchAccounts creates the accounts of cases from to from+size (one in
// benchRefEvery), through the store, and returns them by case index.
func benchSearchAccounts(e *env, s *store.Store, from, size int) (map[int]string, error) {
	out := map[int]string{}
	var mu sync.Mutex
	var next atomic.Int64
	next.Store(int64(from))
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < from+size; i = int(next.Add(1) - 1) {
				if i%benchRefEvery != 0 {
					continue
				}
				ref := fmt.Sprintf("bench-ref-%d", i/benchRefEvery)
				a := &docket.Account{ReferenceID: &ref, Fields: map[string]any{"name": fmt.Sprintf("Name%d Bench", i/benchRefEvery)}}
				if err := s.CreateAccount(e.ctx, benchActor, a); err != nil {
					errc <- err
					return
				}
				mu.Lock()
				out[i] = a.ID
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return nil, fmt.Errorf("seed accounts: %w", err)
	}
	return out, nil
}
