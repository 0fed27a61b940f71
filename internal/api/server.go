// Package api serves Docket's JSON:API over HTTP: authentication, scopes, rate limits,
// idempotency, key inflection, paging and one file of thin handlers per resource.
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/screen"
)

// Store is everything the API needs from storage.
type Store interface {
	docket.CaseService
	docket.ProposalService
	docket.CaseDetailService
	docket.CaseTemplateService
	docket.CaseQueueService
	docket.UserService
	docket.EventService
	docket.AccountService
	docket.APIKeyService
	docket.InquiryService
	docket.ReportService
	docket.TransactionService
	docket.WebhookService
	docket.NotificationService
	docket.WorkflowService
	docket.TimelineService
	docket.CaseActionService
	docket.SavedViewService
	docket.AccessLogService
	docket.ChainService
	docket.SARService
	docket.WatchlistService
	docket.AnalyticsService
	ObjectCaseIDs(ctx context.Context, objectID string) ([]string, error)
	IdempotencyStore
	Ping(ctx context.Context) error
	// Health checks the database and says why it is unavailable, and since when.
	Health(ctx context.Context) (ok bool, why string, since time.Time)
}

// Config tunes the API's limits.
type Config struct {
	// RateLimit is the number of requests per minute one API key may make; 0 disables.
	RateLimit int
	// AuthFailureLimit is the number of failed authentications per minute one client
	// address may make; past it, the address is refused (429) until it has some left
	// (see failureLimiter). 0 disables.
	AuthFailureLimit int
	// TrustedProxies are the proxies whose X-Forwarded-For header names the client
	// address that AuthFailureLimit counts by; other peers are the client themselves.
	TrustedProxies []netip.Prefix
	// MaxBodyBytes bounds request bodies.
	MaxBodyBytes int64
	// AllowHTTP reports whether webhooks may use plain http to a host (https always may).
	AllowHTTP func(host string) bool
	// SecretGrace is how long a rotated webhook secret keeps signing.
	SecretGrace time.Duration
	// Links issues password-reset links; nil leaves the endpoint out.
	Links LinkIssuer
}

// DefaultConfig returns the limits used when none are configured.
func DefaultConfig() Config {
	return Config{RateLimit: 6000, AuthFailureLimit: 60, MaxBodyBytes: 1 << 20, SecretGrace: 24 * time.Hour}
}

// Server is the API's HTTP handler.
type Server struct {
	store   Store
	log     *slog.Logger
	cfg     Config
	mux     *http.ServeMux
	keys    *apiKeys
	limiter *rateLimiter
	// failures limits failed authentications per client address (authlimit.go).
	failures *failureLimiter
	ready    func() bool
	// patterns lists the registered endpoints, for Routes.
	patterns []string
	// screener screens reports created with a report template (watchlist.go).
	screener *screen.Screener
}

// New builds the API handler. ready reports whether the process is ready for traffic
// (it is false while starting and while draining).
func New(store Store, log *slog.Logger, cfg Config, ready func() bool) *Server {
	s := &Server{store: store, log: log, cfg: cfg, mux: http.NewServeMux(), ready: ready,
		keys: &apiKeys{store: store, log: log, now: time.Now}, limiter: newRateLimiter(cfg.RateLimit),
		failures: newFailureLimiter(cfg.AuthFailureLimit), screener: screen.NewScreener(store)}
	s.routes()
	return s
}

// ServeHTTP gives every response a Request-Id (the access log's, when it records the
// request) and recovers from panics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if w.Header().Get("Request-Id") == "" {
		w.Header().Set("Request-Id", docket.NewID(docket.PrefixRequest))
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(r.Context(), "panic serving request", "request_id", w.Header().Get("Request-Id"), "panic", v)
			writeError(w, r, s.log, docket.Errorf("internal", "internal error"))
		}
	}()
	s.mux.ServeHTTP(w, r)
}

// handlerFunc is an API handler that returns its error for central rendering.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route registers an authenticated API endpoint that needs perm.
func (s *Server) route(pattern string, perm docket.Permission, h handlerFunc) {
	s.public(pattern, s.authenticated(perm, h))
}

// public registers an endpoint that needs no API key.
func (s *Server) public(pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}

// Routes lists the endpoints the server serves, as net/http patterns ("GET /api/v1/cases"):
// the OpenAPI document must describe each of them (internal/api/openapi_test.go).
func (s *Server) Routes() []string { return slices.Clone(s.patterns) }

// healthz tells a load balancer whether to send traffic here, and an operator why not:
// 200 {"status":"ok"}, or 503 with the reason (draining, or the database unreachable and
// since when).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if s.ready != nil && !s.ready() {
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]string{"status": "unavailable", "reason": "starting or shutting down"})
		return
	}
	ok, why, since := s.store.Health(r.Context())
	if !ok {
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]string{"status": "unavailable", "database": "unreachable", "reason": why,
			"since": since.Format(time.RFC3339)})
		return
	}
	w.Write([]byte(`{"status":"ok"}` + "\n"))
}

// unavailable shows an internal error as 503 when the database is not answering: a
// failure met mid-request on a connection the outage broke is not a bug to report.
func (s *Server) unavailable(ctx context.Context, err error) error {
	if err == nil || docket.ErrorCode(err) != "" {
		return err
	}
	if ok, _, _ := s.store.Health(context.WithoutCancel(ctx)); !ok {
		return fmt.Errorf("%w: %w", errDatabaseDown, err)
	}
	return err
}

var errDatabaseDown = &docket.Error{Code: docket.EUnavailable, Message: "the database is unavailable; try again shortly"}
