package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

// enqueueDeliveries queues a delivery job for every enabled webhook that wants each event,
// in the transaction that writes the events: an event is delivered if and only if it commits.
func enqueueDeliveries(ctx context.Context, tx *Tx, events []*docket.Event) error {
	hooks, err := queryAll(ctx, tx.reader(), `SELECT `+webhookCols+` FROM webhooks WHERE status = ?`, []any{docket.WebhookEnabled}, scanWebhook)
	if err != nil {
		return fmt.Errorf("find webhooks: %w", err)
	}
	if len(hooks) == 0 {
		return nil
	}
	var params []river.InsertManyParams
	for _, e := range events {
		for _, w := range hooks {
			if w.Wants(e.Name) {
				params = append(params, river.InsertManyParams{Args: jobs.WebhookDelivery{WebhookID: w.ID, EventID: e.ID}})
			}
		}
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := tx.s.jobClient().InsertManyTx(ctx, tx.tx, params); err != nil {
		return fmt.Errorf("enqueue webhook deliveries: %w", err)
	}
	return nil
}

const deliveryCols = `id, webhook_id, event_id, attempt, succeeded, status_code, latency_ms, error, response_snippet, first_attempted_at, created_at`

func scanDelivery(row scanner) (*docket.Delivery, error) {
	var d docket.Delivery
	var first, created int64
	if err := row.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.Attempt, &d.Succeeded, &d.StatusCode, &d.LatencyMS, &d.Error,
		&d.ResponseSnippet, &first, &created); err != nil {
		return nil, err
	}
	d.FirstAttemptedAt, d.CreatedAt = fromMS(first), fromMS(created)
	return &d, nil
}

// RecordDelivery logs one delivery attempt. A success resets the webhook's run of
// failures; an attempt that was the event's last, failed, extends it, and once the run
// reaches disableAfter events the webhook is disabled with a webhook.disabled event.
func (s *Store) RecordDelivery(ctx context.Context, d *docket.Delivery, lastAttempt bool, disableAfter int) error {
	return s.write(ctx, func(tx *Tx) error {
		d.ID, d.CreatedAt = docket.NewID(docket.PrefixDelivery), tx.now
		if _, err := tx.exec(ctx, `INSERT INTO webhook_deliveries (`+deliveryCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.WebhookID, d.EventID, d.Attempt, d.Succeeded, d.StatusCode, d.LatencyMS, d.Error, d.ResponseSnippet,
			ms(d.FirstAttemptedAt), ms(tx.now)); err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		switch {
		case d.Succeeded:
			_, err := tx.exec(ctx, `UPDATE webhooks SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures <> 0`, d.WebhookID)
			return err
		case lastAttempt:
			return countFailure(ctx, tx, d.WebhookID, disableAfter)
		}
		return nil
	})
}

func countFailure(ctx context.Context, tx *Tx, webhookID string, disableAfter int) error {
	w, err := findWebhook(ctx, tx.reader(), webhookID, tx.s.forUpdate())
	if err != nil {
		return err
	}
	w.ConsecutiveFailures++
	if w.Status == docket.WebhookEnabled && disableAfter > 0 && w.ConsecutiveFailures >= disableAfter {
		reason := fmt.Sprintf("disabled after %d events in a row could not be delivered", w.ConsecutiveFailures)
		w.Status, w.DisabledReason, w.UpdatedAt = docket.WebhookDisabled, &reason, tx.now
		return saveWebhook(ctx, tx, docket.Actor{Type: docket.ActorSystem, ID: "webhook-delivery"}, w, docket.EventWebhookDisabled)
	}
	_, err = tx.exec(ctx, `UPDATE webhooks SET consecutive_failures = ? WHERE id = ?`, w.ConsecutiveFailures, webhookID)
	return err
}

// ListDeliveries returns a page of a webhook's delivery attempts, newest first.
func (s *Store) ListDeliveries(ctx context.Context, webhookID string, p docket.Page) ([]*docket.Delivery, docket.PageResult, error) {
	if _, err := s.FindWebhook(ctx, webhookID); err != nil {
		return nil, docket.PageResult{}, err
	}
	q, args := listSQL(`SELECT `+deliveryCols+` FROM webhook_deliveries`, []string{"webhook_id = ?"}, []any{webhookID}, "id", p)
	items, r, err := queryPage(ctx, s.reader(), q, args, p, scanDelivery)
	if err != nil {
		return nil, r, fmt.Errorf("list deliveries of %s: %w", webhookID, err)
	}
	return items, r, nil
}

// Redeliver queues the attempt's event for its webhook again, with fresh attempts.
func (s *Store) Redeliver(ctx context.Context, webhookID, deliveryID string) error {
	return s.write(ctx, func(tx *Tx) error {
		var eventID string
		err := tx.queryRow(ctx, `SELECT event_id FROM webhook_deliveries WHERE id = ? AND webhook_id = ?`, deliveryID, webhookID).Scan(&eventID)
		if errors.Is(err, sql.ErrNoRows) {
			return docket.NotFound("delivery", deliveryID)
		}
		if err != nil {
			return fmt.Errorf("find delivery %s: %w", deliveryID, err)
		}
		w, err := findWebhook(ctx, tx.reader(), webhookID, "")
		if err != nil {
			return err
		}
		if w.Status == docket.WebhookArchived {
			return docket.Errorf(docket.EConflict, "webhook %s is archived", webhookID)
		}
		if _, err := tx.s.jobClient().InsertTx(ctx, tx.tx, jobs.WebhookDelivery{WebhookID: webhookID, EventID: eventID}, nil); err != nil {
			return fmt.Errorf("enqueue redelivery: %w", err)
		}
		return nil
	})
}
