package analytics

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/docket-hq/docket"
)

// Table is a figure as rows of text: the CSV the API sends and the table the dashboard
// shows under each chart.
type Table struct {
	Header []string
	Rows   [][]string
}

// WriteCSV writes the table as CSV.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	return cw.Error()
}

// Seconds renders a duration as seconds with millisecond precision.
func Seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

// Ratio renders a share, or "" when there is none.
func Ratio(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', 4, 64)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func stamp(t time.Time) string { return t.Format(time.RFC3339) }

// Table returns the volume per bucket.
func (v *Volume) Table() *Table {
	t := &Table{Header: []string{"start", "end", "created", "resolved", "reopened", "backlog"}}
	for _, r := range v.Rows {
		t.Rows = append(t.Rows, []string{stamp(r.Start), stamp(r.End), itoa(r.Created), itoa(r.Resolved), itoa(r.Reopened), itoa(r.Backlog)})
	}
	return t
}

// AgeTable returns the open backlog's ages.
func (v *Volume) AgeTable() *Table {
	t := &Table{Header: []string{"age", "open"}}
	for i, b := range AgeBands {
		t.Rows = append(t.Rows, []string{b, itoa(v.Open.Ages[i])})
	}
	return t
}

// Table returns the resolution times per bucket, in seconds.
func (r *ResolutionTimes) Table() *Table {
	t := &Table{Header: []string{"start", "end", "resolved", "p50-seconds", "p75-seconds", "p95-seconds", "mean-seconds"}}
	for _, b := range r.Rows {
		t.Rows = append(t.Rows, []string{stamp(b.Start), stamp(b.End), strconv.Itoa(b.Count), Seconds(b.P50), Seconds(b.P75), Seconds(b.P95), Seconds(b.Mean)})
	}
	return t
}

// StatusTable returns the time spent in each status.
func (r *ResolutionTimes) StatusTable() *Table {
	t := &Table{Header: []string{"status", "spells", "total-seconds", "mean-seconds"}}
	for _, s := range r.Statuses {
		t.Rows = append(t.Rows, []string{s.Status, itoa(s.Spells), Seconds(s.Total), Seconds(s.Mean)})
	}
	return t
}

// Table returns the SLA breaches per bucket.
func (s *SLA) Table() *Table {
	t := &Table{Header: []string{"start", "end", "breaches"}}
	for _, r := range s.Rows {
		t.Rows = append(t.Rows, []string{stamp(r.Start), stamp(r.End), itoa(r.Breaches)})
	}
	return t
}

// ResolutionTable returns the resolution mix.
func ResolutionTable(rs []docket.AnalyticsResolution) *Table {
	t := &Table{Header: []string{"resolution", "count", "with-sla", "within-sla"}}
	for _, r := range rs {
		t.Rows = append(t.Rows, []string{r.Resolution, itoa(r.Count), itoa(r.WithSLA), itoa(r.WithinSLA)})
	}
	return t
}

// ReviewerTable returns the per-reviewer figures.
func ReviewerTable(rs []Reviewer) *Table {
	t := &Table{Header: []string{"user-id", "email", "resolved", "median-seconds", "with-sla", "within-sla", "sla-compliance", "open-assigned"}}
	for _, r := range rs {
		t.Rows = append(t.Rows, []string{r.UserID, r.Email, itoa(r.Resolved), Seconds(r.Median), itoa(r.WithSLA), itoa(r.WithinSLA),
			Ratio(r.Compliance), itoa(r.OpenAssigned)})
	}
	return t
}
