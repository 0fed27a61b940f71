package worker

import (
	"context"

	"github.com/docket-hq/docket/internal/notify"
	"github.com/docket-hq/docket/internal/store"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/workflow"
)

// OpenStore opens the store with every feature's reactions registered: the one way to
// open a store for serving, working jobs or testing what Docket does. (A bare store.Open
// only persists: its events start no workflow, notify nobody and reach no webhook.)
func OpenStore(ctx context.Context, rawURL string) (*store.Store, error) {
	s, err := store.Open(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	register(s)
	return s, nil
}

// register gives a bare store the features' workflow rules and event handlers. The
// handlers run in this order, inside each change's transaction. The order changes nothing
// that commits (one handler's error rolls back all), but it is fixed so that the rows
// and jobs of a change are written in a known order: workflow first, because it may
// record events of its own (a run's workflow-run.created), which then pass through every
// handler nested inside it; notify next; webhook last, as it only queues deliveries and
// reads nothing the others write.
func register(s *store.Store) {
	s.UseWorkflowRules(workflow.Rules{})
	s.OnEvents(workflow.HandleEvents)
	s.OnEvents(notify.HandleEvents)
	s.OnEvents(webhook.HandleEvents)
}
