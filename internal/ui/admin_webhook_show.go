package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// webhookPage is a webhook's page: its settings, the forms that change it, and its
// delivery log, newest attempt first.
type webhookPage struct {
	Webhook *docket.Webhook
	// HeaderNames are the custom headers sent; their values (often a receiver's
	// credentials) show on the edit form only.
	HeaderNames      []string
	Created, Updated when
	// PreviousUntil is when a rotated secret stops signing, while it still does.
	PreviousUntil *when
	GraceHours    int64
	Deliveries    []deliveryView
	After, Before string
}

// deliveryView is one attempt of the log with its request and response bodies.
type deliveryView struct {
	*docket.Delivery
	At when
	// Request is the body sent (the event as the webhook's settings render it now),
	// indented for reading; Response what the endpoint answered. Hidden says the reader
	// may not see the event (a case of a template hidden from their role): both are
	// left out.
	Request, Response string
	Hidden            bool
}

// deliveryLogSize is how many attempts a page of the log shows.
const deliveryLogSize = 20

// adminWebhookShow serves GET /admin/webhooks/{id}.
func (h *Handler) adminWebhookShow(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageWebhooks)
	if err != nil {
		return err
	}
	return h.renderWebhook(w, r, a, r.PathValue("id"), http.StatusOK, nil)
}

// renderWebhook shows a webhook's page; errs holds a refused form's message under the
// form's key ("status", "rotate", "redeliver").
func (h *Handler) renderWebhook(w http.ResponseWriter, r *http.Request, a *access, id string, status int, errs map[string]string) error {
	hook, err := h.store.FindWebhook(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := pageParams(r, docket.PrefixDelivery, deliveryLogSize)
	if err != nil {
		return err
	}
	now := h.now()
	d := &webhookPage{Webhook: hook, Created: whenOf(now, hook.CreatedAt), Updated: whenOf(now, hook.UpdatedAt),
		GraceHours: int64(h.secretGrace.Hours())}
	for k := range hook.CustomHTTPHeaders {
		d.HeaderNames = append(d.HeaderNames, k)
	}
	sort.Strings(d.HeaderNames)
	if exp := hook.PreviousSecretExpiresAt; exp != nil && exp.After(now) {
		until := whenOf(now, *exp)
		d.PreviousUntil = &until
	}
	if err := h.deliveryLog(r, a, hook, p, d); err != nil {
		return err
	}
	return h.render(w, r, status, "admin_webhook_show", &View{Title: "Webhook", Nav: "admin", Errors: errs, Data: d})
}

// webhookRefused shows the webhook's page again after the store refused a change made
// by one of its forms (formKey): a conflict (an archived webhook, a disabled one asked to
// redeliver) or an invalid value goes above that form; other errors are shown as a page.
func (h *Handler) webhookRefused(w http.ResponseWriter, r *http.Request, a *access, id, formKey string, err error) error {
	status := refusedStatus(err)
	if status == 0 {
		return err
	}
	_, msg := docket.ErrorField(err)
	return h.renderWebhook(w, r, a, id, status, map[string]string{formKey: sentence(msg)})
}

// deliveryLog reads a page of the webhook's attempts into d, each with the bodies the
// reader may see (docket.DeliveryEvents, as the API's delivery list).
func (h *Handler) deliveryLog(r *http.Request, a *access, hook *docket.Webhook, p docket.Page, d *webhookPage) error {
	list, pr, err := h.store.ListDeliveries(r.Context(), hook.ID, p)
	if err != nil {
		return err
	}
	events, err := docket.DeliveryEvents(r.Context(), h.store, list, a.Vis)
	if err != nil {
		return err
	}
	now := h.now()
	for _, del := range list {
		v := deliveryView{Delivery: del, At: whenOf(now, del.CreatedAt), Hidden: events[del.EventID] == nil}
		if !v.Hidden {
			body, err := jsonapi.WebhookBody(hook, events[del.EventID])
			if err != nil {
				return err
			}
			v.Request, v.Response = indentJSON(body), indentJSON([]byte(del.ResponseSnippet))
		}
		d.Deliveries = append(d.Deliveries, v)
	}
	d.After, d.Before = cursors(list, func(x *docket.Delivery) string { return x.ID }, pr)
	return nil
}

// indentJSON indents a JSON text for reading; anything else is returned as it is.
func indentJSON(b []byte) string {
	var buf bytes.Buffer
	if json.Indent(&buf, b, "", "  ") != nil {
		return string(b)
	}
	return buf.String()
}

// webhookPath is the address of a webhook's page.
func webhookPath(id string) string { return "/admin/webhooks/" + url.PathEscape(id) }
