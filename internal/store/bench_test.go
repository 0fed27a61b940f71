package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

// BenchmarkCreateCase measures CreateCase through the store alone (no HTTP), in parallel.
func BenchmarkCreateCase(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			s, tm := benchStore(b, kind)
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.CreateCase(context.Background(), apiActor, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"amount": 1.5}}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkFindAPIKeyBySecret measures the key lookup every API request makes (the API
// keeps no key cache, so that a revoked key stops working at once: docs/benchmarks.md).
func BenchmarkFindAPIKeyBySecret(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			url := storetest.SQLiteURL(b)
			if kind == "postgres" {
				url = storetest.PostgresURL(b)
			}
			s, err := worker.OpenStore(context.Background(), url)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			secret := docket.NewAPIKeySecret()
			if _, err := s.CreateAPIKey(context.Background(), "bench", []string{docket.ScopeAll}, secret); err != nil {
				b.Fatal(err)
			}
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.FindAPIKeyBySecret(context.Background(), secret); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkInsertAccessLog measures writing the access log as the recorder does: batches
// of 500 entries (API requests, one object id in half of them). One op is one entry.
func BenchmarkInsertAccessLog(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			url := storetest.SQLiteURL(b)
			if kind == "postgres" {
				url = storetest.PostgresURL(b)
			}
			s, err := worker.OpenStore(context.Background(), url)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			actor := &docket.Actor{Type: docket.ActorAPIKey, ID: docket.NewID(docket.PrefixAPIKey)}
			batch := make([]*docket.AccessLogEntry, 0, 500)
			flush := func() {
				if err := s.InsertAccessLog(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
				batch = batch[:0]
			}
			b.ResetTimer()
			for i := range b.N {
				e := &docket.AccessLogEntry{ID: docket.NewID(docket.PrefixRequest), Source: docket.AccessSourceAPI, Actor: actor,
					ClientAddr: "10.0.0.1", Method: "POST", Route: "/api/v1/cases", Status: 201, Duration: time.Millisecond, CreatedAt: time.Now()}
				if i%2 == 0 {
					e.Method, e.Route, e.Status = "GET", "/api/v1/cases/{id}", 200
					e.ObjectIDs = []string{docket.NewID(docket.PrefixCase)}
				}
				if batch = append(batch, e); len(batch) == cap(batch) {
					flush()
				}
			}
			if len(batch) > 0 {
				flush()
			}
		})
	}
}

// BenchmarkAddComment measures small transactions of one event each from 16 goroutines
// on distinct cases: no group commit, so on PostgreSQL the event chain's head lock makes
// their commits take turns (docs/benchmarks.md, "The event chain").
func BenchmarkAddComment(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			s, tm := benchStore(b, kind)
			cases := make(chan string, 64)
			for range 64 {
				c, err := s.CreateCase(context.Background(), apiActor, docket.NewCase{TemplateID: tm.ID})
				if err != nil {
					b.Fatal(err)
				}
				cases <- c.ID
			}
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				id := <-cases
				for pb.Next() {
					if _, err := s.AddComment(context.Background(), apiActor, id, "note"); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// benchStore opens a fresh store of the kind ("sqlite", "postgres") with one template.
func benchStore(b *testing.B, kind string) (*store.Store, *docket.CaseTemplate) {
	url := storetest.SQLiteURL(b)
	if kind == "postgres" {
		url = storetest.PostgresURL(b)
	}
	s, err := worker.OpenStore(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	tm := &docket.CaseTemplate{Name: "Bench", Key: "BENCH", FieldSchemas: []docket.FieldSchema{{Key: "amount", Type: docket.FieldFloat}}}
	if err := s.CreateTemplate(context.Background(), apiActor, tm); err != nil {
		b.Fatal(err)
	}
	return s, tm
}
