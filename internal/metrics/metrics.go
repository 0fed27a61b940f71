// Package metrics counts what Docket does, for Prometheus (GET /metrics): requests by
// route and status, jobs by kind, webhook deliveries, workflow runs and steps, SLA
// breaches, cases created and resolved, and the database pools. It counts from what the
// other parts already report: the access log's entries (requests), the events the store
// tells it about after each commit (cases, SLA, workflow runs), River's job events, and
// the delivery attempts the webhook deliverer records. Nothing is counted twice and no
// feature knows metrics exist.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/docket-hq/docket"
)

// Metrics holds one process's series, in a registry of its own (not the global one: tests
// run several servers in one process).
type Metrics struct {
	reg *prometheus.Registry

	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	jobs            *prometheus.CounterVec
	jobWait         *prometheus.HistogramVec
	jobRun          *prometheus.HistogramVec
	deliveries      *prometheus.CounterVec
	deliveryLatency *prometheus.HistogramVec
	runs            *prometheus.CounterVec
	stepDuration    *prometheus.HistogramVec
	slaBreaches     prometheus.Counter
	casesCreated    prometheus.Counter
	casesResolved   prometheus.Counter
}

// New returns the metrics with the Go runtime's and the process's collectors registered.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	f := func(c prometheus.Collector) { m.reg.MustRegister(c) }
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "docket_http_requests_total",
		Help: "HTTP requests served, by source (api, dashboard), method, route pattern and status."},
		[]string{"source", "method", "route", "status"})
	m.requestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "docket_http_request_duration_seconds",
		Help: "Time to serve an HTTP request, by source, method, route pattern and status.", Buckets: prometheus.DefBuckets},
		[]string{"source", "method", "route", "status"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "docket_jobs_total",
		Help: "Background job attempts finished by this process, by kind and outcome (completed, failed, cancelled, snoozed)."},
		[]string{"kind", "outcome"})
	m.jobWait = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "docket_job_queue_wait_seconds",
		Help: "Time a job waited, available, before a worker started it, by kind.", Buckets: prometheus.DefBuckets}, []string{"kind"})
	m.jobRun = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "docket_job_run_seconds",
		Help: "Time a job attempt ran, by kind.", Buckets: prometheus.DefBuckets}, []string{"kind"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "docket_webhook_deliveries_total",
		Help: "Webhook delivery attempts, by outcome (succeeded, failed)."}, []string{"outcome"})
	m.deliveryLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "docket_webhook_delivery_duration_seconds",
		Help: "Time a webhook delivery attempt took, by outcome.", Buckets: prometheus.DefBuckets}, []string{"outcome"})
	m.runs = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "docket_workflow_runs_total",
		Help: "Workflow runs started (created) and ended (completed, errored)."}, []string{"outcome"})
	m.stepDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "docket_workflow_step_duration_seconds",
		Help: "Time a workflow step took, by step type and status, counted when its run ends.", Buckets: prometheus.DefBuckets},
		[]string{"type", "status"})
	m.slaBreaches = prometheus.NewCounter(prometheus.CounterOpts{Name: "docket_sla_breaches_total",
		Help: "Cases whose SLA expired (case.sla-expired events)."})
	m.casesCreated = prometheus.NewCounter(prometheus.CounterOpts{Name: "docket_cases_created_total", Help: "Cases created."})
	m.casesResolved = prometheus.NewCounter(prometheus.CounterOpts{Name: "docket_cases_resolved_total", Help: "Cases resolved."})
	for _, c := range []prometheus.Collector{m.requests, m.requestDuration, m.jobs, m.jobWait, m.jobRun, m.deliveries,
		m.deliveryLatency, m.runs, m.stepDuration, m.slaBreaches, m.casesCreated, m.casesResolved} {
		f(c)
	}
	return m
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Register adds a collector of series read at scrape time (queue depth, pools).
func (m *Metrics) Register(c prometheus.Collector) error { return m.reg.Register(c) }

// ObserveRequest counts one request from its access log entry (accesslog.Config.Observe).
// The route is the pattern, never the path, so the number of series stays bounded.
func (m *Metrics) ObserveRequest(e *docket.AccessLogEntry) {
	if m == nil {
		return
	}
	route := e.Route
	if route == "" {
		route = "unmatched"
	}
	l := prometheus.Labels{"source": e.Source, "method": e.Method, "route": route, "status": strconv.Itoa(e.Status)}
	m.requests.With(l).Inc()
	m.requestDuration.With(l).Observe(e.Duration.Seconds())
}

// ObserveDelivery counts one webhook delivery attempt.
func (m *Metrics) ObserveDelivery(succeeded bool, latency time.Duration) {
	outcome := "failed"
	if succeeded {
		outcome = "succeeded"
	}
	m.deliveries.WithLabelValues(outcome).Inc()
	m.deliveryLatency.WithLabelValues(outcome).Observe(latency.Seconds())
}
