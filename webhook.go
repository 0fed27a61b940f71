package docket

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
)

// Webhook states.
const (
	WebhookEnabled  = "enabled"
	WebhookDisabled = "disabled"
	WebhookArchived = "archived"
)

// Webhook events.
const (
	EventWebhookCreated  = "webhook.created"
	EventWebhookUpdated  = "webhook.updated"
	EventWebhookDisabled = "webhook.disabled"
)

// PrefixWebhookSecret starts every webhook signing secret.
const PrefixWebhookSecret = "wbhsec"

// PrefixDelivery starts every webhook delivery attempt id.
const PrefixDelivery = "wbhdlv"

// WebhookMaxAttempts is how many times one event is offered to an endpoint.
const WebhookMaxAttempts = 8

// Webhook sends events to a customer's endpoint, signed with its secret.
type Webhook struct {
	ID                     string            `json:"id"`
	URL                    string            `json:"url"`
	Status                 string            `json:"status"`
	EnabledEvents          []string          `json:"enabled-events"`
	APIKeyInflection       string            `json:"api-key-inflection"`
	APIAttributesBlocklist []string          `json:"api-attributes-blocklist"`
	CustomHTTPHeaders      map[string]string `json:"custom-http-headers"`
	// Secret signs deliveries. It must be kept in clear (encrypted at rest by the
	// database's storage, if at all) because signing needs it; it is shown once.
	Secret string `json:"-"`
	// PreviousSecret keeps signing alongside Secret until PreviousSecretExpiresAt, so
	// receivers can switch over after a rotation.
	PreviousSecret          *string    `json:"-"`
	PreviousSecretExpiresAt *time.Time `json:"previous-secret-expires-at"`
	ConsecutiveFailures     int        `json:"consecutive-failures"`
	DisabledReason          *string    `json:"disabled-reason"`
	CreatedAt               time.Time  `json:"created-at"`
	UpdatedAt               time.Time  `json:"updated-at"`
	ArchivedAt              *time.Time `json:"archived-at"`
}

// Wants reports whether the webhook subscribes to the named event. SAR events go only to
// a webhook marked for SAR access (SARAccess): "*" alone does not bring them.
func (w *Webhook) Wants(event string) bool {
	if EventObjectType(event) == KindSAR.Type && !w.SARAccess() {
		return false
	}
	for _, e := range w.EnabledEvents {
		if e == "*" || e == event {
			return true
		}
		if strings.HasSuffix(e, ".*") && strings.HasPrefix(event, strings.TrimSuffix(e, "*")) {
			return true
		}
	}
	return false
}

// SARAccess reports whether the webhook is marked for SAR access: it names SAR events
// explicitly ("sar.*" or a sar. name), which only someone who may file SARs can set
// (CheckWebhookEvents). It alone receives SAR events and the events of SAR cases.
func (w *Webhook) SARAccess() bool {
	for _, e := range w.EnabledEvents {
		if strings.HasPrefix(e, KindSAR.Type+".") {
			return true
		}
	}
	return false
}

// CheckWebhookEvents refuses to mark a webhook for SAR access (events naming sar.) for a
// principal who may not file SARs: the webhook would send them reports they may not read.
func (p Principal) CheckWebhookEvents(events []string) error {
	w := Webhook{EnabledEvents: events}
	if w.SARAccess() && !p.Can(PermManageSARs) {
		return &Error{Code: EForbidden, Field: "enabled-events", Message: "SAR events go only to webhooks set up by someone who may " + PermManageSARs.Phrase()}
	}
	return nil
}

// Secrets returns the secrets that sign a delivery at now: the current one, and the
// previous one while its grace period lasts.
func (w *Webhook) Secrets(now time.Time) []string {
	out := []string{w.Secret}
	if w.PreviousSecret != nil && w.PreviousSecretExpiresAt != nil && now.Before(*w.PreviousSecretExpiresAt) {
		out = append(out, *w.PreviousSecret)
	}
	return out
}

// NewWebhookSecret returns a fresh signing secret.
func NewWebhookSecret() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("read random: %v", err))
	}
	return PrefixWebhookSecret + "_" + hex.EncodeToString(b)
}

// Validate checks a webhook's attributes. Whether the URL's address may be reached is
// decided at delivery time, after DNS resolution.
func (w *Webhook) Validate(allowHTTP func(host string) bool) error {
	u, err := url.Parse(w.URL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || len(w.URL) > 2048 {
		return Invalid("url", "url must be an absolute https URL without credentials")
	}
	if u.Scheme == "http" && (allowHTTP == nil || !allowHTTP(u.Hostname())) {
		return Invalid("url", "url must use https (the operator has not allowed http to %s)", u.Hostname())
	}
	if len(w.EnabledEvents) == 0 {
		return Invalid("enabled-events", "list at least one event name, or \"*\" for all")
	}
	for i, e := range w.EnabledEvents {
		if e == "" || len(e) > 100 || strings.ContainsAny(e, " \t") {
			return Invalid(FieldIndex("enabled-events", i), "%q is not an event name", e)
		}
	}
	switch w.APIKeyInflection {
	case "kebab", "camel", "snake":
	default:
		return Invalid("api-key-inflection", "api-key-inflection must be kebab, camel or snake")
	}
	for i, b := range w.APIAttributesBlocklist {
		if _, err := path.Match(b, ""); err != nil || b == "" {
			return Invalid(FieldIndex("api-attributes-blocklist", i), "%q is not a dotted path or glob", b)
		}
	}
	if len(w.CustomHTTPHeaders) > 20 {
		return Invalid("custom-http-headers", "at most 20 custom headers")
	}
	for k, v := range w.CustomHTTPHeaders {
		if !validHeaderName(k) || strings.ContainsAny(v, "\r\n") || reservedHeader(k) {
			return Invalid(FieldKey("custom-http-headers", k), "%q cannot be sent as a custom header", k)
		}
	}
	return nil
}

func validHeaderName(k string) bool {
	if k == "" || len(k) > 100 {
		return false
	}
	for _, r := range k {
		if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func reservedHeader(k string) bool {
	k = strings.ToLower(k)
	return strings.HasPrefix(k, "persona-") || k == "host" || k == "content-length" || k == "content-type" || k == "transfer-encoding"
}

// Delivery is one attempt to deliver one event to one webhook.
type Delivery struct {
	ID               string    `json:"id"`
	WebhookID        string    `json:"webhook-id"`
	EventID          string    `json:"event-id"`
	Attempt          int       `json:"attempt"`
	Succeeded        bool      `json:"succeeded"`
	StatusCode       int       `json:"status-code"`
	LatencyMS        int64     `json:"latency-ms"`
	Error            string    `json:"error"`
	ResponseSnippet  string    `json:"response-snippet"`
	FirstAttemptedAt time.Time `json:"first-attempted-at"`
	CreatedAt        time.Time `json:"created-at"`
}

// WebhookUpdate holds what a PATCH may change.
type WebhookUpdate struct {
	URL                    *string
	EnabledEvents          *[]string
	APIKeyInflection       *string
	APIAttributesBlocklist *[]string
	CustomHTTPHeaders      *map[string]string
}

// WebhookService manages webhooks and their delivery log.
type WebhookService interface {
	CreateWebhook(ctx context.Context, actor Actor, w *Webhook, allowHTTP func(string) bool) error
	FindWebhook(ctx context.Context, id string) (*Webhook, error)
	ListWebhooks(ctx context.Context, p Page) ([]*Webhook, PageResult, error)
	UpdateWebhook(ctx context.Context, actor Actor, id string, u WebhookUpdate, allowHTTP func(string) bool) (*Webhook, error)
	// SetWebhookStatus enables, disables or archives a webhook.
	SetWebhookStatus(ctx context.Context, actor Actor, id, status string) (*Webhook, error)
	// RotateWebhookSecret issues a new secret; the old one keeps signing for grace.
	RotateWebhookSecret(ctx context.Context, actor Actor, id string, grace time.Duration) (*Webhook, error)
	ListDeliveries(ctx context.Context, webhookID string, p Page) ([]*Delivery, PageResult, error)
	// Redeliver queues the delivery's event for the webhook again, with fresh attempts.
	Redeliver(ctx context.Context, webhookID, deliveryID string) error
}

// DeliveryEvents returns, by id, the events of the deliveries that vis lets the reader
// see: the delivery log shows what was sent only to those who may read it (a case of a
// template hidden from the reader's role stays hidden there too). It reads one page.
func DeliveryEvents(ctx context.Context, es EventService, list []*Delivery, vis Visibility) (map[string]*Event, error) {
	var ids []string
	for _, d := range list {
		if !slices.Contains(ids, d.EventID) {
			ids = append(ids, d.EventID)
		}
	}
	out := make(map[string]*Event, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	events, _, err := es.ListEvents(ctx, EventFilter{IDs: ids, Visibility: vis, Page: Page{Size: len(ids)}})
	if err != nil {
		return nil, fmt.Errorf("events of deliveries: %w", err)
	}
	for _, e := range events {
		out[e.ID] = e
	}
	return out, nil
}
