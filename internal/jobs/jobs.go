// Package jobs declares Docket's background job kinds (River job arguments), shared by
// the store, which enqueues them in the transaction that makes them necessary, and the
// workers, which run them.
package jobs

import (
	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
)

// QueueWebhooks holds webhook deliveries, so that slow endpoints do not delay other work.
const QueueWebhooks = "webhooks"

// WebhookDelivery offers one event to one webhook endpoint.
type WebhookDelivery struct {
	WebhookID string `json:"webhook_id"`
	EventID   string `json:"event_id"`
}

// Kind names the job in River's tables.
func (WebhookDelivery) Kind() string { return "webhook_delivery" }

// InsertOpts puts deliveries on their queue with the delivery policy's attempt count.
func (WebhookDelivery) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueWebhooks, MaxAttempts: docket.WebhookMaxAttempts}
}
