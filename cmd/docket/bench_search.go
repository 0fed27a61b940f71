package main

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/store"
)

// benchSearchCmd measures selective searches over a large table through the API (POST
// /cases/search and the search box's GET /cases?filter[q]=), and POST /cases with the
// search index kept and without it, in alternating rounds of one run.
type benchSearchCmd struct {
	dbFlags
	Cases          int           `name:"cases" default:"1000000" help:"Cases the bench template should hold (seeded with bulk INSERTs, index included)."`
	Requests       int           `name:"requests" default:"2000" help:"Requests measured per search."`
	Concurrency    int           `name:"concurrency" default:"4" help:"Concurrent clients searching."`
	Create         time.Duration `name:"create" default:"10s" help:"How long each POST /cases round lasts (4 rounds: with, without, with, without the index)."`
	CreateClients  int           `name:"create-concurrency" default:"32" help:"Concurrent clients creating cases."`
	Only           string        `name:"only" help:"Measure only the searches whose name contains this."`
	SkipCreateRate bool          `name:"skip-create" help:"Skip the POST /cases rounds."`
}

// The bench's template and data: fixed so that runs top up the same database. Every
// case has an amount (0 to 999,999: an amount names about one case) and a note of two
// words out of benchWords (each word is in about ten cases); one case in benchRefEvery
// holds its own account, with a reference id and a name.
const (
	benchSearchKey = "SRCH"
	benchWords     = 200000
	benchRefEvery  = 100
)

func benchWord(n int) string { return fmt.Sprintf("w%dz", n) }

func (c *benchSearchCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	t, err := benchSearchTemplate(e, s)
	if err != nil {
		return err
	}
	if err := benchSearchSeed(e, s, t, c.Cases); err != nil {
		return err
	}
	if err := s.RefreshStatistics(e.ctx); err != nil {
		return err
	}
	secret := docket.NewAPIKeySecret()
	if _, err := s.CreateAPIKey(e.ctx, "bench", []string{docket.ScopeAll}, secret); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api.New(s, e.log, api.Config{MaxBodyBytes: 1 << 20}, nil)}
	go srv.Serve(ln)
	defer srv.Close()
	b := &bencher{e: e, s: s, base: "http://" + ln.Addr().String(), secret: secret,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: max(c.Concurrency, c.CreateClients) * 2}}}
	have, err := s.CountAllCases(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "store: %s, %d cases, %d requests per search from %d clients\n", storeKind(s.Postgres()), have, c.Requests, c.Concurrency)
	for _, q := range benchSearches(c.Cases) {
		if !strings.Contains(q.name, c.Only) {
			continue
		}
		var mu sync.Mutex
		rng := rand.New(rand.NewPCG(7, 7))
		r := b.count(c.Requests, c.Concurrency, func() (int, error) {
			mu.Lock()
			method, path, body := q.req(rng)
			mu.Unlock()
			return b.do(method, path, body)
		})
		fmt.Fprintf(e.stdout, "%-28s p50 %8s  p99 %8s  %6.0f/s  errors %d\n", q.name, r.p(50), r.p(99), r.rate(), r.errors)
	}
	if c.SkipCreateRate {
		return nil
	}
	return c.createRounds(e, s, b, t)
}

// createRounds measures POST /cases with the search index kept and without, alternating,
// so that a shared machine's changing load falls on both alike.
func (c *benchSearchCmd) createRounds(e *env, s *store.Store, b *bencher, t *docket.CaseTemplate) error {
	var n atomic.Int64
	create := func() (int, error) {
		i := int(n.Add(1))
		return b.do("POST", "/api/v1/cases", fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q,"fields":{"amount":%d,"note":"created %s %s"}}}}`,
			t.ID, i%1000000, benchWord(i%benchWords), benchWord((i*7)%benchWords)))
	}
	totals := map[bool][2]float64{}
	for round, off := range []bool{false, true, false, true} {
		s.DisableSearchIndex(off)
		r := b.load(c.Create, c.CreateClients, create)
		fmt.Fprintf(e.stdout, "POST /cases round %d, search index %-4s %6.0f/s (p50 %s, p99 %s, errors %d)\n",
			round+1, map[bool]string{false: "on:", true: "off:"}[off], r.rate(), r.p(50), r.p(99), r.errors)
		tot := totals[off]
		totals[off] = [2]float64{tot[0] + float64(r.ok), tot[1] + r.elapsed.Seconds()}
	}
	s.DisableSearchIndex(false)
	on, off := totals[false][0]/totals[false][1], totals[true][0]/totals[true][1]
	fmt.Fprintf(e.stdout, "POST /cases: %.0f/s with the search index, %.0f/s without (%+.1f%%)\n", on, off, (on-off)/off*100)
	return nil
}

// benchSearch is one measured search: req returns a request for a random target.
type benchSearch struct {
	name string
	req  func(rng *rand.Rand) (method, path, body string)
}

func benchSearches(cases int) []benchSearch {
	post := func(body string) (string, string, string) { return "POST", "/api/v1/cases/search", body }
	return []benchSearch{
		{"name (any case)", func(rng *rand.Rand) (string, string, string) {
			return post(fmt.Sprintf(`{"query":{"attribute":"name","operator":"eq","value":"srch-%d"}}`, 1+rng.IntN(cases)))
		}},
		{"reference id", func(rng *rand.Rand) (string, string, string) {
			return post(fmt.Sprintf(`{"query":{"attribute":"reference-id","operator":"eq","value":"bench-ref-%d"}}`, rng.IntN(cases/benchRefEvery)))
		}},
		{"field equality", func(rng *rand.Rand) (string, string, string) {
			return post(fmt.Sprintf(`{"query":{"attribute":"fields.amount","operator":"eq","value":%d}}`, rng.IntN(1000000)))
		}},
		{"field range (~100 cases)", func(rng *rand.Rand) (string, string, string) {
			lo := rng.IntN(1000000 - 100)
			return post(fmt.Sprintf(`{"query":{"and":[{"attribute":"fields.amount","operator":"gte","value":%d},
				{"attribute":"fields.amount","operator":"lt","value":%d}]}}`, lo, lo+100))
		}},
		{"free text (a word)", func(rng *rand.Rand) (string, string, string) {
			return post(fmt.Sprintf(`{"text":%q}`, benchWord(rng.IntN(benchWords))))
		}},
		{"free text + status", func(rng *rand.Rand) (string, string, string) {
			return post(fmt.Sprintf(`{"text":%q,"query":{"attribute":"status","operator":"eq","value":"Open"}}`, benchWord(rng.IntN(benchWords))))
		}},
		{"free text (account name)", func(rng *rand.Rand) (string, string, string) {
			return post(fmt.Sprintf(`{"text":"name%d"}`, rng.IntN(cases/benchRefEvery)))
		}},
		{"search box (GET filter[q])", func(rng *rand.Rand) (string, string, string) {
			return "GET", "/api/v1/cases?filter[q]=" + url.QueryEscape(benchWord(rng.IntN(benchWords))), ""
		}},
	}
}
