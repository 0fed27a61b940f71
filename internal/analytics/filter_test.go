package analytics

import (
	"net/url"
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

// TestParse: the period is whole buckets of the named zone, a day where clocks change
// is 23 or 25 hours long, and a bad parameter is named.
func TestParse(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		query, from, to, param string
		buckets                int
	}{
		{query: "", from: "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z", buckets: 31},
		{query: "from=2026-03-28&to=2026-03-30&time-zone=Europe/Berlin", from: "2026-03-28T00:00:00+01:00", to: "2026-03-31T00:00:00+02:00", buckets: 3},
		{query: "from=2026-03-25&to=2026-03-30&bucket=week&time-zone=Europe/Berlin", from: "2026-03-23T00:00:00+01:00", to: "2026-04-06T00:00:00+02:00", buckets: 2},
		{query: "from=2026-01-15T10:00:00Z&to=2026-03-02&bucket=month", from: "2026-01-01T00:00:00Z", to: "2026-04-01T00:00:00Z", buckets: 3},
		{query: "bucket=year", param: ParamBucket},
		{query: "time-zone=Local", param: ParamTimeZone},
		{query: "from=yesterday", param: ParamFrom},
		{query: "from=2020-01-01&to=2026-01-01", param: ParamFrom},
		{query: "filter[status]=Open", param: "filter[status]"},
		{query: "bucket=day&bucket=week", param: ParamBucket},
	} {
		q, _ := url.ParseQuery(tc.query)
		f, err := Parse(q, now)
		if tc.param != "" {
			var e *docket.Error
			if e, _ = err.(*docket.Error); e == nil || e.Parameter != tc.param {
				t.Errorf("%q: want an error at %s, got %v", tc.query, tc.param, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.query, err)
			continue
		}
		spans := Cut(f)
		got := [3]string{f.From.In(f.Location).Format(time.RFC3339), f.To.In(f.Location).Format(time.RFC3339), ""}
		if got[0] != tc.from || got[1] != tc.to || len(spans) != tc.buckets {
			t.Errorf("%q: got %s to %s in %d buckets, want %s to %s in %d", tc.query, got[0], got[1], len(spans), tc.from, tc.to, tc.buckets)
		}
	}
	// The day clocks go forward in Berlin is 23 hours long.
	q, _ := url.ParseQuery("from=2026-03-29&to=2026-03-29&time-zone=Europe/Berlin")
	f, _ := Parse(q, now)
	if s := Cut(f); len(s) != 1 || s[0].End.Sub(s[0].Start) != 23*time.Hour {
		t.Errorf("29 March in Berlin: %v", s)
	}
}

// TestStats: nearest-rank percentiles are measured values.
func TestStats(t *testing.T) {
	h := time.Hour
	got := stats([]time.Duration{24 * h, 4 * h, 6 * h})
	if want := (Stats{Count: 3, P50: 6 * h, P75: 24 * h, P95: 24 * h, Mean: 11*h + 20*time.Minute}); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got := stats(nil); got != (Stats{}) {
		t.Fatalf("no durations: %+v", got)
	}
}
