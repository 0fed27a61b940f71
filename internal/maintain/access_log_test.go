package maintain_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/maintain"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

var ctx = context.Background()

// batches is the real store, remembering how many rows each purge statement deleted.
type batches struct {
	*store.Store
	mu      sync.Mutex
	deleted []int
}

func (b *batches) DeleteAccessLogBefore(ctx context.Context, before time.Time, limit int) (int, error) {
	n, err := b.Store.DeleteAccessLogBefore(ctx, before, limit)
	b.mu.Lock()
	b.deleted = append(b.deleted, n)
	b.mu.Unlock()
	return n, err
}

// TestAccessLogRetention purges a backlog of entries past the retention period while
// API requests keep arriving and being recorded: the old entries go, in statements of at
// most the batch size, and every new request's entry, and the one recent old-ish entry,
// stay.
func TestAccessLogRetention(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s, err := store.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))

		// 6,000 entries from 500 days ago, and one from 399 days ago that is kept.
		const backlog, batch = 6000, 1000
		old := time.Now().Add(-500 * 24 * time.Hour)
		entries := make([]*docket.AccessLogEntry, 0, backlog+1)
		// An entry's id is made with its time, as the recorder makes it (the purge finds old
		// entries by id).
		for i := range backlog {
			at := old.Add(time.Duration(i) * time.Second)
			entries = append(entries, &docket.AccessLogEntry{ID: docket.FirstIDAt(docket.PrefixRequest, at), Source: docket.AccessSourceAPI,
				Method: "GET", Route: "/api/v1/cases/{id}", ObjectIDs: []string{"case_x"}, Status: 200, CreatedAt: at})
		}
		keptAt := time.Now().Add(-399 * 24 * time.Hour)
		kept := &docket.AccessLogEntry{ID: docket.FirstIDAt(docket.PrefixRequest, keptAt), Source: docket.AccessSourceAPI, Method: "GET",
			Route: "/api/v1/cases", Status: 200, CreatedAt: keptAt}
		if err := s.InsertAccessLog(ctx, append(entries, kept)); err != nil {
			t.Fatal(err)
		}

		// Clients keep calling the API through the recorder, which writes often.
		secret := docket.NewAPIKeySecret()
		if _, err := s.CreateAPIKey(ctx, "test", []string{docket.ScopeAll}, secret); err != nil {
			t.Fatal(err)
		}
		rec := accesslog.New(s, log, accesslog.Config{FlushInterval: 10 * time.Millisecond})
		rec.Start(ctx)
		srv := httptest.NewServer(rec.Handler(docket.AccessSourceAPI, api.New(s, log, api.Config{MaxBodyBytes: 1 << 20}, nil), nil))
		defer srv.Close()
		var served atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					req, _ := http.NewRequest("GET", srv.URL+"/api/v1/cases", nil)
					req.Header.Set("Authorization", "Bearer "+secret)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						t.Errorf("GET /cases during the purge: %d", resp.StatusCode)
						return
					}
					served.Add(1)
				}
			}()
		}
		for served.Load() < 20 { // requests are under way before the purge starts
			time.Sleep(time.Millisecond)
		}

		spy := &batches{Store: s}
		m := maintain.New(spy, log, maintain.Config{AuditPurgeBatch: batch, AuditPurgePause: 10 * time.Millisecond})
		before := served.Load()
		n, err := m.PurgeAccessLog(ctx)
		during := served.Load() - before
		close(stop)
		wg.Wait()
		if err := rec.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		if err != nil || n != backlog {
			t.Fatalf("purge deleted %d (%v), want %d", n, err, backlog)
		}
		if len(spy.deleted) < backlog/batch {
			t.Errorf("purge ran %d statements %v, want at least %d", len(spy.deleted), spy.deleted, backlog/batch)
		}
		for _, d := range spy.deleted {
			if d > batch {
				t.Errorf("a statement deleted %d rows, more than the batch of %d", d, batch)
			}
		}
		if during == 0 {
			t.Error("no request was served while the purge ran")
		}

		db := storetest.RawDB(t, dbURL)
		var left, total, objects int
		cutoff := time.Now().Add(-400 * 24 * time.Hour).UnixMilli()
		if err := db.QueryRow(`SELECT
			(SELECT count(*) FROM access_log WHERE created_at < $1),
			(SELECT count(*) FROM access_log),
			(SELECT count(*) FROM access_log_objects)`, cutoff).Scan(&left, &total, &objects); err != nil {
			t.Fatal(err)
		}
		if want := int(served.Load()) + 1; left != 0 || total != want || objects != 0 {
			t.Fatalf("after the purge: %d old entries, %d in all (want %d: every request and the kept one), %d objects",
				left, total, want, objects)
		}
	})
}
