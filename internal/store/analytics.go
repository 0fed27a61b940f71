package store

// Reads for internal/analytics, from the facts kept by analytics_facts.go. Each query
// groups or filters on an indexed time column of case_facts or case_spells and returns
// aggregates (counts per quarter hour, sums per status) or, where an exact percentile
// needs them, one row per resolved case.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// scopeSQL returns the conditions that limit case_facts f to a scope.
func scopeSQL(sc docket.AnalyticsScope) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, vals ...any) { where, args = append(where, cond), append(args, vals...) }
	if sc.TemplateID != "" {
		add("f.template_id = ?", sc.TemplateID)
	}
	if sc.AssigneeID != "" {
		add("f.assignee_id = ?", sc.AssigneeID)
	}
	if sc.Resolution != "" {
		add("f.resolution = ?", sc.Resolution)
	}
	if sc.Tag != "" {
		add("EXISTS (SELECT 1 FROM case_tags tg WHERE tg.case_id = f.case_id AND tg.tag = ?)", sc.Tag)
	}
	if ids := sc.Visibility.HiddenTemplateIDs; len(ids) > 0 {
		add("f.template_id NOT IN ("+placeholders(len(ids))+")", anys(ids)...)
	}
	if sc.HideSARCases {
		add("NOT EXISTS (SELECT 1 FROM case_objects co WHERE co.case_id = f.case_id AND co.object_type = ?)", docket.KindSAR.Type)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(where, " AND "), args
}

// scoped reports whether the scope filters anything (so that spells need their facts).
func scoped(sc docket.AnalyticsScope) bool {
	cond, _ := scopeSQL(sc)
	return cond != ""
}

const unitMS = int64(docket.AnalyticsUnit / time.Millisecond)

// AnalyticsCounts counts, per quarter hour from from to to, the cases created, resolved
// and reopened (every resolution and reopening, from the spells).
func (s *Store) AnalyticsCounts(ctx context.Context, sc docket.AnalyticsScope, from, to time.Time) ([]docket.AnalyticsCount, error) {
	cond, args := scopeSQL(sc)
	unit := fmt.Sprint(unitMS)
	scan := scanCount
	created, err := queryAll(ctx, s.reader(), `SELECT f.created_at / `+unit+`, 'created', COUNT(*) FROM case_facts f
		WHERE f.created_at >= ? AND f.created_at < ?`+cond+` GROUP BY f.created_at / `+unit,
		append([]any{ms(from), ms(to)}, args...), scan)
	if err != nil {
		return nil, fmt.Errorf("analytics: count created cases: %w", err)
	}
	spells := `SELECT s.started_at / ` + unit + `, s.kind, COUNT(*) FROM case_spells s`
	if scoped(sc) {
		spells += ` JOIN case_facts f ON f.case_id = s.case_id`
	}
	spells += ` WHERE s.kind IN (?, ?) AND s.started_at >= ? AND s.started_at < ?` + cond + ` GROUP BY s.started_at / ` + unit + `, s.kind`
	moves, err := queryAll(ctx, s.reader(), spells, append([]any{spellResolved, spellReopened, ms(from), ms(to)}, args...), scan)
	if err != nil {
		return nil, fmt.Errorf("analytics: count resolutions: %w", err)
	}
	return append(created, moves...), nil
}

// AnalyticsBreaches counts, per quarter hour from from to to, the SLA breaches:
// deadlines passed before now with the case not resolved by then (by its final
// resolution).
func (s *Store) AnalyticsBreaches(ctx context.Context, sc docket.AnalyticsScope, from, to, now time.Time) ([]docket.AnalyticsCount, error) {
	cond, args := scopeSQL(sc)
	unit := fmt.Sprint(unitMS)
	out, err := queryAll(ctx, s.reader(), `SELECT f.sla_expires_at / `+unit+`, 'breached', COUNT(*) FROM case_facts f
		WHERE f.sla_expires_at >= ? AND f.sla_expires_at < ? AND f.sla_expires_at <= ?
		AND (f.resolved_at IS NULL OR f.resolved_at > f.sla_expires_at)`+cond+` GROUP BY f.sla_expires_at / `+unit,
		append([]any{ms(from), ms(to), ms(now)}, args...), scanCount)
	if err != nil {
		return nil, fmt.Errorf("analytics: count SLA breaches: %w", err)
	}
	return out, nil
}

func scanCount(r scanner) (docket.AnalyticsCount, error) {
	var c docket.AnalyticsCount
	return c, r.Scan(&c.Unit, &c.Kind, &c.N)
}

// AnalyticsOpen measures the open backlog now: its size, its ages from creation and the
// open cases whose SLA deadline has passed.
func (s *Store) AnalyticsOpen(ctx context.Context, sc docket.AnalyticsScope, now time.Time) (docket.AnalyticsOpen, error) {
	cond, args := scopeSQL(sc)
	day := int64(24 * time.Hour / time.Millisecond)
	n := ms(now)
	var o docket.AnalyticsOpen
	err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN f.created_at > ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN f.created_at <= ? AND f.created_at > ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN f.created_at <= ? AND f.created_at > ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN f.created_at <= ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN f.sla_expires_at <= ? THEN 1 ELSE 0 END), 0)
		FROM case_facts f WHERE f.resolved_at IS NULL`+cond,
		append([]any{n - day, n - day, n - 3*day, n - 3*day, n - 7*day, n - 7*day, n}, args...)...).
		Scan(&o.Total, &o.Ages[0], &o.Ages[1], &o.Ages[2], &o.Ages[3], &o.Breached)
	if err != nil {
		return o, fmt.Errorf("analytics: open backlog: %w", err)
	}
	return o, nil
}

func scanSample(r scanner) (docket.AnalyticsSample, error) {
	var at, d int64
	var who string
	err := r.Scan(&at, &d, &who)
	return docket.AnalyticsSample{At: time.Duration(at) * time.Millisecond, D: time.Duration(d) * time.Millisecond, Who: who}, err
}

// AnalyticsResolutionSamples returns, for each case whose final resolution falls in the
// period, when it was resolved and how long after its creation (reopenings included).
func (s *Store) AnalyticsResolutionSamples(ctx context.Context, sc docket.AnalyticsScope, from, to time.Time) ([]docket.AnalyticsSample, error) {
	cond, args := scopeSQL(sc)
	out, err := queryAll(ctx, s.reader(), `SELECT f.resolved_at, f.resolved_at - f.created_at, COALESCE(f.assignee_id, '')
		FROM case_facts f WHERE f.resolved_at >= ? AND f.resolved_at < ?`+cond, append([]any{ms(from), ms(to)}, args...), scanSample)
	if err != nil {
		return nil, fmt.Errorf("analytics: resolution times: %w", err)
	}
	return out, nil
}

// AnalyticsAssignmentSamples returns, for each case created in the period that was ever
// assigned, when it was created and how long its first assignment took.
func (s *Store) AnalyticsAssignmentSamples(ctx context.Context, sc docket.AnalyticsScope, from, to time.Time) ([]docket.AnalyticsSample, error) {
	cond, args := scopeSQL(sc)
	out, err := queryAll(ctx, s.reader(), `SELECT f.created_at, f.first_assigned_at - f.created_at, COALESCE(f.assignee_id, '')
		FROM case_facts f WHERE f.created_at >= ? AND f.created_at < ? AND f.first_assigned_at IS NOT NULL`+cond,
		append([]any{ms(from), ms(to)}, args...), scanSample)
	if err != nil {
		return nil, fmt.Errorf("analytics: first assignment times: %w", err)
	}
	return out, nil
}

// AnalyticsStatusTimes sums, per status, the spells that ended in the period.
func (s *Store) AnalyticsStatusTimes(ctx context.Context, sc docket.AnalyticsScope, from, to time.Time) ([]docket.AnalyticsStatusTime, error) {
	cond, args := scopeSQL(sc)
	q := `SELECT s.status, COUNT(*), SUM(s.ended_at - s.started_at) FROM case_spells s`
	if scoped(sc) {
		q += ` JOIN case_facts f ON f.case_id = s.case_id`
	}
	q += ` WHERE s.ended_at >= ? AND s.ended_at < ?` + cond + ` GROUP BY s.status ORDER BY s.status`
	out, err := queryAll(ctx, s.reader(), q, append([]any{ms(from), ms(to)}, args...), func(r scanner) (docket.AnalyticsStatusTime, error) {
		var st docket.AnalyticsStatusTime
		var total int64
		err := r.Scan(&st.Status, &st.Spells, &total)
		st.Total = time.Duration(total) * time.Millisecond
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: time in status: %w", err)
	}
	return out, nil
}

// slaSums counts, among the rows, those with an SLA and those resolved within it.
const slaSums = `COALESCE(SUM(CASE WHEN f.sla_expires_at IS NOT NULL THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN f.sla_expires_at IS NOT NULL AND f.resolved_at <= f.sla_expires_at THEN 1 ELSE 0 END), 0)`

// AnalyticsResolutions counts the cases whose final resolution falls in the period, per
// resolution, with their SLA compliance.
func (s *Store) AnalyticsResolutions(ctx context.Context, sc docket.AnalyticsScope, from, to time.Time) ([]docket.AnalyticsResolution, error) {
	cond, args := scopeSQL(sc)
	out, err := queryAll(ctx, s.reader(), `SELECT COALESCE(f.resolution, ''), COUNT(*), `+slaSums+`
		FROM case_facts f WHERE f.resolved_at >= ? AND f.resolved_at < ?`+cond+` GROUP BY f.resolution ORDER BY COUNT(*) DESC, f.resolution`,
		append([]any{ms(from), ms(to)}, args...), func(r scanner) (docket.AnalyticsResolution, error) {
			var x docket.AnalyticsResolution
			return x, r.Scan(&x.Resolution, &x.Count, &x.WithSLA, &x.WithinSLA)
		})
	if err != nil {
		return nil, fmt.Errorf("analytics: resolutions: %w", err)
	}
	return out, nil
}

// AnalyticsReviewers returns, per assignee, the cases resolved in the period (with
// their SLA compliance) and the open cases assigned to them now, ordered by email.
func (s *Store) AnalyticsReviewers(ctx context.Context, sc docket.AnalyticsScope, from, to time.Time) ([]docket.AnalyticsReviewer, error) {
	cond, args := scopeSQL(sc)
	out, err := queryAll(ctx, s.reader(), `SELECT u.id, u.email, u.name, COALESCE(r.n, 0), COALESCE(r.with_sla, 0),
		COALESCE(r.within, 0), COALESCE(o.n, 0)
		FROM users u
		LEFT JOIN (SELECT f.assignee_id, COUNT(*) AS n,
			SUM(CASE WHEN f.sla_expires_at IS NOT NULL THEN 1 ELSE 0 END) AS with_sla,
			SUM(CASE WHEN f.sla_expires_at IS NOT NULL AND f.resolved_at <= f.sla_expires_at THEN 1 ELSE 0 END) AS within
			FROM case_facts f WHERE f.resolved_at >= ? AND f.resolved_at < ? AND f.assignee_id IS NOT NULL`+cond+`
			GROUP BY f.assignee_id) r ON r.assignee_id = u.id
		LEFT JOIN (SELECT f.assignee_id, COUNT(*) AS n FROM case_facts f
			WHERE f.resolved_at IS NULL AND f.assignee_id IS NOT NULL`+cond+` GROUP BY f.assignee_id) o ON o.assignee_id = u.id
		WHERE r.n IS NOT NULL OR o.n IS NOT NULL ORDER BY u.email`,
		append(append([]any{ms(from), ms(to)}, args...), args...), func(r scanner) (docket.AnalyticsReviewer, error) {
			var x docket.AnalyticsReviewer
			return x, r.Scan(&x.UserID, &x.Email, &x.Name, &x.Resolved, &x.WithSLA, &x.WithinSLA, &x.OpenAssigned)
		})
	if err != nil {
		return nil, fmt.Errorf("analytics: reviewers: %w", err)
	}
	return out, nil
}
