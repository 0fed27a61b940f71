package webhook

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
	"github.com/docket-hq/docket/internal/store"
)

// HandleEvents is webhook enqueuing's event handler (store.EventHandler): it queues a
// delivery job for every enabled webhook that wants each event, in the transaction that
// records the events, so that an event is delivered if and only if it commits.
func HandleEvents(ctx context.Context, tx *store.Tx, events []*docket.Event) error {
	hooks, err := tx.EnabledWebhooks(ctx)
	if err != nil || len(hooks) == 0 {
		return err
	}
	var params []river.InsertManyParams
	for _, e := range events {
		for _, w := range hooks {
			if w.Wants(e.Name) {
				params = append(params, river.InsertManyParams{Args: jobs.WebhookDelivery{WebhookID: w.ID, EventID: e.ID}})
			}
		}
	}
	if err := tx.InsertJobs(ctx, params); err != nil {
		return fmt.Errorf("enqueue webhook deliveries: %w", err)
	}
	return nil
}
