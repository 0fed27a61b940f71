package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

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
//
// Attempts are group-committed like case creation: concurrent calls share one
// transaction, and each returns once its record is durable.
func (s *Store) RecordDelivery(ctx context.Context, d *docket.Delivery, lastAttempt bool, disableAfter int) error {
	req := &deliveryRecord{d: d, last: lastAttempt, disableAfter: disableAfter, done: make(chan error, 1)}
	s.recorderOnce.Do(func() {
		s.records = make(chan *deliveryRecord)
		go s.recordLoop()
	})
	select {
	case s.records <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closed:
		return errors.New("record delivery: store is closed")
	}
	return <-req.done
}

type deliveryRecord struct {
	d            *docket.Delivery
	last         bool
	disableAfter int
	done         chan error
}

func (s *Store) recordLoop() {
	for {
		var batch []*deliveryRecord
		select {
		case r := <-s.records:
			batch = append(batch, r)
		case <-s.closed:
			return
		}
	gather:
		for len(batch) < maxCreateBatch {
			select {
			case r := <-s.records:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		s.recordBatch(batch)
	}
}

// recordBatch writes a batch; if it fails, each record is retried alone so that one bad
// record does not lose the others.
func (s *Store) recordBatch(batch []*deliveryRecord) {
	err := s.write(context.Background(), func(tx *Tx) error { return writeDeliveries(tx, batch) })
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			s.recordBatch([]*deliveryRecord{r})
		}
		return
	}
	for _, r := range batch {
		r.done <- err
	}
}

// writeDeliveries inserts the attempts and updates each webhook's run of failures.
func writeDeliveries(tx *Tx, batch []*deliveryRecord) error {
	ctx := context.Background()
	const cols = 11
	args := make([]any, 0, len(batch)*cols)
	for _, r := range batch {
		d := r.d
		d.ID, d.CreatedAt = docket.NewID(docket.PrefixDelivery), tx.now
		args = append(args, d.ID, d.WebhookID, d.EventID, d.Attempt, d.Succeeded, d.StatusCode, d.LatencyMS, d.Error,
			d.ResponseSnippet, ms(d.FirstAttemptedAt), ms(tx.now))
	}
	if _, err := tx.exec(ctx, `INSERT INTO webhook_deliveries (`+deliveryCols+`) VALUES `+rows(len(batch), cols), args...); err != nil {
		return fmt.Errorf("record deliveries: %w", err)
	}
	for _, r := range batch {
		var err error
		switch {
		case r.d.Succeeded:
			_, err = tx.exec(ctx, `UPDATE webhooks SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures <> 0`, r.d.WebhookID)
		case r.last:
			err = countFailure(ctx, tx, r.d.WebhookID, r.disableAfter)
		}
		if err != nil {
			return err
		}
	}
	return nil
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
		if w.Status != docket.WebhookEnabled {
			return docket.Errorf(docket.EConflict, "webhook %s is %s: enable it before redelivering", webhookID, w.Status)
		}
		if _, err := tx.s.jobClient().InsertTx(ctx, tx.tx, jobs.WebhookDelivery{WebhookID: webhookID, EventID: eventID}, nil); err != nil {
			return fmt.Errorf("enqueue redelivery: %w", err)
		}
		return nil
	})
}

// FindDelivery returns the webhook and event a delivery job names, in one round trip:
// at a thousand deliveries a second, separate reads held database connections long
// enough to starve the pool.
func (s *Store) FindDelivery(ctx context.Context, webhookID, eventID string) (*docket.Webhook, *docket.Event, error) {
	var e docket.Event
	var obj []byte
	var created int64
	row := s.reader().QueryRowContext(ctx, `SELECT `+qualify("w", webhookCols)+`, `+qualify("e", eventCols)+`
		FROM webhooks w JOIN events e ON e.id = ? WHERE w.id = ?`, eventID, webhookID)
	w, err := scanWebhook(withExtra{row, []any{&e.ID, &e.Name, &e.ObjectType, &e.ObjectID, &e.Actor.Type, &e.Actor.ID, &obj, &created}})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, docket.NotFound("webhook or event", webhookID+"/"+eventID)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find delivery %s/%s: %w", webhookID, eventID, err)
	}
	e.Object, e.CreatedAt = obj, fromMS(created)
	return w, &e, nil
}

// withExtra scans a row whose leading columns one scan function reads and whose
// trailing columns go to extra.
type withExtra struct {
	row   scanner
	extra []any
}

func (x withExtra) Scan(dest ...any) error { return x.row.Scan(append(dest, x.extra...)...) }

// qualify prefixes each column of a column list with a table alias.
func qualify(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
