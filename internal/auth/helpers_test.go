package auth_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/store"
)

var ctx = context.Background()

// cheap makes tests fast; TestHashPassword checks the real defaults.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func openStore(t *testing.T, dbURL string) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newService returns a service with a fake clock over a fresh store, cheap hashes and the
// given adjustments to the default policy.
func newService(t *testing.T, s auth.Store, adjust func(*auth.Config)) (*auth.Service, *clock) {
	t.Helper()
	c := &clock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
	cfg := auth.DefaultConfig()
	cfg.Password, cfg.Now = cheap, c.Now
	if adjust != nil {
		adjust(&cfg)
	}
	a, err := auth.New(s, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a, c
}

func mkUser(t *testing.T, s *store.Store, email string) *docket.User {
	t.Helper()
	u := &docket.User{Email: email, Name: "Test", Role: "reviewer", Available: true}
	if err := s.CreateUser(ctx, docket.Actor{Type: docket.ActorSystem, ID: "test"}, u); err != nil {
		t.Fatal(err)
	}
	return u
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
