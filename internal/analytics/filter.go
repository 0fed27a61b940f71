// Package analytics computes Docket's figures (volume, resolution times, SLA,
// resolution mix, per reviewer) from the facts the store keeps with every case event
// (docket.AnalyticsService), in buckets of a time zone the request names.
package analytics

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// Query parameters of every analytics request, in the API and on the dashboard.
const (
	ParamFrom       = "from"
	ParamTo         = "to"
	ParamBucket     = "bucket"
	ParamTimeZone   = "time-zone"
	ParamTemplate   = "filter[case-template-id]"
	ParamAssignee   = "filter[assignee-id]"
	ParamTag        = "filter[tag]"
	ParamResolution = "filter[resolution]"
	ParamFormat     = "format"
)

// Params lists the parameters Parse reads.
var Params = []string{ParamFrom, ParamTo, ParamBucket, ParamTimeZone, ParamTemplate, ParamAssignee, ParamTag, ParamResolution, ParamFormat}

// Buckets lists the bucket widths.
var Buckets = []string{docket.BucketDay, docket.BucketWeek, docket.BucketMonth}

// DefaultPeriod is the period of a request that names none: the last 30 days.
const DefaultPeriod = 30 * 24 * time.Hour

// MaxBuckets bounds the rows of one figure.
const MaxBuckets = 1000

// badParam is a mistake in one query parameter.
func badParam(param, format string, args ...any) *docket.Error {
	e := docket.Errorf(docket.EBadRequest, format, args...)
	e.Parameter = param
	return e
}

// Parse reads a request's parameters. The period is whole buckets: from goes back to
// the start of its bucket and to forward to the end of the bucket holding its last
// instant, so that every row covers a full day, week or month of the zone.
func Parse(q url.Values, now time.Time) (docket.AnalyticsFilter, error) {
	var f docket.AnalyticsFilter
	for k, vs := range q {
		if !slices.Contains(Params, k) {
			return f, badParam(k, "%s is not an analytics parameter (one of %s)", k, strings.Join(Params, ", "))
		}
		if len(vs) > 1 {
			return f, badParam(k, "%s is given %d times", k, len(vs))
		}
	}
	f.Location = time.UTC
	if tz := q.Get(ParamTimeZone); tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil || strings.EqualFold(tz, "local") {
			return f, badParam(ParamTimeZone, "%q is not a time zone name (such as Europe/Berlin or UTC)", tz)
		}
		f.Location = loc
	}
	f.Bucket = q.Get(ParamBucket)
	if f.Bucket == "" {
		f.Bucket = docket.BucketDay
	}
	if !slices.Contains(Buckets, f.Bucket) {
		return f, badParam(ParamBucket, "bucket must be one of %s", strings.Join(Buckets, ", "))
	}
	to, err := parseTime(q.Get(ParamTo), ParamTo, f.Location, now, true)
	if err != nil {
		return f, err
	}
	from, err := parseTime(q.Get(ParamFrom), ParamFrom, f.Location, to.Add(-DefaultPeriod), false)
	if err != nil {
		return f, err
	}
	if !from.Before(to) {
		return f, badParam(ParamFrom, "from must be before to")
	}
	f.From = BucketStart(from, f.Bucket, f.Location)
	f.To = BucketStart(to.Add(-time.Millisecond), f.Bucket, f.Location)
	f.To = NextBucket(f.To, f.Bucket)
	if n := len(Cut(f)); n > MaxBuckets {
		return f, badParam(ParamFrom, "the period holds %d buckets; at most %d (choose a wider bucket)", n, MaxBuckets)
	}
	f.TemplateID, f.AssigneeID = q.Get(ParamTemplate), q.Get(ParamAssignee)
	f.Tag, f.Resolution = q.Get(ParamTag), q.Get(ParamResolution)
	return f, nil
}

// parseTime reads a date (2026-03-01: midnight in loc; as the end of a period, the
// midnight after it, so that the day is included) or an RFC 3339 time.
func parseTime(s, param string, loc *time.Location, def time.Time, end bool) (time.Time, error) {
	if s == "" {
		return def, nil
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, badParam(param, "%s must be a date (2006-01-02) or an RFC 3339 time, not %q", param, s)
	}
	return t, nil
}

// BucketStart returns the start of the bucket holding t: local midnight, on a Monday
// for a week, on the 1st for a month.
func BucketStart(t time.Time, bucket string, loc *time.Location) time.Time {
	t = t.In(loc)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	switch bucket {
	case docket.BucketWeek:
		back := (int(d.Weekday()) + 6) % 7 // days since Monday
		d = d.AddDate(0, 0, -back)
	case docket.BucketMonth:
		d = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	}
	return d
}

// NextBucket returns the start of the bucket after the one starting at start (a day can
// be 23 or 25 hours long where clocks change).
func NextBucket(start time.Time, bucket string) time.Time {
	switch bucket {
	case docket.BucketWeek:
		return start.AddDate(0, 0, 7)
	case docket.BucketMonth:
		return start.AddDate(0, 1, 0)
	}
	return start.AddDate(0, 0, 1)
}

// Span is one bucket: [Start, End).
type Span struct{ Start, End time.Time }

// Cut returns the buckets of f's period, in order.
func Cut(f docket.AnalyticsFilter) []Span {
	var out []Span
	for s := f.From; s.Before(f.To) && len(out) <= MaxBuckets; {
		e := NextBucket(s, f.Bucket)
		out = append(out, Span{s, e})
		s = e
	}
	return out
}

// find returns the index of the bucket holding t, or -1.
func find(spans []Span, t time.Time) int {
	i, _ := slices.BinarySearchFunc(spans, t, func(s Span, t time.Time) int {
		switch {
		case !s.End.After(t):
			return -1
		case s.Start.After(t):
			return 1
		}
		return 0
	})
	if i < len(spans) && !spans[i].Start.After(t) && spans[i].End.After(t) {
		return i
	}
	return -1
}
