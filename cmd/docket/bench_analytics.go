package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/store"
)

// benchAnalyticsCmd measures the analytics endpoints over a large history: it seeds
// cases with their events (chained, as Docket writes them), computes the analytics facts
// with the migration's backfill (timed), then times each figure for 90 days through the
// API handler, and checks the figures while cases are written concurrently.
type benchAnalyticsCmd struct {
	dbFlags
	Cases    int  `name:"cases" default:"1000000" help:"Cases the database should hold (seeded with bulk INSERTs, with their events)."`
	Requests int  `name:"requests" default:"100" help:"Requests measured per figure and variant."`
	Writers  int  `name:"writers" default:"4" help:"Goroutines creating and resolving cases during the concurrency check."`
	Written  int  `name:"written" default:"400" help:"Cases each writer creates during the concurrency check."`
	Replay   bool `name:"replay" help:"Only time the event-replay alternative (resolution times from the events table, with an index made for it)."`
}

// benchSpread is how far back the seeded cases were created.
const benchSpread = 730 * 24 * time.Hour

func (c *benchAnalyticsCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(e.stdout, "load average before: %s", loadAvg())
	fx, err := benchFixture(e.ctx, s)
	if err != nil {
		return fmt.Errorf("bench fixture: %w", err)
	}
	if err := seedAnalyticsHistory(e, s, fx, c.Cases); err != nil {
		return err
	}
	if err := s.RefreshStatistics(e.ctx); err != nil {
		return err
	}
	if c.Replay {
		return benchReplay(e, s, c.Requests)
	}
	h, auth, err := benchAnalyticsAPI(e.ctx, s)
	if err != nil {
		return err
	}
	m := &analyticsMeter{h: h, auth: auth}
	fmt.Fprintf(e.stdout, "store: %s, %d cases; a manager's key, %d requests per line, one at a time\n", storeKind(s.Postgres()), c.Cases, c.Requests)
	for _, p := range analyticsPaths(fx) {
		r, err := m.measure(p, c.Requests)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%-62s p50 %8s  p99 %8s  max %8s  %6.1f KB\n", p, r.p(50), r.p(99), r.max(), float64(r.bytes)/1024)
	}
	if err := c.concurrent(e, s, fx, m); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "load average after: %s", loadAvg())
	return nil
}

// benchReplay times the event-replay probe for the last 90 days (the first call also
// builds its index, timed apart).
func benchReplay(e *env, s *store.Store, n int) error {
	to := time.Now()
	from := to.AddDate(0, 0, -90)
	start := time.Now()
	if _, err := s.AnalyticsReplayProbe(e.ctx, from, to); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "replay probe: first call (with the index build) %s\n", time.Since(start).Round(time.Millisecond))
	var r pageResult
	rows := 0
	for range n {
		start := time.Now()
		k, err := s.AnalyticsReplayProbe(e.ctx, from, to)
		if err != nil {
			return err
		}
		r.latencies, rows = append(r.latencies, time.Since(start)), k
	}
	fmt.Fprintf(e.stdout, "replay probe: resolution times of 90 days from events (%d resolutions): p50 %s  p99 %s  max %s\n",
		rows, r.p(50), r.p(99), r.max())
	return nil
}

// analyticsPaths are the requests measured: each figure for the last 90 days by day in a
// zone with daylight saving, and by week for one template.
func analyticsPaths(fx *benchFix) []string {
	now := time.Now().UTC()
	period := fmt.Sprintf("from=%s&to=%s", now.AddDate(0, 0, -89).Format(time.DateOnly), now.Format(time.DateOnly))
	var out []string
	for _, name := range []string{"volume", "resolution-times", "sla", "resolutions", "reviewers"} {
		out = append(out, "/api/v1/analytics/"+name+"?"+period+"&time-zone=Europe/Berlin")
	}
	for _, name := range []string{"volume", "resolution-times", "sla", "resolutions", "reviewers"} {
		out = append(out, "/api/v1/analytics/"+name+"?"+period+"&bucket=week&filter[case-template-id]="+fx.templates[0].ID)
	}
	return out
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown\n"
	}
	return string(b)
}

// benchAnalyticsAPI serves the API in this process with a key of a manager's.
func benchAnalyticsAPI(ctx context.Context, s *store.Store) (http.Handler, string, error) {
	const email = "analytics-bench@example.com"
	u, err := s.FindUserByEmail(ctx, email)
	if docket.ErrorCode(err) == docket.ENotFound {
		u = &docket.User{Email: email, Name: "Analytics bench", Role: docket.RoleManager, Available: true}
		err = s.CreateUser(ctx, benchActor, u)
	}
	if err != nil {
		return nil, "", err
	}
	secret := docket.NewAPIKeySecret()
	if _, err := s.CreateUserAPIKey(ctx, u.ID, "analytics bench", []string{docket.ScopeAll}, secret); err != nil {
		return nil, "", err
	}
	h := api.New(s, slog.New(slog.DiscardHandler), api.Config{MaxBodyBytes: 1 << 20}, nil)
	return h, "Bearer " + secret, nil
}

// analyticsMeter times requests to the API handler (server time, no network).
type analyticsMeter struct {
	h    http.Handler
	auth string
}

func (m *analyticsMeter) get(path string) ([]byte, error) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", m.auth)
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", path, rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes(), nil
}

func (m *analyticsMeter) measure(path string, n int) (pageResult, error) {
	var r pageResult
	for i := range n + 3 {
		start := time.Now()
		body, err := m.get(path)
		if err != nil {
			return r, err
		}
		if i >= 3 { // three unmeasured requests warm the caches
			r.latencies = append(r.latencies, time.Since(start))
			r.bytes = len(body)
		}
	}
	return r, nil
}

// concurrent checks the figures while writers create cases and resolve every other one:
// today's created and resolved counts and the open backlog must move by exactly what the
// writers did, and the readings taken meanwhile must never go backwards.
func (c *benchAnalyticsCmd) concurrent(e *env, s *store.Store, fx *benchFix, m *analyticsMeter) error {
	path := "/api/v1/analytics/volume?from=" + time.Now().UTC().Format(time.DateOnly)
	before, err := m.volumeToday(path)
	if err != nil {
		return err
	}
	var created, resolved atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, c.Writers)
	for w := range c.Writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range c.Written {
				cs, err := s.CreateCase(e.ctx, benchActor, docket.NewCase{TemplateID: fx.templates[0].ID,
					Fields: map[string]any{"amount": float64(i)}})
				if err != nil {
					errs <- err
					return
				}
				created.Add(1)
				if (w+i)%2 == 0 {
					if _, err := s.SetCaseStatus(e.ctx, benchActor, cs.ID, docket.DefaultStatusApproved); err != nil {
						errs <- err
						return
					}
					resolved.Add(1)
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var lat pageResult
	last := before
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		start := time.Now()
		v, err := m.volumeToday(path)
		if err != nil {
			return err
		}
		lat.latencies = append(lat.latencies, time.Since(start))
		if v.created < last.created || v.resolved < last.resolved {
			return fmt.Errorf("analytics went backwards during writes: %+v after %+v", v, last)
		}
		last = v
	}
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	after, err := m.volumeToday(path)
	if err != nil {
		return err
	}
	want := volumeToday{created: before.created + created.Load(), resolved: before.resolved + resolved.Load(),
		open: before.open + created.Load() - resolved.Load()}
	ok := after == want
	fmt.Fprintf(e.stdout, "concurrent: %d writers created %d cases and resolved %d; %d volume readings meanwhile (p50 %s, p99 %s); "+
		"before %+v, after %+v, want %+v: correct=%v\n", c.Writers, created.Load(), resolved.Load(), len(lat.latencies),
		lat.p(50), lat.p(99), before, after, want, ok)
	if !ok {
		return fmt.Errorf("analytics after concurrent writes: got %+v, want %+v", after, want)
	}
	return nil
}

// volumeToday is today's line of the volume figure and the open backlog.
type volumeToday struct{ created, resolved, open int64 }

func (m *analyticsMeter) volumeToday(path string) (volumeToday, error) {
	body, err := m.get(path)
	if err != nil {
		return volumeToday{}, err
	}
	var doc struct {
		Data struct {
			Attributes struct {
				Buckets []struct{ Created, Resolved int64 }
				Open    int64
			}
		}
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return volumeToday{}, err
	}
	a := doc.Data.Attributes
	if len(a.Buckets) != 1 {
		return volumeToday{}, fmt.Errorf("want one bucket for today, got %d", len(a.Buckets))
	}
	return volumeToday{created: a.Buckets[0].Created, resolved: a.Buckets[0].Resolved, open: a.Open}, nil
}

// seedAnalyticsHistory tops the database up to n cases, each with a history of events
// (created, assigned, pending and back, fields edited, resolved, some reopened and
// resolved again), created over the last two years, then computes the analytics facts
// with the migration's backfill and prints how long it took.
func seedAnalyticsHistory(e *env, s *store.Store, fx *benchFix, n int) error {
	have, err := s.CountAllCases(e.ctx)
	if err != nil || have >= n {
		return err
	}
	missing := n - have
	fmt.Fprintf(e.stdout, "seeding %d cases with their events...\n", missing)
	start := time.Now()
	numbers := map[string]int64{}
	for _, t := range fx.templates {
		newest, _, err := s.ListCases(e.ctx, docket.CaseFilter{TemplateID: t.ID, Page: docket.Page{Size: 1}})
		if err != nil {
			return err
		}
		if len(newest) > 0 {
			numbers[t.ID] = newest[0].Number
		}
	}
	rng := rand.New(rand.NewPCG(uint64(have), 15))
	now := time.Now().UTC().Truncate(time.Millisecond)
	first := now.Add(-benchSpread)
	step := benchSpread / time.Duration(missing)
	const batch = 5000
	events := 0
	for done := 0; done < missing; {
		size := min(batch, missing-done)
		cases := make([]*docket.Case, size)
		var evs []*docket.Event
		for i := range cases {
			var es []*docket.Event
			cases[i], es = benchHistory(rng, fx, numbers, first.Add(time.Duration(done+i)*step), now)
			evs = append(evs, es...)
		}
		if err := s.SeedCases(e.ctx, cases); err != nil {
			return err
		}
		if err := s.SeedEvents(e.ctx, evs); err != nil {
			return err
		}
		done += size
		events += len(evs)
		if done%100000 == 0 || done == missing {
			fmt.Fprintf(e.stdout, "  %d cases, %d events (%.0f cases/s)\n", done, events, float64(done)/time.Since(start).Seconds())
		}
	}
	fmt.Fprintf(e.stdout, "seeded in %s; backfilling the analytics facts (migration 00025's statements)...\n", time.Since(start).Round(time.Second))
	start = time.Now()
	if err := s.BackfillAnalytics(e.ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backfill took %s\n", time.Since(start).Round(time.Second))
	return nil
}

// benchSnapshot is the part of a case snapshot the seeded events carry.
type benchSnapshot struct {
	ID         string     `json:"id"`
	TemplateID string     `json:"case-template-id"`
	Status     string     `json:"status"`
	Resolution *string    `json:"resolution"`
	AssigneeID *string    `json:"assignee-id"`
	ResolvedAt *time.Time `json:"resolved-at"`
}

// benchHistory makes one case created at at and the events of its life up to now.
func benchHistory(rng *rand.Rand, fx *benchFix, numbers map[string]int64, at, now time.Time) (*docket.Case, []*docket.Event) {
	c := benchCase(rng, fx, numbers, at)
	c.Status, c.Resolution, c.ResolvedAt, c.Resolver, c.AssigneeID, c.AssignedAt, c.Assigner, c.Tags = docket.DefaultStatusOpen, nil, nil, nil, nil, nil, nil, nil
	if rng.IntN(10) == 0 {
		c.Tags = []string{"pep"}
	}
	var out []*docket.Event
	t := at
	add := func(name string, d time.Duration) bool {
		if t = t.Add(d); t.After(now) {
			return false
		}
		snap, _ := json.Marshal(benchSnapshot{ID: c.ID, TemplateID: c.TemplateID, Status: c.Status, Resolution: c.Resolution,
			AssigneeID: c.AssigneeID, ResolvedAt: c.ResolvedAt})
		out = append(out, &docket.Event{ID: docket.NewID(docket.PrefixEvent), Name: name, ObjectType: "case", ObjectID: c.ID,
			Actor: benchActor, Object: snap, CreatedAt: t})
		c.UpdatedAt = t
		return true
	}
	minutes := func(lo, hi int) time.Duration { return time.Duration(lo+rng.IntN(hi-lo)) * time.Minute }
	add(docket.EventCaseCreated, 0)
	if rng.IntN(10) < 8 {
		u := fx.users[rng.IntN(len(fx.users))]
		c.AssigneeID, c.AssignedAt, c.Assigner = &u.ID, ptrTime(t.Add(time.Minute)), &benchActor
		if !add(docket.EventCaseAssigned, time.Minute) {
			c.AssigneeID, c.AssignedAt, c.Assigner = nil, nil, nil
			return c, out
		}
		*c.AssignedAt = t
	}
	if rng.IntN(10) < 3 {
		c.Status = docket.DefaultStatusPending
		if !add(docket.EventCaseStatusUpdated, minutes(10, 600)) {
			c.Status = docket.DefaultStatusOpen
			return c, out
		}
		c.Status = docket.DefaultStatusOpen
		if !add(docket.EventCaseStatusUpdated, minutes(10, 2000)) {
			c.Status = docket.DefaultStatusPending
			return c, out
		}
	}
	if rng.IntN(100) < 65 && !add(docket.EventCaseUpdatedFields, minutes(1, 120)) {
		return c, out
	}
	benchResolve(rng, c, add, minutes)
	return c, out
}

// benchResolve resolves most cases, reopens a tenth of those and resolves most of them again.
func benchResolve(rng *rand.Rand, c *docket.Case, add func(string, time.Duration) bool, minutes func(int, int) time.Duration) {
	resolve := func(d time.Duration) bool {
		res := docket.DefaultStatusApproved
		if rng.IntN(10) < 3 {
			res = docket.DefaultStatusDeclined
		}
		prev := *c
		c.Status, c.Resolution, c.Resolver = res, &res, &benchActor
		c.ResolvedAt = ptrTime(time.Time{}) // set below to the event's time
		if !add(docket.EventCaseStatusUpdated, d) {
			*c = prev
			return false
		}
		*c.ResolvedAt = c.UpdatedAt
		add(docket.EventCaseResolved, 0)
		return true
	}
	if rng.IntN(100) >= 85 || !resolve(minutes(60, 14400)) || rng.IntN(10) != 0 {
		return
	}
	prev := *c
	c.Status, c.Resolution, c.ResolvedAt, c.Resolver = docket.DefaultStatusOpen, nil, nil, nil
	if !add(docket.EventCaseStatusUpdated, minutes(60, 2880)) {
		*c = prev
		return
	}
	add(docket.EventCaseReopened, 0)
	if rng.IntN(10) < 8 {
		resolve(minutes(60, 7200))
	}
}

func ptrTime(t time.Time) *time.Time { return &t }
