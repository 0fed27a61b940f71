package docket

import (
	"context"
	"time"
)

// Analytics buckets: the width of one row of a figure over time, in the time zone the
// request names (a day starts at local midnight, a week on Monday, a month on the 1st).
const (
	BucketDay   = "day"
	BucketWeek  = "week"
	BucketMonth = "month"
)

// AnalyticsScope says which cases a figure counts: the filters of the request and what
// the caller may see. Filters compare with a case's state now (its current assignee,
// its final resolution), so every figure of one request counts the same cases.
type AnalyticsScope struct {
	TemplateID string
	AssigneeID string
	Tag        string
	Resolution string
	// Visibility leaves out the templates the caller may not see; HideSARCases the cases
	// that hold a SAR, for a caller without SAR access.
	Visibility   Visibility
	HideSARCases bool
}

// AnalyticsFilter is one analytics request: the cases (scope) and the period, cut in
// buckets in Location. From is the start of the first bucket; To is exclusive.
type AnalyticsFilter struct {
	AnalyticsScope
	From, To time.Time
	Bucket   string
	Location *time.Location
}

// AnalyticsCount is how many things of a kind (created, resolved, reopened, breached)
// happened in one quarter hour (Unit: milliseconds since the epoch / 900,000). Every
// time zone's offset is a whole number of quarter hours, so the store groups once and
// any zone's buckets are sums of these.
type AnalyticsCount struct {
	Unit int64
	Kind string
	N    int64
}

// AnalyticsUnit is the length of the store's grouping unit.
const AnalyticsUnit = 15 * time.Minute

// AnalyticsSample is one duration (D) ending at At: a resolution, a first assignment.
type AnalyticsSample struct {
	At, D time.Duration // At: since the epoch
	Who   string        // the case's assignee id, for per-reviewer figures
}

// AnalyticsOpen is the open backlog now: its size, its ages and its breached cases.
type AnalyticsOpen struct {
	Total    int64
	Ages     [4]int64 // under 1 day, 1-3 days, 3-7 days, over 7 days
	Breached int64
}

// AnalyticsStatusTime is the time cases spent in one status: spells that ended in the
// period, every spell counted (a case back in a status again adds a spell).
type AnalyticsStatusTime struct {
	Status string
	Spells int64
	Total  time.Duration
}

// AnalyticsResolution is one resolution's count among cases resolved in the period,
// with how many had an SLA and how many of those were resolved within it.
type AnalyticsResolution struct {
	Resolution string
	Count      int64
	WithSLA    int64
	WithinSLA  int64
}

// AnalyticsReviewer is what the store knows of one assignee's cases: resolved in the
// period (with and within SLA) and open and assigned now.
type AnalyticsReviewer struct {
	UserID, Email, Name string
	Resolved            int64
	WithSLA, WithinSLA  int64
	OpenAssigned        int64
}

// AnalyticsService reads what the analytics figures are computed from (the store's
// case_facts and case_spells). Times are bounds in UTC; from inclusive, to exclusive.
type AnalyticsService interface {
	AnalyticsCounts(ctx context.Context, s AnalyticsScope, from, to time.Time) ([]AnalyticsCount, error)
	AnalyticsBreaches(ctx context.Context, s AnalyticsScope, from, to, now time.Time) ([]AnalyticsCount, error)
	AnalyticsOpen(ctx context.Context, s AnalyticsScope, now time.Time) (AnalyticsOpen, error)
	AnalyticsResolutionSamples(ctx context.Context, s AnalyticsScope, from, to time.Time) ([]AnalyticsSample, error)
	AnalyticsAssignmentSamples(ctx context.Context, s AnalyticsScope, from, to time.Time) ([]AnalyticsSample, error)
	AnalyticsStatusTimes(ctx context.Context, s AnalyticsScope, from, to time.Time) ([]AnalyticsStatusTime, error)
	AnalyticsResolutions(ctx context.Context, s AnalyticsScope, from, to time.Time) ([]AnalyticsResolution, error)
	AnalyticsReviewers(ctx context.Context, s AnalyticsScope, from, to time.Time) ([]AnalyticsReviewer, error)
}
