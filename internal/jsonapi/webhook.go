package jsonapi

import "github.com/docket-hq/docket"

// Webhook renders a webhook; the secret only when it was just created or rotated.
func Webhook(w *docket.Webhook, showSecret bool) Object {
	var secret any
	if showSecret {
		secret = w.Secret
	}
	return resource("webhook", w.ID, Object{
		"url": w.URL, "status": w.Status, "enabled-events": orEmpty(w.EnabledEvents),
		"api-key-inflection": w.APIKeyInflection, "api-attributes-blocklist": orEmpty(w.APIAttributesBlocklist),
		"custom-http-headers": w.CustomHTTPHeaders, "secret": secret,
		"previous-secret-expires-at": tsPtr(w.PreviousSecretExpiresAt), "consecutive-failures": w.ConsecutiveFailures,
		"disabled-reason": strOrNil(w.DisabledReason), "created-at": ts(w.CreatedAt), "updated-at": ts(w.UpdatedAt),
		"archived-at": tsPtr(w.ArchivedAt),
	}, nil)
}

// Delivery renders one attempt to deliver an event to a webhook.
func Delivery(d *docket.Delivery) Object {
	return resource("webhook-delivery", d.ID, Object{
		"event-id": d.EventID, "attempt": d.Attempt, "succeeded": d.Succeeded, "status-code": d.StatusCode,
		"latency-ms": d.LatencyMS, "error": d.Error, "response-snippet": d.ResponseSnippet,
		"first-attempted-at": ts(d.FirstAttemptedAt), "created-at": ts(d.CreatedAt),
	}, Object{"webhook": one("webhook", &d.WebhookID), "event": one("event", &d.EventID)})
}
