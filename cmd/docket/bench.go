package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/store"
)

// benchCmds are the repeatable load tests behind docs/benchmarks.md. Each serves the real
// API (and workers) on loopback in this process, drives it over HTTP, and prints figures.
type benchCmds struct {
	Cases     benchCmd          `cmd:"" help:"POST /cases throughput, and GET /cases latency over a large table."`
	Webhooks  benchWebhookCmd   `cmd:"" help:"Event-to-receipt latency of webhook deliveries at a steady event rate."`
	CaseList  benchCaseListCmd  `cmd:"" name:"case-list" help:"The dashboard's case list page (filters, tab counts, deep pages) over a large table."`
	Dashboard benchDashboardCmd `cmd:"" help:"Server time of the case list and case pages over a large database."`
	Search    benchSearchCmd    `cmd:"" help:"Selective searches (name, reference id, fields, free text) over a large table, and POST /cases with and without the search index."`
	Analytics benchAnalyticsCmd `cmd:"" help:"Server time of the analytics figures over a large history, and their correctness under concurrent writes."`
}

// benchCmd measures case creation and listing.
type benchCmd struct {
	dbFlags
	Duration    time.Duration `name:"duration" default:"10s" help:"How long to sustain POST /cases."`
	Concurrency int           `name:"concurrency" default:"32" help:"Concurrent HTTP clients."`
	Cases       int           `name:"cases" default:"1000000" help:"Cases the database should hold before the list is measured."`
	Lists       int           `name:"lists" default:"2000" help:"GET /cases requests to measure."`
	AccessLog   bool          `name:"access-log" default:"true" negatable:"" help:"Record requests in the access log, as serve does (--no-access-log to compare without)."`
}

func (c *benchCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	secret := docket.NewAPIKeySecret()
	if _, err := s.CreateAPIKey(e.ctx, "bench", []string{docket.ScopeAll}, secret); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var access *accesslog.Recorder // nil: requests are not recorded
	if c.AccessLog {
		access = accesslog.New(s, e.log, accesslog.Config{})
		access.Start(e.ctx)
		defer stopAccessLog(e, access)
	}
	srv := &http.Server{Handler: access.Handler(docket.AccessSourceAPI, api.New(s, e.log, api.Config{RateLimit: 0, MaxBodyBytes: 1 << 20}, nil), nil)}
	go srv.Serve(ln)
	defer srv.Close()
	b := &bencher{e: e, s: s, base: "http://" + ln.Addr().String(), secret: secret,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.Concurrency * 2}}}
	tmpl, err := b.template()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "store: %s, access log: %v\n", storeKind(s.Postgres()), c.AccessLog)
	create := b.load(c.Duration, c.Concurrency, func() (int, error) {
		return b.do("POST", "/api/v1/cases", fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q,"fields":{"amount":125.5}}}}`, tmpl.ID))
	})
	fmt.Fprintf(e.stdout, "POST /cases: %d created in %s by %d clients = %.0f/s (p50 %s, p99 %s, errors %d)\n",
		create.ok, create.elapsed.Round(time.Millisecond), c.Concurrency, create.rate(), create.p(50), create.p(99), create.errors)
	if err := b.seed(tmpl, c.Cases, c.Concurrency); err != nil {
		return err
	}
	path := fmt.Sprintf("/api/v1/cases?filter[status]=Open&filter[case-template-id]=%s&page[size]=10", tmpl.ID)
	list := b.count(c.Lists, 2, func() (int, error) { return b.do("GET", path, "") })
	fmt.Fprintf(e.stdout, "GET /cases (status+template filter, page 10) over %d cases: p50 %s, p99 %s, %.0f/s (errors %d)\n",
		c.Cases, list.p(50), list.p(99), list.rate(), list.errors)
	return nil
}

type bencher struct {
	e      *env
	s      *store.Store
	base   string
	secret string
	client *http.Client
}

// template creates a template with a fresh random key so that runs do not collide.
func (b *bencher) template() (*docket.CaseTemplate, error) {
	k := make([]byte, 6)
	rand.Read(k)
	for i := range k {
		k[i] = 'A' + k[i]%26
	}
	t := &docket.CaseTemplate{Name: "Bench", Key: "B" + string(k), FieldSchemas: []docket.FieldSchema{{Key: "amount", Type: docket.FieldFloat}}}
	return t, b.s.CreateTemplate(b.e.ctx, docket.Actor{Type: docket.ActorSystem, ID: "bench"}, t)
}

func (b *bencher) do(method, path, body string) (int, error) {
	req, err := http.NewRequestWithContext(b.e.ctx, method, b.base+path, bytes.NewBufferString(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+b.secret)
	resp, err := b.client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// seed tops the database up to n cases through the store (not HTTP: this is setup).
func (b *bencher) seed(t *docket.CaseTemplate, n, workers int) error {
	have, err := b.s.CountAllCases(b.e.ctx)
	if err != nil {
		return err
	}
	missing := int64(n - have)
	if missing <= 0 {
		return nil
	}
	fmt.Fprintf(b.e.stdout, "seeding %d cases...\n", missing)
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= missing && b.e.ctx.Err() == nil {
				nc := docket.NewCase{TemplateID: t.ID, Fields: map[string]any{"amount": 10.0}}
				if _, err := b.s.CreateCase(b.e.ctx, docket.Actor{Type: docket.ActorSystem, ID: "bench"}, nc); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(b.e.stdout, "seeded %d cases in %s (%.0f/s through the store)\n", missing, time.Since(start).Round(time.Second),
		float64(missing)/time.Since(start).Seconds())
	return nil
}

type result struct {
	ok, errors int
	elapsed    time.Duration
	latencies  []time.Duration
}

func (r result) rate() float64 { return float64(r.ok) / r.elapsed.Seconds() }

func (r result) p(q int) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	slices.Sort(r.latencies)
	i := min(len(r.latencies)*q/100, len(r.latencies)-1)
	return r.latencies[i].Round(10 * time.Microsecond)
}

// load runs fn from workers goroutines for d.
func (b *bencher) load(d time.Duration, workers int, fn func() (int, error)) result {
	ctx, cancel := context.WithTimeout(b.e.ctx, d)
	defer cancel()
	return b.run(workers, func() bool { return ctx.Err() == nil }, fn)
}

// count runs fn n times from workers goroutines.
func (b *bencher) count(n, workers int, fn func() (int, error)) result {
	var left atomic.Int64
	left.Store(int64(n))
	return b.run(workers, func() bool { return left.Add(-1) >= 0 }, fn)
}

func (b *bencher) run(workers int, more func() bool, fn func() (int, error)) result {
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			ok, bad := 0, 0
			for more() {
				t0 := time.Now()
				status, err := fn()
				if err != nil || status >= 300 {
					bad++
					continue
				}
				ok++
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.ok, res.errors, res.latencies = res.ok+ok, res.errors+bad, append(res.latencies, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}
