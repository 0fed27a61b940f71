package metrics

import (
	"context"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/webhook"
)

// DeliveryStore counts each delivery attempt as the deliverer records it: the record
// carries the outcome and the latency the deliverer measured.
type DeliveryStore struct {
	webhook.Store
	Metrics *Metrics
}

// RecordDelivery records the attempt, then counts it.
func (d DeliveryStore) RecordDelivery(ctx context.Context, rec *docket.Delivery, lastAttempt bool, disableAfter int) error {
	err := d.Store.RecordDelivery(ctx, rec, lastAttempt, disableAfter)
	d.Metrics.ObserveDelivery(rec.Succeeded, time.Duration(rec.LatencyMS)*time.Millisecond)
	return err
}
