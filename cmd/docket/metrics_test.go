package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/docket-hq/docket/internal/storetest"
)

// scrape reads /metrics with Prometheus' own text parser, which refuses anything that
// promtool would.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET /metrics: %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// sample sums the series of a family whose labels include want (counters, gauges, and
// histograms' counts).
func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	var sum float64
	f := fams[name]
	if f == nil {
		return 0
	}
next:
	for _, m := range f.Metric {
		got := map[string]string{}
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if got[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		}
	}
	return sum
}

// TestMetrics: with DOCKET_METRICS set, /metrics parses as Prometheus text and its series
// move with what the server does: requests by route, cases created and resolved, a
// workflow run and its step, a webhook delivery and its job, an SLA breach, the queue
// and the pools. Without the setting there is no /metrics.
func TestMetrics(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		off := startServerEnv(t, storetest.SQLiteURL(t), nil)
		// Without it, /metrics is just a dashboard path (the sign-in page).
		if resp, err := http.Get(off.base + "/metrics"); err != nil || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
			t.Fatalf("metrics served without DOCKET_METRICS: %v %v", resp, err)
		} else {
			resp.Body.Close()
		}

		env := webhookEnv("DOCKET_METRICS", "1", "DOCKET_SLA_CHECK_INTERVAL", "100ms")
		s := startServerEnv(t, dbURL, env)
		before := scrape(t, s.base)
		for _, name := range []string{"docket_job_queue_depth_up", "go_goroutines"} {
			if before[name] == nil {
				t.Fatalf("no %s in /metrics", name)
			}
		}
		if sample(before, "go_sql_open_connections", nil) == 0 && before["go_sql_max_open_connections"] == nil {
			t.Fatal("no database pool series")
		}

		// A case breaches its SLA first (the workflow below would resolve it at once).
		_, tmpl := slaTemplate(t, s.base)
		slaCase(t, s.base, tmpl)
		eventually(t, 20*time.Second, func() (bool, string) {
			return sample(scrape(t, s.base), "docket_sla_breaches_total", nil) == 1, "no SLA breach counted"
		})

		rc := newReceiver(t, nil)
		createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["case.created"]}`, rc.url))
		publishWorkflow(t, s.base, "Approve all", `{"trigger":{"type":"event","event":"case.created"},
			"steps":[{"id":"approve","type":"action","action":"set-case-status","params":{"status":"Approved"}}]}`)
		slaCase(t, s.base, tmpl)

		checks := []struct {
			name   string
			labels map[string]string
		}{
			{"docket_http_requests_total", map[string]string{"source": "api", "method": "POST", "route": "/api/v1/cases", "status": "201"}},
			{"docket_http_request_duration_seconds", map[string]string{"route": "/api/v1/cases", "status": "201"}},
			{"docket_cases_created_total", nil},
			{"docket_cases_resolved_total", nil},
			{"docket_workflow_runs_total", map[string]string{"outcome": "completed"}},
			{"docket_workflow_step_duration_seconds", map[string]string{"type": "action", "status": "completed"}},
			{"docket_webhook_deliveries_total", map[string]string{"outcome": "succeeded"}},
			{"docket_webhook_delivery_duration_seconds", map[string]string{"outcome": "succeeded"}},
			{"docket_jobs_total", map[string]string{"kind": "webhook_delivery", "outcome": "completed"}},
			{"docket_job_run_seconds", map[string]string{"kind": "workflow_run"}},
			{"docket_job_queue_wait_seconds", map[string]string{"kind": "webhook_delivery"}},
		}
		eventually(t, 20*time.Second, func() (bool, string) {
			after := scrape(t, s.base)
			for _, c := range checks {
				if sample(after, c.name, c.labels) <= sample(before, c.name, c.labels) {
					return false, fmt.Sprintf("%s%v did not move", c.name, c.labels)
				}
			}
			return true, ""
		})
	})
}
