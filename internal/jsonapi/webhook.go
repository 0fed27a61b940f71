package jsonapi

import "github.com/docket-hq/docket"

// HostedAPIVersion is the version of the hosted API that Docket's API follows, which
// webhooks show as their api-version.
const HostedAPIVersion = "2023-01-05"

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
		// Docket filters deliveries by event name only (enabled-events), never by payload.
		"api-version": HostedAPIVersion, "payload-filter": Object{},
	}, nil)
}

// WebhookBody is the body POSTed to w for event e: the event rendered with the webhook's
// key inflection and attribute blocklist. Delivery sends it; the delivery log shows it.
func WebhookBody(w *docket.Webhook, e *docket.Event) ([]byte, error) {
	return RenderEvent(e, w.APIKeyInflection, w.APIAttributesBlocklist)
}

// Delivery renders one attempt to deliver an event to a webhook. body is the request
// body (WebhookBody of the attempt's event, as it reads now), or nil when the reader may
// not see the event: then the response snippet, which may echo the body, is left out too.
func Delivery(d *docket.Delivery, body []byte) Object {
	var request any
	snippet := ""
	if body != nil {
		request, snippet = string(body), d.ResponseSnippet
	}
	return resource("webhook-delivery", d.ID, Object{
		"event-id": d.EventID, "attempt": d.Attempt, "succeeded": d.Succeeded, "status-code": d.StatusCode,
		"latency-ms": d.LatencyMS, "error": d.Error, "request-body": request, "response-snippet": snippet,
		"first-attempted-at": ts(d.FirstAttemptedAt), "created-at": ts(d.CreatedAt),
	}, Object{"webhook": one("webhook", &d.WebhookID), "event": one("event", &d.EventID)})
}
