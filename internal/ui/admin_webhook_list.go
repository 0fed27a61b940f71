package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// webhookRow is a webhook as a line of the list, with its newest delivery attempt.
type webhookRow struct {
	*docket.Webhook
	Last   *docket.Delivery
	LastAt when
}

// webhookList is a page of webhooks with the cursors of the pages beside it.
type webhookList struct {
	Webhooks      []webhookRow
	After, Before string
}

// adminWebhookList serves GET /admin/webhooks: every webhook, newest first, with its
// status, the events it is sent and how its last delivery went.
func (h *Handler) adminWebhookList(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageWebhooks); err != nil {
		return err
	}
	p, err := pageParams(r, docket.PrefixWebhook, docket.DefaultPageSize)
	if err != nil {
		return err
	}
	list, pr, err := h.store.ListWebhooks(r.Context(), p)
	if err != nil {
		return err
	}
	now := h.now()
	d := &webhookList{}
	for _, hook := range list {
		// One indexed read per webhook: installs have a handful of them.
		last, _, err := h.store.ListDeliveries(r.Context(), hook.ID, docket.Page{Size: 1})
		if err != nil {
			return err
		}
		row := webhookRow{Webhook: hook}
		if len(last) > 0 {
			row.Last, row.LastAt = last[0], whenOf(now, last[0].CreatedAt)
		}
		d.Webhooks = append(d.Webhooks, row)
	}
	d.After, d.Before = cursors(list, func(x *docket.Webhook) string { return x.ID }, pr)
	return h.render(w, r, http.StatusOK, "admin_webhooks", &View{Title: "Webhooks", Nav: "admin", Data: d})
}
