// Package ui serves the reviewers' dashboard: server-rendered pages over the same store as
// the API, with html/template templates and static assets embedded in the binary. Every
// page works with plain forms and links; the one small script only improves them.
//
// Adding a page: write a handler in a file of its own that gathers its data and calls
// h.render with a template from templates/, and list it in routes.go with h.page (signed
// in) or h.public. The layout, the signed-in user, the CSRF token, flash messages and form
// errors come with render.
package ui

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// Store is what the dashboard reads and writes.
type Store interface {
	docket.CaseService
	docket.ProposalService
	docket.CaseTemplateService
	docket.UserService
	// For My work, queues and notifications.
	docket.CaseDetailService
	docket.CaseQueueService
	docket.NotificationService
	// The case page reads the case detail read model and the timeline, offers the case
	// actions and shows their runs.
	docket.EventService
	docket.TimelineService
	docket.CaseActionService
	docket.WorkflowService
	// For the case list.
	docket.SavedViewService
	// For the webhook pages and their delivery log.
	docket.WebhookService
	// For the administration of users and API keys.
	docket.APIKeyService
	docket.SARService
	// For the audit pages: the access log and the event chain.
	docket.AccessLogService
	docket.ChainService
	// For the watch lists page.
	docket.WatchlistService
	// For the analytics page.
	docket.AnalyticsService
	FindUsers(ctx context.Context, ids []string) ([]*docket.User, error)
	LastSignIns(ctx context.Context, userIDs []string) (map[string]time.Time, error)
}

// Handler is the dashboard's HTTP handler.
type Handler struct {
	store Store
	auth  *auth.Service
	log   *slog.Logger
	mux   *http.ServeMux
	pages templates
	// countBudget bounds the time the case list's status tab counts may take (see
	// caseListCountBudget).
	countBudget time.Duration
	// allowHTTP and secretGrace are the webhook settings the API has too (Option).
	allowHTTP   func(host string) bool
	secretGrace time.Duration
}

// maxFormBytes bounds a form post; dashboard forms are small.
const maxFormBytes = 1 << 20

// New builds the dashboard handler.
func New(store Store, a *auth.Service, log *slog.Logger, opts ...Option) (*Handler, error) {
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	h := &Handler{store: store, auth: a, log: log, mux: http.NewServeMux(), pages: pages, countBudget: caseListCountBudget,
		secretGrace: 24 * time.Hour}
	for _, o := range opts {
		o(h)
	}
	h.routes()
	return h, nil
}

// SetCountBudget sets how long the case list's status tab counts may take together
// (caseListCountBudget by default). Tests that compare counts on a busy machine lengthen
// it; a count cut short shows no number.
func (h *Handler) SetCountBudget(d time.Duration) { h.countBudget = d }

// ServeHTTP sets the security headers every dashboard response carries, bounds the body,
// and recovers from panics.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// No inline script or style anywhere, so the policy can forbid them outright.
	hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "+
		"object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cross-Origin-Opener-Policy", "same-origin")
	// Pages show case data: keep them out of shared and back-button caches (static assets
	// override this).
	hd.Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.ErrorContext(r.Context(), "panic serving dashboard", "path", r.URL.Path, "panic", v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	h.mux.ServeHTTP(w, r)
}
