package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/internal/worker"
)

var apiActor = docket.Actor{Type: docket.ActorAPIKey, ID: "api_test"}

// pgOpenMu serialises opening PostgreSQL stores in this package's tests. Migrations take a
// database-wide advisory lock that goose retries only every 5 s, so tests opening stores at
// the same moment would stall each other for seconds.
var pgOpenMu sync.Mutex

func openStore(t testing.TB, dbURL string) *store.Store {
	t.Helper()
	if !strings.HasPrefix(dbURL, "sqlite:") {
		pgOpenMu.Lock()
		defer pgOpenMu.Unlock()
	}
	s, err := worker.OpenStore(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// eachStore runs fn against a freshly migrated store of every kind.
func eachStore(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		fn(t, openStore(t, dbURL))
	})
}

func TestSmoke(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tm := &docket.CaseTemplate{Name: "KYC review", Key: "KYC"}
		if err := s.CreateTemplate(ctx, apiActor, tm); err != nil {
			t.Fatal(err)
		}
		c, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Tags: []string{"b", "a"}})
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "KYC-1" || c.Status != "Open" {
			t.Fatalf("got %s %s", c.Name, c.Status)
		}
		c, err = s.SetCaseStatus(ctx, apiActor, c.ID, "Approved")
		if err != nil {
			t.Fatal(err)
		}
		if c.Resolution == nil || *c.Resolution != "Approved" {
			t.Fatalf("resolution %v", c.Resolution)
		}
		got, err := s.FindCase(ctx, c.ID)
		if err != nil || got.Version != 2 || len(got.Tags) != 2 {
			t.Fatalf("find: %+v %v", got, err)
		}
	})
}
