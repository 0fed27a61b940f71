package metrics

import (
	"context"
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/riverqueue/river"

	"github.com/docket-hq/docket/internal/store"
)

// JobEvents are the River events WatchJobs counts.
var JobEvents = []river.EventKind{river.EventKindJobCompleted, river.EventKindJobFailed,
	river.EventKindJobCancelled, river.EventKindJobSnoozed}

// WatchJobs counts the job events of a River subscription (to JobEvents) until the
// channel closes: each attempt's outcome, its wait in the queue and its run time.
func (m *Metrics) WatchJobs(events <-chan *river.Event) {
	for ev := range events {
		if ev.Job == nil {
			continue
		}
		kind := ev.Job.Kind
		m.jobs.WithLabelValues(kind, outcome(ev.Kind)).Inc()
		if ev.JobStats != nil {
			m.jobWait.WithLabelValues(kind).Observe(ev.JobStats.QueueWaitDuration.Seconds())
			m.jobRun.WithLabelValues(kind).Observe(ev.JobStats.RunDuration.Seconds())
		}
	}
}

func outcome(k river.EventKind) string {
	switch k {
	case river.EventKindJobCompleted:
		return "completed"
	case river.EventKindJobCancelled:
		return "cancelled"
	case river.EventKindJobSnoozed:
		return "snoozed"
	}
	return "failed"
}

// Store is what the scrape-time series read from storage.
type Store interface {
	JobCounts(ctx context.Context) ([]store.JobCount, error)
	Pools() map[string]*sql.DB
}

// WatchStore registers the series read from s when /metrics is scraped: the jobs waiting
// by kind and state (shared by every process: the queue is the database's), and this
// process's connection pools (database/sql's statistics, labelled by pool).
func (m *Metrics) WatchStore(s Store) error {
	if err := m.reg.Register(&queueDepth{store: s}); err != nil {
		return err
	}
	for name, db := range s.Pools() {
		c := collectors.NewDBStatsCollector(db, name)
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

var depthDesc = prometheus.NewDesc("docket_job_queue_depth",
	"Jobs not finished, by kind and state (available, scheduled, retryable, running), across all processes.",
	[]string{"kind", "state"}, nil)

var depthUp = prometheus.NewDesc("docket_job_queue_depth_up",
	"1 if the job queue could be read at the last scrape, 0 if the database did not answer.", nil, nil)

// queueDepth reads the queue at scrape time; a scrape waits at most two seconds for it.
type queueDepth struct{ store Store }

func (q *queueDepth) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc; ch <- depthUp }

func (q *queueDepth) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := q.store.JobCounts(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(depthUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(depthUp, prometheus.GaugeValue, 1)
	for _, c := range counts {
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(c.Count), c.Kind, c.State)
	}
}
