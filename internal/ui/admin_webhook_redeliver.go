package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminWebhookRedeliver serves POST /admin/webhooks/{id}/deliveries/{delivery}/redeliver:
// Redeliver, as the API's redeliver. The event is queued again with fresh attempts; its
// outcome joins the log as new attempts.
func (h *Handler) adminWebhookRedeliver(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageWebhooks)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := h.store.Redeliver(r.Context(), id, r.PathValue("delivery")); err != nil {
		return h.webhookRefused(w, r, a, id, "redeliver", err)
	}
	return h.webhookDone(w, r, id, "The event is queued for delivery again; its attempts will show in the log below.")
}
