package worker

import (
	"context"
	"time"

	"github.com/docket-hq/docket/internal/notify"
	"github.com/docket-hq/docket/internal/sar"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/workflow"
)

// OpenStore opens the store with every feature's reactions registered: the one way to
// open a store for serving, working jobs or testing what Docket does. (A bare store.Open
// only persists: its events start no workflow, notify nobody and reach no webhook.)
func OpenStore(ctx context.Context, rawURL string) (*store.Store, error) {
	return OpenStoreWith(ctx, rawURL, StoreOptions{})
}

// StoreOptions are the operator's settings that the registered rules apply.
type StoreOptions struct {
	// AllowHTTP reports whether a saved workflow's https-request steps may call a host
	// over plain http (DOCKET_WEBHOOK_ALLOW_HTTP, the webhooks' rule); nil allows no host.
	AllowHTTP func(host string) bool
	// Wait bounds how long a request waits for PostgreSQL (DOCKET_DB_WAIT; 0: the
	// store's default).
	Wait time.Duration
}

// OpenStoreWith is OpenStore with the operator's settings.
func OpenStoreWith(ctx context.Context, rawURL string, o StoreOptions) (*store.Store, error) {
	s, err := store.OpenWith(ctx, rawURL, store.Options{Wait: o.Wait})
	if err != nil {
		return nil, err
	}
	register(s, o)
	return s, nil
}

// register gives a bare store the features' workflow rules and event handlers. The
// handlers run in this order, inside each change's transaction. The order changes nothing
// that commits (one handler's error rolls back all), but it is fixed so that the rows
// and jobs of a change are written in a known order: workflow first, because it may
// record events of its own (a run's workflow-run.created), which then pass through every
// handler nested inside it; notify next; webhook last, as it only queues deliveries and
// reads nothing the others write.
func register(s *store.Store, o StoreOptions) {
	s.UseWorkflowRules(workflow.Rules{AllowHTTP: o.AllowHTTP})
	s.UseSARRules(sar.Rules{})
	s.OnEvents(workflow.HandleEvents)
	s.OnEvents(notify.HandleEvents)
	s.OnEvents(webhook.HandleEvents)
}
