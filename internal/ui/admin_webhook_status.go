package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminWebhookEnable serves POST /admin/webhooks/{id}/enable.
func (h *Handler) adminWebhookEnable(w http.ResponseWriter, r *http.Request) error {
	return h.setWebhookStatus(w, r, docket.WebhookEnabled)
}

// adminWebhookDisable serves POST /admin/webhooks/{id}/disable.
func (h *Handler) adminWebhookDisable(w http.ResponseWriter, r *http.Request) error {
	return h.setWebhookStatus(w, r, docket.WebhookDisabled)
}

// adminWebhookArchive serves POST /admin/webhooks/{id}/archive. Archiving is final, so
// its form asks for a confirming tick.
func (h *Handler) adminWebhookArchive(w http.ResponseWriter, r *http.Request) error {
	return h.setWebhookStatus(w, r, docket.WebhookArchived)
}

// setWebhookStatus calls SetWebhookStatus, as the API's enable, disable and archive.
func (h *Handler) setWebhookStatus(w http.ResponseWriter, r *http.Request, status string) error {
	a, err := h.needAdmin(r, docket.PermManageWebhooks)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if status == docket.WebhookArchived && r.PostFormValue("confirm") != "yes" {
		return h.renderWebhook(w, r, a, id, http.StatusUnprocessableEntity,
			map[string]string{"archive": "Tick the box to confirm: an archived webhook cannot be enabled again."})
	}
	hook, err := h.store.SetWebhookStatus(r.Context(), a.P.Actor(), id, status)
	if err != nil {
		return h.webhookRefused(w, r, a, id, "status", err)
	}
	return h.webhookDone(w, r, hook.ID, webhookLabel(hook)+" is "+status+".")
}
