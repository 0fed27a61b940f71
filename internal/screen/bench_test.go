package screen_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/screen"
)

// syntheticList builds n entries from common given names and surnames of several
// languages (so that many entries share words, as on real lists), with aliases, birth
// dates and countries.
func syntheticList(n int) []docket.WatchlistEntry {
	given := []string{"Mohammed", "Ali", "Ahmad", "Hassan", "Ivan", "Vladimir", "Sergei", "Olga", "Maria", "Jose",
		"Juan", "Carlos", "Kim", "Li", "Wei", "Jean", "Pierre", "Hans", "Anna", "Fatima", "Omar", "Yusuf",
		"Abdul", "Ibrahim", "Nikolai", "Dmitri", "Elena", "Sofia", "Luis", "Miguel", "Chen", "Park", "Nguyen", "Tran"}
	family := []string{"Petrov", "Ivanov", "Smirnov", "Hussein", "Al-Rashid", "Khan", "Gonzalez", "Lopez", "Garcia",
		"Martinez", "Kim", "Park", "Choe", "Wang", "Zhang", "Liu", "Muller", "Schmidt", "Dubois", "Martin",
		"Rahman", "Haddad", "Nasser", "Abbas", "Karimi", "Tehrani", "Volkov", "Sokolov", "Popescu", "Nowak", "Kowalski",
		"Yilmaz", "Demir", "Santos", "Silva", "Pereira", "Okafor", "Mensah", "Nguyen", "Tran", "Pham"}
	countries := []string{"RU", "IR", "KP", "SY", "VE", "CU", "IQ", "AF", "MX", "CN", "DE", "FR", "TR"}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	out := make([]docket.WatchlistEntry, n)
	for i := range out {
		// A made-up syllable surname makes most entries unique, as lists mostly are.
		rare := fmt.Sprintf("%s%s%s", pick([]string{"Ba", "Ka", "Zo", "Mi", "Tu", "Re", "Lo", "Sha", "Dra", "Vel"}),
			pick([]string{"ran", "lek", "mov", "dar", "zin", "tov", "bek", "ras", "mir", "gul"}), pick([]string{"", "a", "ov", "ski", "i"}))
		e := docket.WatchlistEntry{UID: fmt.Sprint(i + 1), Type: "individual",
			Name:       fmt.Sprintf("%s %s, %s %s", pick(family), rare, pick(given), pick(given)),
			BirthDates: []string{fmt.Sprintf("%d-%02d-%02d", 1940+r.IntN(60), 1+r.IntN(12), 1+r.IntN(28))},
			Countries:  []string{pick(countries)}}
		if r.IntN(2) == 0 {
			e.Aliases = []string{fmt.Sprintf("%s %s", pick(given), pick(family))}
		}
		out[i] = e
	}
	return out
}

// BenchmarkSearch20k screens queries against a 20,000-entry list and reports the p99
// of one query (ms) beside the mean: the issue asks p99 < 50 ms. On a shared, loaded
// machine the wall time measures the queue for the CPU as much as the query, so the p99
// of the CPU time the query's thread spent (p99-cpu-ms) is reported too.
func BenchmarkSearch20k(b *testing.B) {
	entries := syntheticList(20_000)
	ix := screen.NewIndex(&docket.Watchlist{ID: "wl_bench", Name: "bench"}, entries)
	// Queries: listed names written differently, and common names of people not listed.
	var queries []screen.Query
	for i := 0; i < 200; i++ {
		e := entries[(i*97)%len(entries)]
		queries = append(queries, screen.NewQuery(docket.ScreeningQuery{Term: e.Name, Birthdate: e.BirthDates[0]}))
		queries = append(queries, screen.NewQuery(docket.ScreeningQuery{NameFirst: []string{"Mohammed", "Ivan", "Maria", "Kim"}[i%4],
			NameLast: []string{"Hussein", "Petrov", "Garcia", "Park", "Smith"}[i%5], Country: "US"}))
	}
	total := 0
	for _, q := range queries {
		total += screen.Candidates(ix, q)
	}
	b.Logf("candidates per query %d", total/len(queries))
	durations := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	matched := 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start, startCPU := time.Now(), threadCPU()
		matched += len(ix.Search(queries[i%len(queries)], docket.DefaultMatchThreshold))
		durations = append(durations, time.Since(start))
		cpu = append(cpu, threadCPU()-startCPU)
	}
	b.StopTimer()
	slices.Sort(durations)
	slices.Sort(cpu)
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(cpu[len(cpu)*99/100].Microseconds())/1000, "p99-cpu-ms")
	b.ReportMetric(float64(matched)/float64(b.N), "matches/query")
}

// threadCPU is the CPU time the calling OS thread has used.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

func BenchmarkIndex20k(b *testing.B) {
	entries := syntheticList(20_000)
	for i := 0; i < b.N; i++ {
		screen.NewIndex(&docket.Watchlist{ID: "wl_bench"}, entries)
	}
}
