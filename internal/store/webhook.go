package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/docket-hq/docket"
)

const webhookCols = `id, url, status, enabled_events, api_key_inflection, api_attributes_blocklist, custom_http_headers,
	secret, previous_secret, previous_secret_expires_at, consecutive_failures, disabled_reason, created_at, updated_at, archived_at`

func scanWebhook(row scanner) (*docket.Webhook, error) {
	var w docket.Webhook
	var events, blocklist, headers []byte
	var prev, reason sql.NullString
	var prevExp, archived sql.NullInt64
	var created, updated int64
	if err := row.Scan(&w.ID, &w.URL, &w.Status, &events, &w.APIKeyInflection, &blocklist, &headers,
		&w.Secret, &prev, &prevExp, &w.ConsecutiveFailures, &reason, &created, &updated, &archived); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		b []byte
		v any
	}{{events, &w.EnabledEvents}, {blocklist, &w.APIAttributesBlocklist}, {headers, &w.CustomHTTPHeaders}} {
		if err := decodeJSON(c.b, c.v); err != nil {
			return nil, err
		}
	}
	w.PreviousSecret, w.PreviousSecretExpiresAt, w.DisabledReason = nullString(prev), fromNullMS(prevExp), nullString(reason)
	w.CreatedAt, w.UpdatedAt, w.ArchivedAt = fromMS(created), fromMS(updated), fromNullMS(archived)
	return &w, nil
}

func webhookDefaults(w *docket.Webhook) {
	if w.APIKeyInflection == "" {
		w.APIKeyInflection = "kebab"
	}
	if w.APIAttributesBlocklist == nil {
		w.APIAttributesBlocklist = []string{}
	}
	if w.CustomHTTPHeaders == nil {
		w.CustomHTTPHeaders = map[string]string{}
	}
}

// CreateWebhook stores an enabled webhook with a fresh secret (returned in w.Secret).
func (s *Store) CreateWebhook(ctx context.Context, actor docket.Actor, w *docket.Webhook, allowHTTP func(string) bool) error {
	webhookDefaults(w)
	if err := w.Validate(allowHTTP); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		w.ID, w.Status, w.Secret = docket.NewID(docket.PrefixWebhook), docket.WebhookEnabled, docket.NewWebhookSecret()
		w.CreatedAt, w.UpdatedAt = tx.now, tx.now
		events, blocklist, err := jsonArgs(w.EnabledEvents, w.APIAttributesBlocklist)
		if err != nil {
			return err
		}
		headers, err := jsonArg(w.CustomHTTPHeaders)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO webhooks (id, url, status, enabled_events, api_key_inflection, api_attributes_blocklist,
			custom_http_headers, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			w.ID, w.URL, w.Status, events, w.APIKeyInflection, blocklist, headers, w.Secret, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert webhook: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventWebhookCreated, "webhook", w.ID, w)
		return err
	})
}

// FindWebhook returns one webhook, secrets included (the API never shows them again).
func (s *Store) FindWebhook(ctx context.Context, id string) (*docket.Webhook, error) {
	return findWebhook(ctx, s.reader(), id, "")
}

func findWebhook(ctx context.Context, q querier, id, lock string) (*docket.Webhook, error) {
	w, err := scanWebhook(q.QueryRowContext(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("webhook", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find webhook %s: %w", id, err)
	}
	return w, nil
}

// ListWebhooks returns a page of webhooks, newest first.
func (s *Store) ListWebhooks(ctx context.Context, p docket.Page) ([]*docket.Webhook, docket.PageResult, error) {
	q, args := listSQL(`SELECT `+webhookCols+` FROM webhooks`, nil, nil, "id", p)
	items, r, err := queryPage(ctx, s.reader(), q, args, p, scanWebhook)
	if err != nil {
		return nil, r, fmt.Errorf("list webhooks: %w", err)
	}
	return items, r, nil
}

// mutateWebhook locks a webhook, applies change and saves it with a webhook.updated event.
func (s *Store) mutateWebhook(ctx context.Context, actor docket.Actor, id string, change func(tx *Tx, w *docket.Webhook) error) (*docket.Webhook, error) {
	var w *docket.Webhook
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if w, err = findWebhook(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if w.Status == docket.WebhookArchived {
			return docket.Errorf(docket.EConflict, "webhook %s is archived", id)
		}
		if err := change(tx, w); err != nil {
			return err
		}
		w.UpdatedAt = tx.now
		return saveWebhook(ctx, tx, actor, w, docket.EventWebhookUpdated)
	})
	return w, err
}

func saveWebhook(ctx context.Context, tx *Tx, actor docket.Actor, w *docket.Webhook, event string) error {
	events, blocklist, err := jsonArgs(w.EnabledEvents, w.APIAttributesBlocklist)
	if err != nil {
		return err
	}
	headers, err := jsonArg(w.CustomHTTPHeaders)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE webhooks SET url = ?, status = ?, enabled_events = ?, api_key_inflection = ?,
		api_attributes_blocklist = ?, custom_http_headers = ?, secret = ?, previous_secret = ?, previous_secret_expires_at = ?,
		consecutive_failures = ?, disabled_reason = ?, updated_at = ?, archived_at = ? WHERE id = ?`,
		w.URL, w.Status, events, w.APIKeyInflection, blocklist, headers, w.Secret, strPtrArg(w.PreviousSecret),
		msPtr(w.PreviousSecretExpiresAt), w.ConsecutiveFailures, strPtrArg(w.DisabledReason), ms(w.UpdatedAt),
		msPtr(w.ArchivedAt), w.ID); err != nil {
		return fmt.Errorf("update webhook %s: %w", w.ID, err)
	}
	_, err = recordEvent(ctx, tx, actor, event, "webhook", w.ID, w)
	return err
}

// UpdateWebhook changes a webhook's URL, events, inflection, blocklist or headers.
func (s *Store) UpdateWebhook(ctx context.Context, actor docket.Actor, id string, u docket.WebhookUpdate, allowHTTP func(string) bool) (*docket.Webhook, error) {
	return s.mutateWebhook(ctx, actor, id, func(tx *Tx, w *docket.Webhook) error {
		if u.URL != nil {
			w.URL = *u.URL
		}
		if u.EnabledEvents != nil {
			w.EnabledEvents = *u.EnabledEvents
		}
		if u.APIKeyInflection != nil {
			w.APIKeyInflection = *u.APIKeyInflection
		}
		if u.APIAttributesBlocklist != nil {
			w.APIAttributesBlocklist = *u.APIAttributesBlocklist
		}
		if u.CustomHTTPHeaders != nil {
			w.CustomHTTPHeaders = *u.CustomHTTPHeaders
		}
		webhookDefaults(w)
		return w.Validate(allowHTTP)
	})
}

// SetWebhookStatus enables, disables or archives a webhook. Enabling clears the failure
// count; archiving is final.
func (s *Store) SetWebhookStatus(ctx context.Context, actor docket.Actor, id, status string) (*docket.Webhook, error) {
	return s.mutateWebhook(ctx, actor, id, func(tx *Tx, w *docket.Webhook) error {
		switch status {
		case docket.WebhookEnabled:
			w.ConsecutiveFailures, w.DisabledReason = 0, nil
		case docket.WebhookDisabled:
			reason := "disabled through the API"
			w.DisabledReason = &reason
		case docket.WebhookArchived:
			w.ArchivedAt = &tx.now
		default:
			return fmt.Errorf("set webhook status: unknown status %q", status)
		}
		w.Status = status
		return nil
	})
}

// RotateWebhookSecret issues a new secret; the old one keeps signing until grace ends.
func (s *Store) RotateWebhookSecret(ctx context.Context, actor docket.Actor, id string, grace time.Duration) (*docket.Webhook, error) {
	return s.mutateWebhook(ctx, actor, id, func(tx *Tx, w *docket.Webhook) error {
		old := w.Secret
		expires := tx.now.Add(grace)
		w.Secret, w.PreviousSecret, w.PreviousSecretExpiresAt = docket.NewWebhookSecret(), &old, &expires
		return nil
	})
}
