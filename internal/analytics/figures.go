package analytics

import (
	"context"
	"slices"
	"time"

	"github.com/docket-hq/docket"
)

// Figures computes the analytics figures from a store's facts.
type Figures struct {
	Source docket.AnalyticsService
	// Now is the clock (time.Now when nil): "now" for the backlog, ages and breaches.
	Now func() time.Time
}

func (fg *Figures) now() time.Time {
	if fg.Now != nil {
		return fg.Now()
	}
	return time.Now()
}

// VolumeRow is one bucket of the volume figure. Backlog is the number of open cases at
// the bucket's end (or now, for a bucket that has not ended).
type VolumeRow struct {
	Span
	Created, Resolved, Reopened, Backlog int64
}

// AgeBands name the bands of the open backlog's ages.
var AgeBands = []string{"under 1 day", "1-3 days", "3-7 days", "over 7 days"}

// Volume is cases in and out per bucket, and the open backlog now with its ages.
type Volume struct {
	Rows []VolumeRow
	Open docket.AnalyticsOpen
}

// Volume computes the volume figure. The backlog at the end of each bucket is counted
// back from the backlog now: every case created, resolved or reopened since then moved
// it by one.
func (fg *Figures) Volume(ctx context.Context, f docket.AnalyticsFilter) (*Volume, error) {
	now := fg.now()
	end := f.To
	if now.After(end) {
		end = now
	}
	counts, err := fg.Source.AnalyticsCounts(ctx, f.AnalyticsScope, f.From, end)
	if err != nil {
		return nil, err
	}
	open, err := fg.Source.AnalyticsOpen(ctx, f.AnalyticsScope, now)
	if err != nil {
		return nil, err
	}
	spans := Cut(f)
	v := &Volume{Rows: make([]VolumeRow, len(spans)), Open: open}
	// moved[i] is the change to the backlog during bucket i; moved[len] after the last.
	moved := make([]int64, len(spans)+1)
	for _, c := range counts {
		at := time.UnixMilli(c.Unit * int64(docket.AnalyticsUnit/time.Millisecond))
		i := find(spans, at)
		if i < 0 {
			i = len(spans) // counts start at the first bucket, so this is after the last
		} else {
			r := &v.Rows[i]
			switch c.Kind {
			case "created":
				r.Created += c.N
			case "resolved":
				r.Resolved += c.N
			case "reopened":
				r.Reopened += c.N
			}
		}
		moved[i] += map[string]int64{"created": c.N, "resolved": -c.N, "reopened": c.N}[c.Kind]
	}
	// after[i] is the change from the end of bucket i until now.
	after := make([]int64, len(spans))
	var sum int64
	for i := len(spans) - 1; i >= 0; i-- {
		sum += moved[i+1]
		after[i] = sum
	}
	for i, s := range spans {
		v.Rows[i].Span = s
		v.Rows[i].Backlog = open.Total
		if s.End.Before(now) {
			v.Rows[i].Backlog = open.Total - after[i]
		}
	}
	return v, nil
}

// BandRow is the resolution times of the cases resolved in one bucket.
type BandRow struct {
	Span
	Stats
}

// StatusTime is the time spent in one status by the spells that ended in the period.
type StatusTime struct {
	Status string
	Spells int64
	Total  time.Duration
	Mean   time.Duration
}

// ResolutionTimes is how long cases took: to resolution (from creation, by final
// resolution), per bucket too; to first assignment (cases created in the period); and
// in each status.
type ResolutionTimes struct {
	Resolution      Stats
	Rows            []BandRow
	FirstAssignment Stats
	Statuses        []StatusTime
}

// ResolutionTimes computes the resolution times figure.
func (fg *Figures) ResolutionTimes(ctx context.Context, f docket.AnalyticsFilter) (*ResolutionTimes, error) {
	res, err := fg.Source.AnalyticsResolutionSamples(ctx, f.AnalyticsScope, f.From, f.To)
	if err != nil {
		return nil, err
	}
	asg, err := fg.Source.AnalyticsAssignmentSamples(ctx, f.AnalyticsScope, f.From, f.To)
	if err != nil {
		return nil, err
	}
	sts, err := fg.Source.AnalyticsStatusTimes(ctx, f.AnalyticsScope, f.From, f.To)
	if err != nil {
		return nil, err
	}
	spans := Cut(f)
	per := make([][]time.Duration, len(spans))
	all := make([]time.Duration, 0, len(res))
	for _, s := range res {
		all = append(all, s.D)
		if i := find(spans, time.Unix(0, int64(s.At))); i >= 0 {
			per[i] = append(per[i], s.D)
		}
	}
	out := &ResolutionTimes{Resolution: stats(all), FirstAssignment: stats(durations(asg))}
	for i, s := range spans {
		out.Rows = append(out.Rows, BandRow{Span: s, Stats: stats(per[i])})
	}
	for _, st := range sts {
		out.Statuses = append(out.Statuses, StatusTime{Status: st.Status, Spells: st.Spells, Total: st.Total,
			Mean: (st.Total / time.Duration(max(st.Spells, 1))).Truncate(time.Millisecond)})
	}
	return out, nil
}

func durations(samples []docket.AnalyticsSample) []time.Duration {
	out := make([]time.Duration, len(samples))
	for i, s := range samples {
		out[i] = s.D
	}
	return out
}

// SLARow is the SLA breaches in one bucket: deadlines that passed in it with the case
// not resolved by then.
type SLARow struct {
	Span
	Breaches int64
}

// SLA is how cases kept their SLAs: among the cases resolved in the period with an SLA,
// how many were resolved within it; breaches per bucket; open cases breached now.
type SLA struct {
	Resolved, WithSLA, WithinSLA int64
	Share                        *float64
	Rows                         []SLARow
	BreachedOpen                 int64
}

// SLA computes the SLA figure.
func (fg *Figures) SLA(ctx context.Context, f docket.AnalyticsFilter) (*SLA, error) {
	now := fg.now()
	res, err := fg.Source.AnalyticsResolutions(ctx, f.AnalyticsScope, f.From, f.To)
	if err != nil {
		return nil, err
	}
	counts, err := fg.Source.AnalyticsBreaches(ctx, f.AnalyticsScope, f.From, f.To, now)
	if err != nil {
		return nil, err
	}
	open, err := fg.Source.AnalyticsOpen(ctx, f.AnalyticsScope, now)
	if err != nil {
		return nil, err
	}
	out := &SLA{BreachedOpen: open.Breached}
	for _, r := range res {
		out.Resolved += r.Count
		out.WithSLA += r.WithSLA
		out.WithinSLA += r.WithinSLA
	}
	out.Share = share(out.WithinSLA, out.WithSLA)
	spans := Cut(f)
	for _, s := range spans {
		out.Rows = append(out.Rows, SLARow{Span: s})
	}
	for _, c := range counts {
		if i := find(spans, time.UnixMilli(c.Unit*int64(docket.AnalyticsUnit/time.Millisecond))); i >= 0 {
			out.Rows[i].Breaches += c.N
		}
	}
	return out, nil
}

// Resolutions is the resolution mix: cases resolved in the period per final resolution,
// most frequent first.
func (fg *Figures) Resolutions(ctx context.Context, f docket.AnalyticsFilter) ([]docket.AnalyticsResolution, error) {
	return fg.Source.AnalyticsResolutions(ctx, f.AnalyticsScope, f.From, f.To)
}

// Reviewer is one assignee's figures.
type Reviewer struct {
	docket.AnalyticsReviewer
	Median     time.Duration
	Compliance *float64
}

// Reviewers computes the per-reviewer figure: cases resolved in the period by their
// assignee, the median time to resolution, SLA compliance, and open cases assigned now.
func (fg *Figures) Reviewers(ctx context.Context, f docket.AnalyticsFilter) ([]Reviewer, error) {
	rs, err := fg.Source.AnalyticsReviewers(ctx, f.AnalyticsScope, f.From, f.To)
	if err != nil {
		return nil, err
	}
	res, err := fg.Source.AnalyticsResolutionSamples(ctx, f.AnalyticsScope, f.From, f.To)
	if err != nil {
		return nil, err
	}
	by := map[string][]time.Duration{}
	for _, s := range res {
		by[s.Who] = append(by[s.Who], s.D)
	}
	out := make([]Reviewer, len(rs))
	for i, r := range rs {
		out[i] = Reviewer{AnalyticsReviewer: r, Median: stats(by[r.UserID]).P50, Compliance: share(r.WithinSLA, r.WithSLA)}
	}
	slices.SortStableFunc(out, func(a, b Reviewer) int { return int(b.Resolved - a.Resolved) })
	return out, nil
}
