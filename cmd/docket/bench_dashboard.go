package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/ui"
)

// benchDashboardCmd measures the dashboard's heaviest pages over a large database: the
// case list with filters and counts, and a case page with a long timeline. It times the
// dashboard handler itself (server time, no network), one request at a time.
type benchDashboardCmd struct {
	dbFlags
	Cases    int    `name:"cases" default:"1000000" help:"Cases the database should hold (seeded with bulk INSERTs, not through the API)."`
	Requests int    `name:"requests" default:"300" help:"Requests measured per page."`
	Events   int    `name:"events" default:"200" help:"Timeline events of the measured case."`
	Only     string `name:"only" help:"Measure only the pages whose name contains this."`
}

// The bench's fixture: its users and templates are found again on later runs, so that a
// seeded database is reused.
const (
	benchReviewer = "bench-reviewer@example.com"
	benchPassword = "bench password, not secret"
	benchUsers    = 20
)

var benchActor = docket.Actor{Type: docket.ActorSystem, ID: "bench"}

func (c *benchDashboardCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	fx, err := benchFixture(e.ctx, s)
	if err != nil {
		return fmt.Errorf("bench fixture: %w", err)
	}
	if err := seedBenchCases(e, s, fx, c.Cases); err != nil {
		return err
	}
	caseID, err := benchTimelineCase(e.ctx, s, fx, c.Events)
	if err != nil {
		return fmt.Errorf("case with a timeline: %w", err)
	}
	if err := s.RefreshStatistics(e.ctx); err != nil {
		return err
	}
	d, err := newBenchDashboard(e.ctx, s, fx.reviewer)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "store: %s, %d cases, signed in as a reviewer; %d requests per page, one at a time\n",
		storeKind(s.Postgres()), c.Cases, c.Requests)
	for _, p := range benchPages(fx, caseID) {
		if !strings.Contains(p.name, c.Only) {
			continue
		}
		r, err := d.measure(e.ctx, p.path, c.Requests)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		fmt.Fprintf(e.stdout, "%-38s p50 %8s  p99 %8s  max %8s  HTML %6.1f KB  %s\n", p.name, r.p(50), r.p(99), r.max(),
			float64(r.bytes)/1024, p.path)
	}
	return nil
}

// benchPage is one page the bench measures.
type benchPage struct{ name, path string }

func benchPages(fx *benchFix, caseID string) []benchPage {
	tmpl := fx.templates[0].ID
	return []benchPage{
		{"case list, no filter", "/cases"},
		{"case list, template + status", "/cases?filter[case-template-id]=" + tmpl + "&filter[status]=Open"},
		{"case list, mine by SLA", "/cases?filter[assignee-id]=me&sort=sla-expires-at"},
		{"case list, unassigned + breached", "/cases?filter[assignee-id]=unassigned&filter[sla]=breached&sort=sla-expires-at"},
		{"case list, tag + template", "/cases?filter[tag]=pep&filter[case-template-id]=" + tmpl},
		{"case list, search by name", "/cases?filter[q]=" + fx.templates[1].Key + "-1234"},
		{"case page, 200-event timeline", "/cases/" + caseID},
	}
}

// benchFix is the bench's users and templates.
type benchFix struct {
	reviewer  *docket.User
	users     []*docket.User
	templates []*docket.CaseTemplate
}

// benchFixture finds or creates the bench's users and templates. One template is visible
// to managers and admins only, so that every list carries the visibility filter a
// reviewer's does in production.
func benchFixture(ctx context.Context, s *store.Store) (*benchFix, error) {
	fx := &benchFix{}
	for i := range benchUsers {
		email := fmt.Sprintf("bench-user-%02d@example.com", i)
		if i == 0 {
			email = benchReviewer
		}
		u, err := s.FindUserByEmail(ctx, email)
		if docket.ErrorCode(err) == docket.ENotFound {
			u = &docket.User{Email: email, Name: fmt.Sprintf("Bench User %02d", i), Role: "reviewer", Available: true}
			err = s.CreateUser(ctx, benchActor, u)
		}
		if err != nil {
			return nil, err
		}
		fx.users = append(fx.users, u)
	}
	fx.reviewer = fx.users[0]
	existing, _, err := s.ListTemplates(ctx, docket.CaseTemplateFilter{Page: docket.Page{Size: docket.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	day := int64(24 * 3600)
	for i, key := range []string{"BKYC", "BAML", "BFRAUD", "BSAR"} {
		if j := slices.IndexFunc(existing, func(t *docket.CaseTemplate) bool { return t.Key == key }); j >= 0 {
			fx.templates = append(fx.templates, existing[j])
			continue
		}
		t := &docket.CaseTemplate{Name: "Bench " + key, Key: key, SLASeconds: &day, FieldSchemas: []docket.FieldSchema{
			{Key: "amount", Type: docket.FieldFloat, Label: "Amount"}, {Key: "country", Type: docket.FieldString, Label: "Country"}}}
		if i == 3 {
			t.VisibleToRoles = []string{"manager", "admin"}
		}
		if err := s.CreateTemplate(ctx, benchActor, t); err != nil {
			return nil, err
		}
		fx.templates = append(fx.templates, t)
	}
	return fx, nil
}

// seedBenchCases tops the database up to n cases with bulk INSERTs: spread over the
// templates, created over the last year (ids in creation order, as in life), 70% open,
// 10% pending, 20% resolved, 70% assigned among the bench users, a tenth tagged.
func seedBenchCases(e *env, s *store.Store, fx *benchFix, n int) error {
	have, err := s.CountAllCases(e.ctx)
	if err != nil {
		return err
	}
	missing := n - have
	if missing <= 0 {
		return nil
	}
	fmt.Fprintf(e.stdout, "seeding %d cases...\n", missing)
	start := time.Now()
	// Numbers continue from each template's newest case (ids and numbers grow together).
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
	rng := rand.New(rand.NewPCG(uint64(have), 42))
	now := time.Now().UTC().Truncate(time.Millisecond)
	first := now.Add(-365 * 24 * time.Hour)
	step := 365 * 24 * time.Hour / time.Duration(missing)
	const batch = 10000
	for done := 0; done < missing; {
		size := min(batch, missing-done)
		cases := make([]*docket.Case, size)
		for i := range cases {
			at := first.Add(time.Duration(done+i) * step)
			cases[i] = benchCase(rng, fx, numbers, at)
		}
		if err := s.SeedCases(e.ctx, cases); err != nil {
			return err
		}
		done += size
		if done%100000 == 0 || done == missing {
			fmt.Fprintf(e.stdout, "  %d cases (%.0f/s)\n", done, float64(done)/time.Since(start).Seconds())
		}
	}
	return nil
}

// benchCase makes one seeded case created at at.
func benchCase(rng *rand.Rand, fx *benchFix, numbers map[string]int64, at time.Time) *docket.Case {
	t := fx.templates[rng.IntN(len(fx.templates))]
	numbers[t.ID]++
	sla := at.Add(time.Duration(*t.SLASeconds) * time.Second)
	c := &docket.Case{ID: docket.NewID(docket.PrefixCase), TemplateID: t.ID, Number: numbers[t.ID],
		Name: fmt.Sprintf("%s-%d", t.Key, numbers[t.ID]), Status: docket.DefaultStatusOpen,
		Fields:    map[string]any{"amount": float64(rng.IntN(100000)), "country": "US"},
		CreatedAt: at, UpdatedAt: at, SLAExpiresAt: &sla, Creator: &benchActor, Version: 1}
	switch r := rng.IntN(10); {
	case r == 7:
		c.Status = docket.DefaultStatusPending
	case r >= 8:
		res := t.Resolutions()[r-8]
		c.Status, c.Resolution, c.ResolvedAt, c.Resolver = res, &res, &at, &benchActor
	}
	if rng.IntN(10) < 7 {
		u := fx.users[rng.IntN(len(fx.users))]
		c.AssigneeID, c.AssignedAt, c.Assigner = &u.ID, &at, &benchActor
	}
	if rng.IntN(10) == 0 {
		c.Tags = []string{"pep"}
	}
	return c
}

// benchTimelineCase returns a case of the reviewer's with at least events events, made
// through the store as people would: comments, status changes and field edits.
func benchTimelineCase(ctx context.Context, s *store.Store, fx *benchFix, events int) (string, error) {
	list, _, err := s.ListCases(ctx, docket.CaseFilter{Tag: "bench-timeline", Page: docket.Page{Size: 1}})
	if err != nil {
		return "", err
	}
	if len(list) > 0 {
		return list[0].ID, nil
	}
	as := docket.Actor{Type: docket.ActorUser, ID: fx.reviewer.ID}
	c, err := s.CreateCase(ctx, as, docket.NewCase{TemplateID: fx.templates[0].ID, Tags: []string{"bench-timeline"},
		Fields: map[string]any{"amount": 9500.0, "country": "US"}})
	if err != nil {
		return "", err
	}
	if _, err := s.AssignCase(ctx, as, c.ID, fx.reviewer.Email); err != nil {
		return "", err
	}
	for i := 2; i < events; i++ {
		switch i % 3 {
		case 0:
			_, err = s.AddComment(ctx, as, c.ID, fmt.Sprintf("Note %d: checked the statement for month %d.", i, i%12+1))
		case 1:
			status := []string{docket.DefaultStatusPending, docket.DefaultStatusOpen}[i%2]
			_, err = s.SetCaseStatus(ctx, as, c.ID, status)
		default:
			_, err = s.UpdateCase(ctx, as, c.ID, docket.CaseUpdate{Fields: map[string]any{"amount": float64(9500 + i)}})
		}
		if err != nil {
			return "", err
		}
	}
	return c.ID, nil
}

// benchDashboard serves the dashboard in this process to one signed-in reviewer.
type benchDashboard struct {
	h      http.Handler
	cookie *http.Cookie
}

func newBenchDashboard(ctx context.Context, s *store.Store, u *docket.User) (*benchDashboard, error) {
	a, err := auth.New(s, auth.DefaultConfig())
	if err != nil {
		return nil, err
	}
	h, err := ui.New(s, a, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	token, _, err := a.StartSession(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	// The cookie's name and value as the dashboard sets them.
	rec := httptest.NewRecorder()
	a.SetSessionCookie(rec, httptest.NewRequest(http.MethodGet, "/", nil), token, time.Now().Add(time.Hour))
	cookies := rec.Result().Cookies()
	if len(cookies) == 0 {
		return nil, errors.New("no session cookie")
	}
	return &benchDashboard{h: h, cookie: cookies[0]}, nil
}

// pageResult is the timings of one page.
type pageResult struct {
	latencies []time.Duration
	bytes     int
}

func (r pageResult) p(q int) time.Duration {
	return result{latencies: r.latencies}.p(q)
}

func (r pageResult) max() time.Duration {
	return slices.Max(r.latencies).Round(10 * time.Microsecond)
}

// measure requests path n times (after a few unmeasured warm-up requests) and records
// how long the handler took for each.
func (d *benchDashboard) measure(ctx context.Context, path string, n int) (pageResult, error) {
	var r pageResult
	for i := -5; i < n; i++ {
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, path, nil)
		req.AddCookie(d.cookie)
		rec := httptest.NewRecorder()
		start := time.Now()
		d.h.ServeHTTP(rec, req)
		took := time.Since(start)
		if rec.Code != http.StatusOK {
			body, _ := io.ReadAll(io.LimitReader(rec.Body, 500))
			return r, fmt.Errorf("status %d: %s", rec.Code, body)
		}
		if i >= 0 {
			r.latencies = append(r.latencies, took)
			r.bytes = rec.Body.Len()
		}
	}
	return r, nil
}
