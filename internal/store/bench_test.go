package store_test

import (
	"context"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

// BenchmarkCreateCase measures CreateCase through the store alone (no HTTP), in parallel.
func BenchmarkCreateCase(b *testing.B) {
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
			tm := &docket.CaseTemplate{Name: "Bench", Key: "BENCH", FieldSchemas: []docket.FieldSchema{{Key: "amount", Type: docket.FieldFloat}}}
			if err := s.CreateTemplate(context.Background(), apiActor, tm); err != nil {
				b.Fatal(err)
			}
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
