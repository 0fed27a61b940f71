package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/analytics"
)

// analyticsFigure computes one figure as a document's attributes and as the table its
// CSV carries.
type analyticsFigure func(ctx context.Context, fg *analytics.Figures, f docket.AnalyticsFilter) (obj, *analytics.Table, error)

// analyticsFigures are the figures served under /api/v1/analytics/{name}.
var analyticsFigures = map[string]analyticsFigure{
	"volume":           volumeFigure,
	"resolution-times": resolutionTimesFigure,
	"sla":              slaFigure,
	"resolutions":      resolutionsFigure,
	"reviewers":        reviewersFigure,
}

// getAnalytics answers one figure over the period and filters of the query, counting
// only the cases the caller may see: as a JSON:API document, or as CSV when the caller
// asks for text/csv (Accept) or format=csv.
func (s *Server) getAnalytics(name string) handlerFunc {
	figure := analyticsFigures[name]
	return func(w http.ResponseWriter, r *http.Request) error {
		q := r.URL.Query()
		format := q.Get(analytics.ParamFormat)
		if format != "" && format != "csv" && format != "json" {
			return badParam(analytics.ParamFormat, "format is csv or json")
		}
		f, err := analytics.Parse(q, time.Now())
		if err != nil {
			return err
		}
		if f.Visibility, err = s.visibility(r); err != nil {
			return err
		}
		f.HideSARCases = !principal(r).Can(docket.PermReadSARs)
		attrs, table, err := figure(r.Context(), &analytics.Figures{Source: s.store}, f)
		if err != nil {
			return err
		}
		if format == "csv" || (format == "" && strings.Contains(r.Header.Get("Accept"), "text/csv")) {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
			return table.WriteCSV(w)
		}
		writeJSON(w, r, http.StatusOK, obj{
			"data": obj{"type": "analytics", "id": name, "attributes": attrs},
			"meta": obj{"from": f.From, "to": f.To, "bucket": f.Bucket, "time-zone": f.Location.String()},
		})
		return nil
	}
}

func seconds(d time.Duration) float64 { return d.Seconds() }

func statsDoc(st analytics.Stats) obj {
	return obj{"count": st.Count, "p50-seconds": seconds(st.P50), "p75-seconds": seconds(st.P75),
		"p95-seconds": seconds(st.P95), "mean-seconds": seconds(st.Mean)}
}

func volumeFigure(ctx context.Context, fg *analytics.Figures, f docket.AnalyticsFilter) (obj, *analytics.Table, error) {
	v, err := fg.Volume(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]obj, len(v.Rows))
	for i, r := range v.Rows {
		rows[i] = obj{"start": r.Start, "end": r.End, "created": r.Created, "resolved": r.Resolved, "reopened": r.Reopened, "backlog": r.Backlog}
	}
	ages := make([]obj, len(analytics.AgeBands))
	for i, b := range analytics.AgeBands {
		ages[i] = obj{"age": b, "open": v.Open.Ages[i]}
	}
	return obj{"buckets": rows, "open": v.Open.Total, "open-breached": v.Open.Breached, "open-ages": ages}, v.Table(), nil
}

func resolutionTimesFigure(ctx context.Context, fg *analytics.Figures, f docket.AnalyticsFilter) (obj, *analytics.Table, error) {
	rt, err := fg.ResolutionTimes(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]obj, len(rt.Rows))
	for i, r := range rt.Rows {
		rows[i] = statsDoc(r.Stats)
		rows[i]["start"], rows[i]["end"] = r.Start, r.End
	}
	sts := make([]obj, len(rt.Statuses))
	for i, st := range rt.Statuses {
		sts[i] = obj{"status": st.Status, "spells": st.Spells, "total-seconds": seconds(st.Total), "mean-seconds": seconds(st.Mean)}
	}
	return obj{"resolution": statsDoc(rt.Resolution), "first-assignment": statsDoc(rt.FirstAssignment),
		"buckets": rows, "statuses": sts}, rt.Table(), nil
}

func slaFigure(ctx context.Context, fg *analytics.Figures, f docket.AnalyticsFilter) (obj, *analytics.Table, error) {
	sl, err := fg.SLA(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]obj, len(sl.Rows))
	for i, r := range sl.Rows {
		rows[i] = obj{"start": r.Start, "end": r.End, "breaches": r.Breaches}
	}
	return obj{"resolved": sl.Resolved, "with-sla": sl.WithSLA, "within-sla": sl.WithinSLA, "share-within-sla": sl.Share,
		"breached-open": sl.BreachedOpen, "buckets": rows}, sl.Table(), nil
}

func resolutionsFigure(ctx context.Context, fg *analytics.Figures, f docket.AnalyticsFilter) (obj, *analytics.Table, error) {
	rs, err := fg.Resolutions(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]obj, len(rs))
	for i, r := range rs {
		rows[i] = obj{"resolution": r.Resolution, "count": r.Count, "with-sla": r.WithSLA, "within-sla": r.WithinSLA}
	}
	return obj{"resolutions": rows}, analytics.ResolutionTable(rs), nil
}

func reviewersFigure(ctx context.Context, fg *analytics.Figures, f docket.AnalyticsFilter) (obj, *analytics.Table, error) {
	rs, err := fg.Reviewers(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]obj, len(rs))
	for i, r := range rs {
		rows[i] = obj{"user-id": r.UserID, "email": r.Email, "name": r.Name, "resolved": r.Resolved,
			"median-seconds": seconds(r.Median), "with-sla": r.WithSLA, "within-sla": r.WithinSLA,
			"sla-compliance": r.Compliance, "open-assigned": r.OpenAssigned}
	}
	return obj{"reviewers": rows}, analytics.ReviewerTable(rs), nil
}
