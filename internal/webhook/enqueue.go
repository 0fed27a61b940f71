package webhook

import (
	"context"
	"encoding/json"
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
		secret, err := sarCaseEvent(ctx, tx, e)
		if err != nil {
			return err
		}
		for _, w := range hooks {
			if w.Wants(e.Name) && (!secret || w.SARAccess()) {
				params = append(params, river.InsertManyParams{Args: jobs.WebhookDelivery{WebhookID: w.ID, EventID: e.ID}})
			}
		}
	}
	if err := tx.InsertJobs(ctx, params); err != nil {
		return fmt.Errorf("enqueue webhook deliveries: %w", err)
	}
	return nil
}

// sarCaseEvent reports whether e is an event of a case of a SAR template, which only
// webhooks marked for SAR access receive (SAR secrecy).
func sarCaseEvent(ctx context.Context, tx *store.Tx, e *docket.Event) (bool, error) {
	if e.ObjectType != "case" {
		return false, nil
	}
	var c struct {
		TemplateID string `json:"case-template-id"`
	}
	if err := json.Unmarshal(e.Object, &c); err != nil || c.TemplateID == "" {
		return false, nil //nolint:nilerr // a snapshot without a template is no SAR case
	}
	t, err := tx.FindTemplate(ctx, c.TemplateID)
	if err != nil {
		return false, fmt.Errorf("find the template of event %s: %w", e.ID, err)
	}
	return t.SAR, nil
}
