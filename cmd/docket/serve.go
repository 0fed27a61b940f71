package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/api"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/demo"
	"github.com/docket-hq/docket/internal/maintain"
	"github.com/docket-hq/docket/internal/metrics"
	"github.com/docket-hq/docket/internal/notify"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/ui"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/worker"
)

// allowHosts returns a check for the hosts webhooks may reach over plain http.
func allowHosts(hosts []string) func(string) bool {
	return func(h string) bool {
		for _, a := range hosts {
			if a == "*" || strings.EqualFold(a, h) {
				return true
			}
		}
		return false
	}
}

// dbFlags are shared by every command that opens the database.
type dbFlags struct {
	Database string        `name:"database" env:"DOCKET_DATABASE_URL" default:"sqlite:docket.db" help:"sqlite:path or postgres://... URL."`
	DBWait   time.Duration `name:"db-wait" env:"DOCKET_DB_WAIT" default:"5s" help:"How long a request waits for PostgreSQL to accept a connection before failing with 503."`
}

// workerFlags tune the background workers.
type workerFlags struct {
	InquiryTTL          time.Duration `name:"inquiry-ttl" env:"DOCKET_INQUIRY_TTL" default:"24h" help:"How long an inquiry may stay created or pending before it expires."`
	JobPollInterval     time.Duration `name:"job-poll-interval" env:"DOCKET_JOB_POLL_INTERVAL" default:"100ms" help:"How often workers look for jobs enqueued by other processes."`
	WebhookAllowPrivate bool          `name:"webhook-allow-private" env:"DOCKET_WEBHOOK_ALLOW_PRIVATE" help:"Let webhooks reach loopback and private addresses."`
	WebhookAllowHTTP    []string      `name:"webhook-allow-http" env:"DOCKET_WEBHOOK_ALLOW_HTTP" help:"Hosts webhooks and workflow https-request steps may reach over plain http (* for any)."`
	WebhookTimeout      time.Duration `name:"webhook-timeout" env:"DOCKET_WEBHOOK_TIMEOUT" default:"5s" help:"How long one delivery attempt may take."`
	WebhookRetryBase    time.Duration `name:"webhook-retry-base" env:"DOCKET_WEBHOOK_RETRY_BASE" default:"5s" help:"Wait before the first retry; later waits double."`
	SMTPURL             string        `name:"smtp-url" env:"DOCKET_SMTP_URL" help:"SMTP server for notification emails: smtp://user:pass@host:587?from=docket@example.com (empty: no email)."`
	SMTPRetryBase       time.Duration `name:"smtp-retry-base" env:"DOCKET_SMTP_RETRY_BASE" default:"10s" help:"Wait before retrying a failed email; later waits double, up to an hour."`
	SLAInterval         time.Duration `name:"sla-check-interval" env:"DOCKET_SLA_CHECK_INTERVAL" default:"30s" help:"How often cases are checked for SLA breaches."`
	ScheduleInterval    time.Duration `name:"schedule-check-interval" env:"DOCKET_SCHEDULE_CHECK_INTERVAL" default:"15s" help:"How often schedule-triggered workflows are checked."`
	AnchorInterval      time.Duration `name:"audit-anchor-interval" env:"DOCKET_AUDIT_ANCHOR_INTERVAL" default:"1h" help:"How often the event chain's head is logged as an anchor, when it moved (0: never)."`
	WebhookDisableAfter int           `name:"webhook-disable-after" env:"DOCKET_WEBHOOK_DISABLE_AFTER" default:"10" help:"Disable a webhook after this many events in a row fail every attempt (0: never)."`
	AuditRetention      time.Duration `name:"audit-retention" env:"DOCKET_AUDIT_RETENTION" default:"9600h" help:"How long access log entries are kept (default 9600h: 400 days); older ones are deleted hourly."`
}

func (f workerFlags) maintainer(e *env, s *store.Store) *maintain.Maintainer {
	return maintain.New(s, e.log, maintain.Config{InquiryTTL: f.InquiryTTL, SLAInterval: f.SLAInterval, ScheduleInterval: f.ScheduleInterval,
		AuditRetention: f.AuditRetention, AnchorInterval: f.AnchorInterval})
}

// background starts housekeeping and the job workers; the returned function stops both,
// waiting for work in progress until ctx ends.
func (f workerFlags) background(e *env, s *store.Store, met *metrics.Metrics) (func(ctx context.Context), error) {
	if f.AuditRetention <= 0 {
		return nil, errors.New("--audit-retention must be a positive duration, such as 9600h (400 days)")
	}
	var mailer *notify.Mailer
	if f.SMTPURL != "" {
		var err error
		if mailer, err = notify.ParseURL(f.SMTPURL); err != nil {
			return nil, err
		}
	}
	runner, err := worker.New(e.ctx, s, worker.Config{PollInterval: f.JobPollInterval, Mailer: mailer, MailRetryBase: f.SMTPRetryBase,
		AllowHTTP: f.allowHTTP(), Metrics: met, Webhook: webhook.Config{
			AllowPrivate: f.WebhookAllowPrivate, Timeout: f.WebhookTimeout, RetryBase: f.WebhookRetryBase, DisableAfter: f.WebhookDisableAfter,
		}}, e.log)
	if err != nil {
		return nil, err
	}
	if err := runner.Start(e.ctx); err != nil {
		return nil, err
	}
	m := f.maintainer(e, s)
	m.Start(e.ctx)
	return func(ctx context.Context) {
		if err := runner.Stop(ctx); err != nil {
			e.log.Error("stop workers", "error", err)
		}
		m.Stop(ctx)
	}, nil
}

// allowHTTP is the operator's list of hosts that webhooks and workflow https-request
// steps may reach over plain http.
func (f workerFlags) allowHTTP() func(string) bool { return allowHosts(f.WebhookAllowHTTP) }

// open opens the database with every feature's reactions registered (workflows,
// notifications, webhooks), whatever the command: a change made by any of them reacts.
func (f dbFlags) open(e *env) (*store.Store, error) {
	return f.openWith(e, worker.StoreOptions{})
}

// openWith is open with the operator's settings for the rules the store applies.
func (f dbFlags) openWith(e *env, o worker.StoreOptions) (*store.Store, error) {
	o.Wait = f.DBWait
	s, err := worker.OpenStoreWith(e.ctx, f.Database, o)
	if err != nil {
		return nil, err
	}
	kind := "sqlite"
	if s.Postgres() {
		kind = "postgres"
	}
	e.log.Info("database ready", "store", kind)
	return s, nil
}

type serveCmd struct {
	dbFlags
	workerFlags
	authFlags
	metricsFlags
	Addr             string        `name:"addr" env:"DOCKET_ADDR" default:"127.0.0.1:8080" help:"Address to listen on."`
	Demo             bool          `name:"demo" help:"Load demo templates, users and cases into an empty database and print an API key and dashboard sign-ins."`
	RateLimit        int           `name:"rate-limit" env:"DOCKET_RATE_LIMIT" default:"6000" help:"Requests per minute per API key (0: no limit)."`
	AuthFailureLimit int           `name:"auth-failure-limit" env:"DOCKET_AUTH_FAILURE_LIMIT" default:"60" help:"Failed authentications per minute per client address before it is refused (0: no limit)."`
	MaxBodyBytes     int64         `name:"max-body-bytes" env:"DOCKET_MAX_BODY_BYTES" default:"1048576" help:"Largest request body accepted."`
	DrainTimeout     time.Duration `name:"drain-timeout" env:"DOCKET_DRAIN_TIMEOUT" default:"30s" help:"How long SIGTERM waits for requests in flight."`
}

func (c *serveCmd) Run(e *env) error {
	s, err := c.openWith(e, worker.StoreOptions{AllowHTTP: c.allowHTTP()})
	if err != nil {
		return err
	}
	defer s.Close()
	if err := bootstrapKey(e, s); err != nil {
		return err
	}
	m, stopMetrics, err := c.metrics(e, s)
	if err != nil {
		return err
	}
	defer stopMetrics()
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	base := "http://" + ln.Addr().String()
	signIn, err := c.service(e, s, base)
	if err != nil {
		ln.Close()
		return err
	}
	var ready atomic.Bool
	proxies, err := auth.ParseTrustedProxies(c.TrustedProxies)
	if err != nil {
		ln.Close()
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	// The access log writes in the background until the server has drained (below).
	access := accesslog.New(s, e.log, accesslog.Config{TrustedProxies: proxies, Observe: m.ObserveRequest})
	access.Start(e.ctx)
	defer stopAccessLog(e, access)
	handler, err := c.handler(e, s, signIn, proxies, access, m, ready.Load)
	if err != nil {
		ln.Close()
		return err
	}
	if c.Demo {
		if err := loadDemo(e, s, signIn); err != nil {
			ln.Close()
			return err
		}
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	stopWorkers, err := c.background(e, s, m)
	if err != nil {
		ln.Close()
		return err
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	ready.Store(true)
	e.log.Info("docket is serving", "url", signIn.BaseURL())
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		stopWorkers(context.Background())
		return fmt.Errorf("serve: %w", err)
	case <-e.ctx.Done():
	}
	// Drain: refuse new work through /healthz, let requests in flight finish, then stop
	// the workers (which finish their current job) and close the database.
	ready.Store(false)
	e.log.Info("shutting down: draining requests in flight")
	ctx, cancel := context.WithTimeout(context.Background(), c.DrainTimeout)
	defer cancel()
	err = srv.Shutdown(ctx)
	stopAccessLog(e, access)
	stopWorkers(ctx)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	e.log.Info("stopped cleanly")
	return nil
}

// handler serves the API under /api/ (and /healthz) and the dashboard everywhere else,
// recording both in the access log.
func (c *serveCmd) handler(e *env, s *store.Store, signIn *auth.Service, proxies []netip.Prefix, access *accesslog.Recorder,
	m *metrics.Metrics, ready func() bool) (http.Handler, error) {
	apiHandler := api.New(s, e.log, api.Config{RateLimit: c.RateLimit, AuthFailureLimit: c.AuthFailureLimit, TrustedProxies: proxies,
		MaxBodyBytes: c.MaxBodyBytes, AllowHTTP: c.allowHTTP(), SecretGrace: 24 * time.Hour, Links: signIn}, ready)
	dashboard, err := ui.New(s, signIn, e.log, ui.WithWebhookHTTP(c.allowHTTP()))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", access.Handler(docket.AccessSourceAPI, apiHandler, nil))
	mux.Handle("/healthz", apiHandler)
	if c.Metrics {
		mux.Handle("GET /metrics", m.Handler())
	}
	mux.Handle("/", access.Handler(docket.AccessSourceDashboard, dashboard, isAsset))
	return mux, nil
}

// bootstrapKey creates the key named by DOCKET_BOOTSTRAP_API_KEY if it does not exist yet,
// so that a fresh install can be driven by script.
func bootstrapKey(e *env, s *store.Store) error {
	secret := e.getenv("DOCKET_BOOTSTRAP_API_KEY")
	if secret == "" {
		return nil
	}
	if len(secret) < 16 {
		return errors.New("DOCKET_BOOTSTRAP_API_KEY must be at least 16 characters")
	}
	if _, err := s.FindAPIKeyBySecret(e.ctx, secret); err == nil {
		return nil
	} else if docket.ErrorCode(err) != docket.EUnauthorized {
		return err
	}
	// Another process starting at the same time may win the race; that is fine.
	if _, err := s.CreateAPIKey(e.ctx, "bootstrap", []string{docket.ScopeAll}, secret); err != nil && docket.ErrorCode(err) != docket.EConflict {
		return fmt.Errorf("create bootstrap API key: %w", err)
	}
	e.log.Info("created bootstrap API key")
	return nil
}

// loadDemo fills an empty database with demo data and prints a fresh demo API key and
// dashboard sign-ins.
func loadDemo(e *env, s *store.Store, signIn *auth.Service) error {
	base := signIn.BaseURL()
	loaded, err := demo.Load(e.ctx, s)
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	if err := s.RevokeAPIKeys(e.ctx, "demo"); err != nil {
		return err
	}
	secret := docket.NewAPIKeySecret()
	if _, err := s.CreateAPIKey(e.ctx, "demo", []string{docket.ScopeAll}, secret); err != nil {
		return fmt.Errorf("create demo API key: %w", err)
	}
	if loaded {
		fmt.Fprintln(e.stdout, "Loaded demo templates, users and cases.")
	}
	accounts, err := demo.SignIns(e.ctx, s, signIn.SetPassword)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Docket is starting on %s\nAPI key (demo, all scopes): %s\nTry: curl -H 'Authorization: Bearer %s' %s/api/v1/cases\n",
		base, secret, secret, base)
	fmt.Fprintf(e.stdout, "Dashboard: %s/login (passwords change at every start)\n", base)
	for _, a := range accounts {
		fmt.Fprintf(e.stdout, "  %-9s %s  password: %s\n", a.Role, a.Email, a.Password)
	}
	return nil
}

type workerCmd struct {
	dbFlags
	workerFlags
	MetricsAddr string `name:"metrics-addr" env:"DOCKET_METRICS_ADDR" help:"Serve Prometheus metrics at /metrics on this address (such as 127.0.0.1:9090)."`
}

func (c *workerCmd) Run(e *env) error {
	s, err := c.openWith(e, worker.StoreOptions{AllowHTTP: c.allowHTTP()})
	if err != nil {
		return err
	}
	defer s.Close()
	// A worker has no main address: metrics are served on --metrics-addr only.
	m, stopMetrics, err := metricsFlags{MetricsAddr: c.MetricsAddr}.metrics(e, s)
	if err != nil {
		return err
	}
	defer stopMetrics()
	stop, err := c.background(e, s, m)
	if err != nil {
		return err
	}
	e.log.Info("workers running")
	<-e.ctx.Done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stop(ctx)
	return nil
}

type migrateCmd struct {
	dbFlags
}

func (c *migrateCmd) Run(e *env) error {
	s, err := c.open(e) // Open applies pending migrations.
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "migrations applied")
	return s.Close()
}

type apiKeysCmd struct {
	Create apiKeyCreateCmd `cmd:"" help:"Create an API key and print its secret (shown once)."`
	List   apiKeyListCmd   `cmd:"" help:"List API keys (id, name, scopes, user, created, revoked, expires, last used)."`
	Revoke apiKeyRevokeCmd `cmd:"" help:"Revoke an API key by id: its next request is refused, in every process."`
}

type apiKeyCreateCmd struct {
	dbFlags
	Name    string   `name:"name" required:"" help:"A name for the key."`
	Scopes  []string `name:"scopes" default:"*" help:"Comma-separated scopes (default: all)."`
	User    string   `name:"user" placeholder:"EMAIL" help:"The user the key belongs to: it then acts with the lesser of its scopes and the user's role."`
	Expires string   `name:"expires" placeholder:"DATE" help:"When the key stops working: a date (it works through that day, UTC) or an RFC 3339 time."`
}

func (c *apiKeyCreateCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	n := docket.NewAPIKey{Name: c.Name, Scopes: c.Scopes}
	if n.ExpiresAt, err = docket.ParseAPIKeyExpiry(c.Expires); err != nil {
		return fmt.Errorf("--expires: %w", err)
	}
	if c.User != "" {
		u, err := s.FindUserByEmail(e.ctx, c.User)
		if err != nil {
			return fmt.Errorf("--user: %w", err)
		}
		n.UserID = &u.ID
	}
	secret := docket.NewAPIKeySecret()
	k, err := s.IssueAPIKey(e.ctx, n, secret)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s\n", secret)
	attrs := []any{"id", k.ID, "name", k.Name}
	if k.UserID != nil {
		attrs = append(attrs, "user_id", *k.UserID)
	}
	e.log.Info("created API key", attrs...)
	return nil
}
