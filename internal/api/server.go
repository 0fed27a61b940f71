// Package api serves Docket's JSON:API over HTTP: authentication, scopes, rate limits,
// idempotency, key inflection, paging and one file of thin handlers per resource.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"time"

	"github.com/docket-hq/docket"
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
	docket.AnalyticsService
	ObjectCaseIDs(ctx context.Context, objectID string) ([]string, error)
	IdempotencyStore
	Ping(ctx context.Context) error
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
}

// New builds the API handler. ready reports whether the process is ready for traffic
// (it is false while starting and while draining).
func New(store Store, log *slog.Logger, cfg Config, ready func() bool) *Server {
	s := &Server{store: store, log: log, cfg: cfg, mux: http.NewServeMux(), ready: ready,
		keys: &apiKeys{store: store, log: log, now: time.Now}, limiter: newRateLimiter(cfg.RateLimit),
		failures: newFailureLimiter(cfg.AuthFailureLimit)}
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

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil && !s.ready() {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"status":"ok"}` + "\n"))
}
