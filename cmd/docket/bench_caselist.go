package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/ui"
	"go.jetify.com/typeid"
)

// benchCaseListCmd measures the dashboard's case list page (/cases: filters, status tabs
// with their capped counts, a page of 50 rows) over a large table, through the real
// dashboard handler on loopback, signed in as a manager (who sees the bulk controls).
type benchCaseListCmd struct {
	dbFlags
	Cases       int `name:"cases" default:"1000000" help:"Cases the two bench templates should hold before the page is measured."`
	Requests    int `name:"requests" default:"200" help:"Requests per measured address."`
	Concurrency int `name:"concurrency" default:"32" help:"Goroutines that seed cases."`
}

// The bench's templates: one whose cases carry SLAs of a minute to 30 days (a tenth are
// tagged pep), one without SLAs. Fixed keys let runs top up the same database.
const (
	benchSLAKey   = "CLSLA"
	benchNoSLAKey = "CLNONE"
)

func (c *benchCaseListCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(e.stdout, "store: %s\n", storeKind(s.Postgres()))
	withSLA, err := benchTemplate(e.ctx, s, benchSLAKey)
	if err != nil {
		return err
	}
	without, err := benchTemplate(e.ctx, s, benchNoSLAKey)
	if err != nil {
		return err
	}
	if err := benchSeedCases(e, s, []*docket.CaseTemplate{withSLA, without}, c.Cases, c.Concurrency); err != nil {
		return err
	}
	u, err := benchManager(e, s, withSLA)
	if err != nil {
		return err
	}
	signIn, err := auth.New(s, auth.DefaultConfig())
	if err != nil {
		return err
	}
	token, _, err := signIn.StartSession(e.ctx, u.ID)
	if err != nil {
		return err
	}
	h, err := ui.New(s, signIn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	cursors, err := benchCursors(e.ctx, s, 50)
	if err != nil {
		return err
	}
	b := &pageBencher{base: "http://" + ln.Addr().String(), cookie: "docket_session=" + token, client: &http.Client{}}
	name, err := benchCaseName(e.ctx, s, withSLA)
	if err != nil {
		return err
	}
	for _, a := range []struct{ what, query string }{
		{"all cases, newest first", ""},
		{"status tab Open, SLA then age", "filter[status]=Open&sort=sla-expires-at"},
		{"template and status", "filter[case-template-id]=" + withSLA.ID + "&filter[status]=Open"},
		{"assigned to me", "filter[assignee-id]=me"},
		{"unassigned, breached, SLA then age", "filter[assignee-id]=unassigned&filter[sla]=breached&sort=sla-expires-at"},
		{"tag pep", "filter[tag]=pep"},
		{"search box: a case name", "filter[q]=" + strings.ToLower(name)},
		{"deep page, newest first", "page[after]={cursor}"},
		{"deep page, SLA then age", "sort=sla-expires-at&page[after]={cursor}"},
		{"deep page back, Open, SLA then age", "filter[status]=Open&sort=sla-expires-at&page[before]={cursor}"},
	} {
		r, size, err := b.measure(e.ctx, a.query, cursors, c.Requests)
		if err != nil {
			return fmt.Errorf("%s: %w", a.what, err)
		}
		fmt.Fprintf(e.stdout, "GET /cases (%s) over %d cases: p50 %s, p99 %s, page %.1f KB (errors %d)\n",
			a.what, c.Cases, r.p(50), r.p(99), float64(size)/1024, r.errors)
	}
	return nil
}

// benchTemplate finds the bench template with the key, or creates it.
func benchTemplate(ctx context.Context, s *store.Store, key string) (*docket.CaseTemplate, error) {
	page := docket.Page{Size: docket.MaxPageSize}
	for {
		list, r, err := s.ListTemplates(ctx, docket.CaseTemplateFilter{Page: page})
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			if t.Key == key {
				return t, nil
			}
		}
		if !r.HasNext || len(list) == 0 {
			break
		}
		page.After = list[len(list)-1].ID
	}
	t := &docket.CaseTemplate{Name: "Case list bench " + key, Key: key}
	return t, s.CreateTemplate(ctx, docket.Actor{Type: docket.ActorSystem, ID: "bench"}, t)
}

// benchSeedCases tops the templates up to n cases between them, half each, through the
// store (setup, not measured). The first template's cases get SLAs.
func benchSeedCases(e *env, s *store.Store, templates []*docket.CaseTemplate, n, workers int) error {
	missing := make([]int64, len(templates))
	var total int64
	for i, t := range templates {
		have, err := s.CountCases(e.ctx, docket.CaseFilter{TemplateID: t.ID}, n)
		if err != nil {
			return err
		}
		want := n / len(templates)
		if i == 0 {
			want += n % len(templates)
		}
		missing[i] = int64(max(0, want-have))
		total += missing[i]
	}
	if total == 0 {
		return nil
	}
	fmt.Fprintf(e.stdout, "seeding %d cases...\n", total)
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < total && e.ctx.Err() == nil; i = next.Add(1) - 1 {
				nc := docket.NewCase{TemplateID: templates[1].ID}
				if i < missing[0] {
					sla := 60 + rand.Int64N(30*24*3600)
					nc = docket.NewCase{TemplateID: templates[0].ID, SLAExpiresInSecond: &sla}
					if i%10 == 0 {
						nc.Tags = []string{"pep"}
					}
				}
				if _, err := s.CreateCase(e.ctx, docket.Actor{Type: docket.ActorSystem, ID: "bench"}, nc); err != nil {
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
	fmt.Fprintf(e.stdout, "seeded %d cases in %s\n", total, time.Since(start).Round(time.Second))
	return nil
}

// benchManager finds or creates the manager the page is measured for, and gives them a
// few hundred cases, and resolves a few hundred others, so that "me" and the status tabs
// have something to count.
func benchManager(e *env, s *store.Store, t *docket.CaseTemplate) (*docket.User, error) {
	const email, spread = "case-list-bench@example.com", 300
	actor := docket.Actor{Type: docket.ActorSystem, ID: "bench"}
	u, err := s.FindUserByEmail(e.ctx, email)
	if docket.ErrorCode(err) == docket.ENotFound {
		u = &docket.User{Email: email, Name: "Case list bench", Role: docket.RoleManager, Available: true}
		err = s.CreateUser(e.ctx, actor, u)
	}
	if err != nil {
		return nil, err
	}
	mine, err := s.CountCases(e.ctx, docket.CaseFilter{AssigneeID: u.ID}, spread)
	if err != nil || mine >= spread {
		return u, err
	}
	// Every other case of the newest 2*spread: assigned, or resolved.
	f := docket.CaseFilter{TemplateID: t.ID, Page: docket.Page{Size: docket.MaxPageSize}}
	for done := 0; done < 2*spread; {
		cases, r, err := s.ListCases(e.ctx, f)
		if err != nil {
			return nil, err
		}
		for _, c := range cases {
			if done%2 == 0 {
				_, err = s.AssignCase(e.ctx, actor, c.ID, email)
			} else {
				_, err = s.SetCaseStatus(e.ctx, actor, c.ID, docket.DefaultStatusApproved)
			}
			if err != nil {
				return nil, err
			}
			done++
		}
		if !r.HasNext || len(cases) == 0 {
			break
		}
		f.Page.After = cases[len(cases)-1].ID
	}
	return u, nil
}

// benchCursors returns case ids spread over the table's whole age: each is the newest
// case created before a random instant between the oldest and the newest case, so that
// deep pages are measured at every depth.
func benchCursors(ctx context.Context, s *store.Store, n int) ([]string, error) {
	newest, _, err := s.ListCases(ctx, docket.CaseFilter{Page: docket.Page{Size: 1}})
	if err != nil || len(newest) == 0 {
		return nil, fmt.Errorf("no cases to page through: %w", err)
	}
	oldest, _, err := s.SearchCases(ctx, docket.SearchQuery{Sort: docket.SearchSort{Attribute: "created-at"}, Page: docket.Page{Size: 1}})
	if err != nil || len(oldest) == 0 {
		return nil, fmt.Errorf("no oldest case: %w", err)
	}
	from, to := oldest[0].CreatedAt.UnixMilli(), newest[0].CreatedAt.UnixMilli()
	var out []string
	for range n {
		var u [16]byte
		binary.BigEndian.PutUint64(u[:8], uint64(from+rand.Int64N(to-from+1))<<16)
		u[6], u[8] = 0x70, 0x80 // UUIDv7: version 7, RFC 4122 variant, the rest zero
		at, err := typeid.FromUUIDBytesWithPrefix(docket.PrefixCase, u[:])
		if err != nil {
			return nil, err
		}
		list, _, err := s.ListCases(ctx, docket.CaseFilter{Page: docket.Page{Size: 1, After: at.String()}})
		if err != nil {
			return nil, err
		}
		if len(list) > 0 {
			out = append(out, list[0].ID)
		}
	}
	if len(out) == 0 {
		out = append(out, newest[0].ID)
	}
	return out, nil
}

// benchCaseName returns the name of a case of t from the middle of its numbers.
func benchCaseName(ctx context.Context, s *store.Store, t *docket.CaseTemplate) (string, error) {
	n, err := s.CountCases(ctx, docket.CaseFilter{TemplateID: t.ID}, 10_000_000)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%d", t.Key, max(1, n/2)), nil
}

// pageBencher requests dashboard pages with a session cookie.
type pageBencher struct {
	base, cookie string
	client       *http.Client
}

// measure requests /cases?query n times from two clients; {cursor} in the query takes
// each of cursors in turn. It returns the latencies and the size of the last page.
func (b *pageBencher) measure(ctx context.Context, query string, cursors []string, n int) (result, int, error) {
	var size atomic.Int64
	var i atomic.Int64
	bench := &bencher{e: &env{ctx: ctx}}
	res := bench.count(n, 2, func() (int, error) {
		q := strings.ReplaceAll(query, "{cursor}", url.QueryEscape(cursors[int(i.Add(1))%len(cursors)]))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/cases?"+q, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Cookie", b.cookie)
		resp, err := b.client.Do(req)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		size.Store(int64(len(body)))
		return resp.StatusCode, err
	})
	if res.ok == 0 {
		return res, 0, fmt.Errorf("every request failed")
	}
	return res, int(size.Load()), nil
}
