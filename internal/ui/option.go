package ui

import "time"

// Option sets one of the operator's settings that the dashboard shares with the API.
type Option func(*Handler)

// WithWebhookHTTP lets webhooks use plain http to the hosts allow accepts (the API's
// Config.AllowHTTP, DOCKET_WEBHOOK_ALLOW_HTTP); without it every webhook needs https.
func WithWebhookHTTP(allow func(host string) bool) Option {
	return func(h *Handler) { h.allowHTTP = allow }
}

// WithSecretGrace sets how long a rotated webhook secret keeps signing unless the admin
// picks another period (the API's Config.SecretGrace; 24 hours by default).
func WithSecretGrace(d time.Duration) Option {
	return func(h *Handler) { h.secretGrace = d }
}
