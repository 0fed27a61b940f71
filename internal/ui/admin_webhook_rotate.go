package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// maxGraceHours bounds the grace period of a rotated secret: 30 days, as the API's
// meta.grace-period-seconds.
const maxGraceHours = 30 * 24

// adminWebhookRotate serves POST /admin/webhooks/{id}/rotate-secret: RotateWebhookSecret,
// as the API's rotate-secret. The old secret keeps signing beside the new one for the
// hours the admin gives, so that the receiver can switch over; the new secret is shown
// once, in the answer.
func (h *Handler) adminWebhookRotate(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageWebhooks)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	hours, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("grace-hours")), 10, 64)
	if err != nil || hours < 0 || hours > maxGraceHours {
		return h.renderWebhook(w, r, a, id, http.StatusUnprocessableEntity,
			map[string]string{"rotate": "The grace period must be a whole number of hours from 0 to 720 (30 days)."})
	}
	hook, err := h.store.RotateWebhookSecret(r.Context(), a.P.Actor(), id, time.Duration(hours)*time.Hour)
	if err != nil {
		return h.webhookRefused(w, r, a, id, "rotate", err)
	}
	return h.webhookSecretPage(w, r, hook, "Secret rotated")
}
