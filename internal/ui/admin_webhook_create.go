package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminWebhookNew serves GET /admin/webhooks/new: the create form.
func (h *Handler) adminWebhookNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageWebhooks); err != nil {
		return err
	}
	f := &webhookForm{Events: map[string]bool{}, Inflection: "kebab", Groups: eventGroups()}
	return h.webhookFormPage(w, r, http.StatusOK, f, nil)
}

// adminWebhookCreate serves POST /admin/webhooks: CreateWebhook, as POST /api/v1/webhooks.
// The answer is the signing secret itself, not a redirect: the secret is shown this once
// and nowhere else, so it must not travel in a cookie or a URL to a next page.
func (h *Handler) adminWebhookCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageWebhooks)
	if err != nil {
		return err
	}
	f, u, err := readWebhookForm(r)
	if err != nil {
		return h.webhookFormRefused(w, r, f, err)
	}
	hook := &docket.Webhook{URL: *u.URL, EnabledEvents: *u.EnabledEvents, APIKeyInflection: *u.APIKeyInflection,
		APIAttributesBlocklist: *u.APIAttributesBlocklist, CustomHTTPHeaders: *u.CustomHTTPHeaders}
	if err := h.store.CreateWebhook(r.Context(), a.P.Actor(), hook, h.allowHTTP); err != nil {
		return h.webhookFormRefused(w, r, f, err)
	}
	return h.webhookSecretPage(w, r, hook, "Webhook created")
}

// secretPage is what admin_webhook_secret shows: a secret just issued.
type secretPage struct {
	Webhook *docket.Webhook
	// Rotated says the secret replaces another, which keeps signing until Grace ends.
	Rotated bool
	Grace   *when
}

// webhookSecretPage shows a webhook's new secret, once.
func (h *Handler) webhookSecretPage(w http.ResponseWriter, r *http.Request, hook *docket.Webhook, title string) error {
	d := &secretPage{Webhook: hook, Rotated: hook.PreviousSecretExpiresAt != nil}
	if d.Rotated {
		g := whenOf(h.now(), *hook.PreviousSecretExpiresAt)
		d.Grace = &g
	}
	return h.render(w, r, http.StatusOK, "admin_webhook_secret", &View{Title: title, Nav: "admin", Data: d})
}
