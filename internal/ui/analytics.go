package ui

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/analytics"
)

// analyticsData is the analytics page: the filter form and one chart with its table per
// figure.
type analyticsData struct {
	Form      analyticsForm
	Templates []*docket.CaseTemplate
	Users     []*docket.User
	Zones     []string
	Buckets   []string
	Figures   bool // false when the filters were refused
	Volume    *chart
	Backlog   *chart
	Times     *chart
	SLA       *chart
	Mix       *chart
	Tables    map[string]*uiTable
	Open      docket.AnalyticsOpen
	Ages      []ageRow
	Share     string
	Resolved  analytics.Stats
	FirstAsg  analytics.Stats
	SLAFigure *analytics.SLA
}

// analyticsForm holds the filters as the form shows them.
type analyticsForm struct {
	From, To, Bucket, TimeZone, Template, Assignee, Tag, Resolution string
}

type ageRow struct {
	Band  string
	Count int64
}

// uiTable is a figure's table as the page shows it: bucket bounds as one period label,
// seconds as readable durations.
type uiTable struct {
	Header []string
	Rows   [][]string
	Num    []bool // right-aligned columns
}

// commonZones are offered beside the free text time zone field.
var commonZones = []string{"UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago",
	"America/Los_Angeles", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney"}

// analyticsPage shows the analytics figures to managers and admins, over the cases they
// may see. The filters are a GET form, so that a view is a link.
func (h *Handler) analyticsPage(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermReadAnalytics)
	if err != nil {
		return err
	}
	d := &analyticsData{Zones: commonZones, Buckets: analytics.Buckets, Tables: map[string]*uiTable{}}
	for _, t := range a.Templates {
		if !a.Vis.Hides(t.ID) {
			d.Templates = append(d.Templates, t)
		}
	}
	slices.SortFunc(d.Templates, func(x, y *docket.CaseTemplate) int { return strings.Compare(x.Name, y.Name) })
	if d.Users, err = h.pickerUsers(r.Context()); err != nil {
		return err
	}
	q := r.URL.Query()
	d.Form = analyticsForm{From: q.Get(analytics.ParamFrom), To: q.Get(analytics.ParamTo), Bucket: q.Get(analytics.ParamBucket),
		TimeZone: q.Get(analytics.ParamTimeZone), Template: q.Get(analytics.ParamTemplate), Assignee: q.Get(analytics.ParamAssignee),
		Tag: q.Get(analytics.ParamTag), Resolution: q.Get(analytics.ParamResolution)}
	v := &View{Title: "Analytics", Nav: "analytics", Data: d}
	f, err := analytics.Parse(q, time.Now())
	var de *docket.Error
	if errors.As(err, &de) && de.Parameter != "" {
		v.Errors = map[string]string{de.Parameter: de.Message}
		return h.render(w, r, http.StatusUnprocessableEntity, "analytics", v)
	}
	if err != nil {
		return err
	}
	f.Visibility, f.HideSARCases = a.Vis, !a.P.Can(docket.PermReadSARs)
	if d.Form.From == "" {
		d.Form.From = f.From.In(f.Location).Format(time.DateOnly)
	}
	if d.Form.To == "" {
		d.Form.To = f.To.Add(-time.Millisecond).In(f.Location).Format(time.DateOnly)
	}
	if err := h.analyticsFigures(r.Context(), f, d); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "analytics", v)
}

// analyticsFigures computes the five figures side by side and draws them.
func (h *Handler) analyticsFigures(ctx context.Context, f docket.AnalyticsFilter, d *analyticsData) error {
	fg := &analytics.Figures{Source: h.store}
	var (
		vol   *analytics.Volume
		times *analytics.ResolutionTimes
		sla   *analytics.SLA
		mix   []docket.AnalyticsResolution
		revs  []analytics.Reviewer
		wg    sync.WaitGroup
		errs  [5]error
	)
	for i, fn := range []func() error{
		func() (err error) { vol, err = fg.Volume(ctx, f); return },
		func() (err error) { times, err = fg.ResolutionTimes(ctx, f); return },
		func() (err error) { sla, err = fg.SLA(ctx, f); return },
		func() (err error) { mix, err = fg.Resolutions(ctx, f); return },
		func() (err error) { revs, err = fg.Reviewers(ctx, f); return },
	} {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = fn() }()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	d.Figures = true
	labels := bucketLabels(f, len(vol.Rows))
	var created, resolved, reopened, backlog []float64
	for _, r := range vol.Rows {
		created, resolved = append(created, float64(r.Created)), append(resolved, float64(r.Resolved))
		reopened, backlog = append(reopened, float64(r.Reopened)), append(backlog, float64(r.Backlog))
	}
	d.Volume = lineChart("Cases created, resolved and reopened", labels,
		[]series{{"s-created", "Created", created}, {"s-resolved", "Resolved", resolved}, {"s-reopened", "Reopened", reopened}}, axisCount)
	d.Backlog = lineChart("Open backlog at the end of each "+f.Bucket, labels, []series{{"s-backlog", "Open", backlog}}, axisCount)
	var p50, p75, p95 []float64
	for _, b := range times.Rows {
		p50, p75, p95 = append(p50, b.P50.Hours()), append(p75, b.P75.Hours()), append(p95, b.P95.Hours())
	}
	d.Times = bandChart("Time to resolution: p50 to p95", labels, p50, p75, p95, hours)
	var breaches []float64
	for _, b := range sla.Rows {
		breaches = append(breaches, float64(b.Breaches))
	}
	d.SLA = lineChart("SLA breaches", labels, []series{{"s-breach", "Breaches", breaches}}, axisCount)
	var mixLabels []string
	var mixValues []float64
	for _, m := range mix {
		mixLabels, mixValues = append(mixLabels, m.Resolution), append(mixValues, float64(m.Count))
	}
	d.Mix = barChart("Resolutions", mixLabels, mixValues)
	d.Open, d.Resolved, d.FirstAsg, d.SLAFigure = vol.Open, times.Resolution, times.FirstAssignment, sla
	for i, b := range analytics.AgeBands {
		d.Ages = append(d.Ages, ageRow{b, vol.Open.Ages[i]})
	}
	if sla.Share != nil {
		d.Share = strconv.FormatFloat(*sla.Share*100, 'f', 1, 64) + "%"
	}
	d.Tables["volume"] = periodTable(vol.Table(), labels)
	d.Tables["times"] = periodTable(times.Table(), labels)
	d.Tables["statuses"] = periodTable(times.StatusTable(), nil)
	d.Tables["sla"] = periodTable(sla.Table(), labels)
	d.Tables["mix"] = periodTable(analytics.ResolutionTable(mix), nil)
	d.Tables["reviewers"] = periodTable(analytics.ReviewerTable(revs), nil)
	return nil
}

// bucketLabels names the buckets in the request's zone: "Mon 2 Mar", "w/c 2 Mar", "Mar 2026".
func bucketLabels(f docket.AnalyticsFilter, n int) []string {
	spans := analytics.Cut(f)
	out := make([]string, 0, n)
	for _, s := range spans[:n] {
		t := s.Start.In(f.Location)
		switch f.Bucket {
		case docket.BucketMonth:
			out = append(out, t.Format("Jan 2006"))
		case docket.BucketWeek:
			out = append(out, "w/c "+t.Format("2 Jan"))
		default:
			out = append(out, t.Format("Mon 2 Jan"))
		}
	}
	return out
}

// textColumns are the columns of words, left-aligned; the others hold numbers.
var textColumns = []string{"status", "resolution", "email", "age"}

// periodTable turns a figure's table into the page's: the start and end columns become
// one period label, seconds readable durations, ratios percentages; the user id goes.
func periodTable(t *analytics.Table, labels []string) *uiTable {
	out := &uiTable{}
	skip := map[int]bool{}
	for i, h := range t.Header {
		switch {
		case h == "start" && labels != nil:
			out.Header = append(out.Header, "Period")
			out.Num = append(out.Num, false)
		case h == "end" || h == "user-id":
			skip[i] = true
		default:
			name := strings.ReplaceAll(strings.TrimSuffix(h, "-seconds"), "-", " ")
			name = strings.Replace(name, "sla", "SLA", 1)
			out.Header = append(out.Header, strings.ToUpper(name[:1])+name[1:])
			out.Num = append(out.Num, !slices.Contains(textColumns, h))
		}
	}
	for ri, row := range t.Rows {
		var cells []string
		for i, c := range row {
			switch {
			case skip[i]:
				continue
			case t.Header[i] == "start" && labels != nil:
				c = labels[ri]
			case strings.HasSuffix(t.Header[i], "-seconds"):
				c = humanSeconds(c)
			case t.Header[i] == "sla-compliance" && c != "":
				v, _ := strconv.ParseFloat(c, 64)
				c = strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
			}
			cells = append(cells, c)
		}
		out.Rows = append(out.Rows, cells)
	}
	return out
}

// humanSeconds shows a number of seconds as days, hours and minutes.
func humanSeconds(s string) string {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return humanDuration(time.Duration(v * float64(time.Second)))
}

func humanDuration(d time.Duration) string {
	switch {
	case d == 0:
		return "–"
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + "m"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + "h " + strconv.Itoa(int(d.Minutes())%60) + "m"
	}
	return strconv.Itoa(int(d.Hours()/24)) + "d " + strconv.Itoa(int(d.Hours())%24) + "h"
}
