package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminWebhookEdit serves GET /admin/webhooks/{id}/edit: the form with the webhook's
// settings.
func (h *Handler) adminWebhookEdit(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageWebhooks); err != nil {
		return err
	}
	hook, err := h.store.FindWebhook(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if hook.Status == docket.WebhookArchived {
		return docket.Errorf(docket.EConflict, "This webhook is archived: it can no longer be changed.")
	}
	return h.webhookFormPage(w, r, http.StatusOK, webhookFormOf(hook), nil)
}

// adminWebhookUpdate serves POST /admin/webhooks/{id}/edit: UpdateWebhook with every
// setting of the form, as PATCH /api/v1/webhooks/{id}.
func (h *Handler) adminWebhookUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageWebhooks)
	if err != nil {
		return err
	}
	f, u, err := readWebhookForm(r)
	f.ID = r.PathValue("id")
	if err != nil {
		return h.webhookFormRefused(w, r, f, err)
	}
	hook, err := h.store.UpdateWebhook(r.Context(), a.P.Actor(), f.ID, u, h.allowHTTP)
	if err != nil {
		return h.webhookFormRefused(w, r, f, err)
	}
	return h.webhookDone(w, r, hook.ID, webhookLabel(hook)+" is saved.")
}

// webhookDone redirects to the webhook's page with a message.
func (h *Handler) webhookDone(w http.ResponseWriter, r *http.Request, id, msg string) error {
	h.setFlash(w, r, secretFrom(r.Context()), msg)
	http.Redirect(w, r, webhookPath(id), http.StatusSeeOther)
	return nil
}
