// Package worker is where Docket's features are wired in: OpenStore registers their event
// handlers on the store (store.go), and New runs their background jobs on River: webhook
// deliveries, notification emails, workflow runs and
// re-screenings after a watch list import. Any number of processes may run
// workers against one database; River claims each job for exactly one of them (FOR UPDATE
// SKIP LOCKED on PostgreSQL).
package worker

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket/internal/jobs"
	"github.com/docket-hq/docket/internal/metrics"
	"github.com/docket-hq/docket/internal/notify"
	"github.com/docket-hq/docket/internal/screen"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/workflow"
)

// Config tunes the workers.
type Config struct {
	Webhook webhook.Config
	// PollInterval is how often other processes' new jobs are looked for; jobs inserted by
	// this process wake its workers at once.
	PollInterval time.Duration
	// WebhookWorkers bounds concurrent deliveries per process.
	WebhookWorkers int
	// Mailer sends notification emails; nil drops them (no SMTP server configured).
	Mailer *notify.Mailer
	// MailRetryBase is the wait before retrying a failed email; later waits double.
	MailRetryBase time.Duration
	// AllowHTTP reports whether workflow https-request steps may call a host over plain
	// http (DOCKET_WEBHOOK_ALLOW_HTTP, the webhooks' rule); nil allows no host.
	AllowHTTP func(host string) bool
	// Metrics, when set, counts delivery attempts and job outcomes (nil: no metrics).
	Metrics *metrics.Metrics
}

// Runner owns the River client that works jobs.
type Runner struct {
	client *river.Client[*sql.Tx]
	log    *slog.Logger
	// unsubscribe ends the metrics' subscription to job events (nil without metrics).
	unsubscribe func()
}

// New builds the workers on s. Jobs this process enqueues from now on go through the
// returned runner's client, so they start without waiting for a poll.
func New(ctx context.Context, s *store.Store, cfg Config, log *slog.Logger) (*Runner, error) {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	if cfg.WebhookWorkers <= 0 {
		cfg.WebhookWorkers = 100
	}
	workers := river.NewWorkers()
	var deliveries webhook.Store = s
	if cfg.Metrics != nil {
		deliveries = metrics.DeliveryStore{Store: s, Metrics: cfg.Metrics}
	}
	if err := river.AddWorkerSafely(workers, webhook.NewDeliverer(deliveries, cfg.Webhook, log)); err != nil {
		return nil, fmt.Errorf("register webhook worker: %w", err)
	}
	if err := river.AddWorkerSafely(workers, notify.NewWorker(s, cfg.Mailer, cfg.MailRetryBase, log)); err != nil {
		return nil, fmt.Errorf("register email worker: %w", err)
	}
	// Workflow https-request actions use the webhook client: the same address checks and
	// the same timeout, which keeps a step's job well inside the rescue window below.
	engine := workflow.NewEngine(s, webhook.NewClient(cfg.Webhook.AllowPrivate, cfg.Webhook.Timeout), log)
	engine.AllowHTTP = cfg.AllowHTTP
	if err := river.AddWorkerSafely(workers, engine); err != nil {
		return nil, fmt.Errorf("register workflow worker: %w", err)
	}
	// Re-screening after a watch list import (issue 18).
	if err := river.AddWorkerSafely(workers, screen.NewRescreener(s, log)); err != nil {
		return nil, fmt.Errorf("register re-screening worker: %w", err)
	}
	client, err := s.NewJobClient(ctx, &river.Config{
		Workers: workers,
		Queues: map[string]river.QueueConfig{
			river.QueueDefault:  {MaxWorkers: 10},
			jobs.QueueWebhooks:  {MaxWorkers: cfg.WebhookWorkers},
			jobs.QueueEmail:     {MaxWorkers: 5},
			jobs.QueueWorkflows: {MaxWorkers: 20},
			jobs.QueueScreening: {MaxWorkers: 1},
		},
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     5 * time.Millisecond,
		// A process that dies mid-attempt (SIGKILL, crash, lost host) leaves its jobs
		// running; River's rescuer retries them once they have run longer than
		// RescueStuckJobsAfter, an hour by default. A delivery's HTTP attempt ends by
		// cfg.Webhook.Timeout and its job by JobTimeout (which leaves 10 s more to record
		// the outcome), so a job still running after that has lost its process.
		JobTimeout:           cfg.Webhook.JobTimeout(),
		RescueStuckJobsAfter: cfg.Webhook.JobTimeout(),
		Logger:               log.With("component", "river"),
		// Keep finished jobs a day for inspection; the delivery log keeps the history.
		CompletedJobRetentionPeriod: 24 * time.Hour,
	})
	if err != nil {
		return nil, err
	}
	r := &Runner{client: client, log: log}
	if cfg.Metrics != nil {
		var events <-chan *river.Event
		events, r.unsubscribe = client.Subscribe(metrics.JobEvents...)
		go cfg.Metrics.WatchJobs(events)
	}
	return r, nil
}

// Start begins working jobs.
func (r *Runner) Start(ctx context.Context) error {
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for jobs in progress to finish, or ctx to end (then
// the jobs still running are cancelled and will be retried by River later).
func (r *Runner) Stop(ctx context.Context) error {
	if r.unsubscribe != nil {
		defer r.unsubscribe()
	}
	if err := r.client.Stop(ctx); err != nil {
		r.client.StopAndCancel(context.Background())
		return fmt.Errorf("stop workers: %w", err)
	}
	return nil
}
