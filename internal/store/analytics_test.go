package store_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/analytics"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/storetest"
)

// analyticsHistory builds a history whose figures are counted by hand in
// TestAnalyticsFigures (times in UTC; New York is UTC-5 in these days):
//
//	A  created Mar 1 10:00, SLA 1 day; ada at 11:00; Pending 12:00; Open 14:00; Approved 16:00
//	B  created Mar 2 03:00 (Mar 1, 22:00 in New York), SLA 2 h; bob at 04:00; Declined 09:00;
//	   reopened (Open) 15:00; Approved Mar 3 03:00 (24 h after creation, SLA breached)
//	C  created Mar 2 12:00, SLA 1 h, never assigned, still open (breached)
//	D  created Mar 3 06:00, no SLA; ada at 08:00; Declined 10:00; redacted Mar 4 10:00
//	E  created Mar 3 07:00, SLA 10 days, tagged pep; bob at 07:30; open
//	F  created Mar 1 10:00 in a template only admins see; open
//
// The figures are read at Mar 5 13:00.
func analyticsHistory(t *testing.T, s *store.Store) (clock *fakeClock, secret *docket.CaseTemplate, ada, bob *docket.User) {
	t.Helper()
	clock = useFakeClock(s)
	ada, bob = mkUser(t, s, "ada@example.com"), mkUser(t, s, "bob@example.com")
	tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
	secret = mkTemplate(t, s, &docket.CaseTemplate{Name: "Secret", Key: "SEC", VisibleToRoles: []string{"admin"}})
	at := func(day, hour, min int) { clock.Set(time.Date(2025, 3, day, hour, min, 0, 0, time.UTC)) }
	sla := func(d time.Duration) *int64 { s := int64(d / time.Second); return &s }
	mk := func(tmpl *docket.CaseTemplate, d time.Duration, tags ...string) string {
		nc := docket.NewCase{TemplateID: tmpl.ID, Tags: tags}
		if d > 0 {
			nc.SLAExpiresInSecond = sla(d)
		}
		return mkCase(t, s, nc).ID
	}
	status := func(id, st string) { caseOK(t)(s.SetCaseStatus(ctx, apiActor, id, st)) }
	assign := func(id, email string) { caseOK(t)(s.AssignCase(ctx, apiActor, id, email)) }

	at(1, 10, 0)
	a := mk(tm, 24*time.Hour)
	mk(secret, 0)
	at(1, 11, 0)
	assign(a, ada.Email)
	at(1, 12, 0)
	status(a, docket.DefaultStatusPending)
	at(1, 14, 0)
	status(a, docket.DefaultStatusOpen)
	at(1, 16, 0)
	status(a, docket.DefaultStatusApproved)

	at(2, 3, 0)
	b := mk(tm, 2*time.Hour)
	at(2, 4, 0)
	assign(b, bob.Email)
	at(2, 9, 0)
	status(b, docket.DefaultStatusDeclined)
	at(2, 12, 0)
	mk(tm, time.Hour)
	at(2, 15, 0)
	status(b, docket.DefaultStatusOpen)
	at(3, 3, 0)
	status(b, docket.DefaultStatusApproved)

	at(3, 6, 0)
	d := mk(tm, 0)
	at(3, 7, 0)
	e := mk(tm, 10*24*time.Hour, "pep")
	at(3, 7, 30)
	assign(e, bob.Email)
	at(3, 8, 0)
	assign(d, ada.Email)
	at(3, 10, 0)
	status(d, docket.DefaultStatusDeclined)
	at(4, 10, 0)
	caseOK(t)(s.RedactCase(ctx, apiActor, d))
	at(5, 13, 0)
	return clock, secret, ada, bob
}

func TestAnalyticsFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dbURL string) {
		s := openStore(t, dbURL)
		clock, secret, ada, bob := analyticsHistory(t, s)
		fg := &analytics.Figures{Source: s, Now: clock.Now}
		hidden := docket.Visibility{HiddenTemplateIDs: []string{secret.ID}}
		parse := func(q string, vis docket.Visibility) docket.AnalyticsFilter {
			t.Helper()
			v, err := url.ParseQuery(q)
			noErr(t, err)
			f, err := analytics.Parse(v, clock.Now())
			noErr(t, err)
			f.Visibility = vis
			return f
		}
		// The facts kept event by event, then recomputed by the migration's backfill:
		// both must give the hand-counted figures.
		for _, mode := range []string{"kept", "backfilled"} {
			if mode == "backfilled" {
				noErr(t, s.BackfillAnalytics(ctx))
			}
			t.Run(mode, func(t *testing.T) { checkAnalytics(t, fg, parse, secret, ada, bob, hidden) })
		}
	})
}

func checkAnalytics(t *testing.T, fg *analytics.Figures, parse func(string, docket.Visibility) docket.AnalyticsFilter,
	secret *docket.CaseTemplate, ada, bob *docket.User, hidden docket.Visibility) {
	ny := "from=2025-03-01&to=2025-03-03&time-zone=America/New_York"
	h := time.Hour

	t.Run("volume in New York days", func(t *testing.T) {
		v := must[*analytics.Volume](t)(fg.Volume(ctx, parse(ny, hidden)))
		wantTable(t, v.Table(), [][]string{
			{"2025-03-01T00:00:00-05:00", "2025-03-02T00:00:00-05:00", "2", "1", "0", "1"},
			{"2025-03-02T00:00:00-05:00", "2025-03-03T00:00:00-05:00", "1", "2", "1", "1"},
			{"2025-03-03T00:00:00-05:00", "2025-03-04T00:00:00-05:00", "2", "1", "0", "2"},
		})
		wantJSON(t, "open", v.Open, `{"Total":2,"Ages":[0,1,1,0],"Breached":1}`)
	})
	t.Run("volume in UTC days splits at UTC midnight", func(t *testing.T) {
		v := must[*analytics.Volume](t)(fg.Volume(ctx, parse("from=2025-03-01&to=2025-03-03", hidden)))
		wantTable(t, v.Table(), [][]string{
			{"2025-03-01T00:00:00Z", "2025-03-02T00:00:00Z", "1", "1", "0", "0"},
			{"2025-03-02T00:00:00Z", "2025-03-03T00:00:00Z", "2", "1", "1", "2"},
			{"2025-03-03T00:00:00Z", "2025-03-04T00:00:00Z", "2", "2", "0", "2"},
		})
	})
	t.Run("hidden template counts only for who may see it", func(t *testing.T) {
		v := must[*analytics.Volume](t)(fg.Volume(ctx, parse(ny, docket.Visibility{})))
		if v.Rows[0].Created != 3 || v.Open.Total != 3 || v.Rows[0].Backlog != 2 {
			t.Fatalf("with the secret template: %+v, open %+v", v.Rows[0], v.Open)
		}
	})
	t.Run("resolution times", func(t *testing.T) {
		r := must[*analytics.ResolutionTimes](t)(fg.ResolutionTimes(ctx, parse(ny, hidden)))
		wantJSON(t, "resolution", r.Resolution, jsonText(t, analytics.Stats{Count: 3, P50: 6 * h, P75: 24 * h, P95: 24 * h, Mean: 11*h + 20*time.Minute}))
		wantJSON(t, "first assignment", r.FirstAssignment, jsonText(t, analytics.Stats{Count: 4, P50: h, P75: h, P95: 2 * h, Mean: h + 7*time.Minute + 30*time.Second}))
		wantTable(t, r.Table(), [][]string{
			{"2025-03-01T00:00:00-05:00", "2025-03-02T00:00:00-05:00", "1", "21600", "21600", "21600", "21600"},
			{"2025-03-02T00:00:00-05:00", "2025-03-03T00:00:00-05:00", "1", "86400", "86400", "86400", "86400"},
			{"2025-03-03T00:00:00-05:00", "2025-03-04T00:00:00-05:00", "1", "14400", "14400", "14400", "14400"},
		})
		wantTable(t, r.StatusTable(), [][]string{
			{"Declined", "1", "21600", "21600"},
			{"Open", "5", "93600", "18720"},
			{"Pending", "1", "7200", "7200"},
		})
	})
	t.Run("SLA", func(t *testing.T) {
		sl := must[*analytics.SLA](t)(fg.SLA(ctx, parse(ny, hidden)))
		if sl.Resolved != 3 || sl.WithSLA != 2 || sl.WithinSLA != 1 || *sl.Share != 0.5 || sl.BreachedOpen != 1 {
			t.Fatalf("SLA: %+v", sl)
		}
		wantTable(t, sl.Table(), [][]string{
			{"2025-03-01T00:00:00-05:00", "2025-03-02T00:00:00-05:00", "0"},
			{"2025-03-02T00:00:00-05:00", "2025-03-03T00:00:00-05:00", "2"},
			{"2025-03-03T00:00:00-05:00", "2025-03-04T00:00:00-05:00", "0"},
		})
	})
	t.Run("resolution mix", func(t *testing.T) {
		rs := must[[]docket.AnalyticsResolution](t)(fg.Resolutions(ctx, parse(ny, hidden)))
		wantTable(t, analytics.ResolutionTable(rs), [][]string{{"Approved", "2", "2", "1"}, {"Declined", "1", "0", "0"}})
	})
	t.Run("reviewers", func(t *testing.T) {
		rs := must[[]analytics.Reviewer](t)(fg.Reviewers(ctx, parse(ny, hidden)))
		wantTable(t, analytics.ReviewerTable(rs), [][]string{
			{ada.ID, ada.Email, "2", "14400", "1", "1", "1.0000", "0"},
			{bob.ID, bob.Email, "1", "86400", "1", "0", "0.0000", "1"},
		})
	})
	t.Run("filters", func(t *testing.T) {
		v := must[*analytics.Volume](t)(fg.Volume(ctx, parse(ny+"&filter[tag]=pep", hidden)))
		if got := []int64{v.Rows[0].Created, v.Rows[1].Created, v.Rows[2].Created, v.Open.Total}; jsonText(t, got) != "[0,0,1,1]" {
			t.Fatalf("tag pep: %v", got)
		}
		rs := must[[]docket.AnalyticsResolution](t)(fg.Resolutions(ctx, parse(ny+"&filter[resolution]=Declined", hidden)))
		wantTable(t, analytics.ResolutionTable(rs), [][]string{{"Declined", "1", "0", "0"}})
		r := must[*analytics.ResolutionTimes](t)(fg.ResolutionTimes(ctx, parse(ny+"&filter[assignee-id]="+bob.ID, hidden)))
		if r.Resolution.Count != 1 || r.Resolution.P50 != 24*h {
			t.Fatalf("bob's resolution times: %+v", r.Resolution)
		}
		rs = must[[]docket.AnalyticsResolution](t)(fg.Resolutions(ctx, parse(ny+"&filter[case-template-id]="+secret.ID, hidden)))
		if len(rs) != 0 {
			t.Fatalf("hidden template's resolutions: %+v", rs)
		}
	})
	t.Run("week and month buckets", func(t *testing.T) {
		v := must[*analytics.Volume](t)(fg.Volume(ctx, parse("from=2025-03-01&to=2025-03-03&bucket=week&time-zone=America/New_York", hidden)))
		wantTable(t, v.Table(), [][]string{
			{"2025-02-24T00:00:00-05:00", "2025-03-03T00:00:00-05:00", "3", "3", "1", "1"},
			{"2025-03-03T00:00:00-05:00", "2025-03-10T00:00:00-04:00", "2", "1", "0", "2"},
		})
		v = must[*analytics.Volume](t)(fg.Volume(ctx, parse("from=2025-03-01&to=2025-03-03&bucket=month", hidden)))
		wantTable(t, v.Table(), [][]string{{"2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", "5", "4", "1", "2"}})
	})
}

func wantTable(t *testing.T, tb *analytics.Table, want [][]string) {
	t.Helper()
	if g, w := jsonText(t, tb.Rows), jsonText(t, want); g != w {
		t.Fatalf("table %v:\n got %s\nwant %s", tb.Header, g, w)
	}
}
