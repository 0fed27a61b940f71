package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// badgeLimit caps the unread count of the header badge: above 99 it says "99+", so the
// count reads at most 100 index entries on every page.
const badgeLimit = 100

// unreadBadge counts the signed-in user's unread notifications for the header badge. A
// failure is logged and hides the badge: it must not take the page down with it.
func (h *Handler) unreadBadge(r *http.Request) int {
	u := auth.UserFrom(r.Context())
	a, err := h.access(r)
	if err == nil && !a.P.Can(docket.PermReadNotifications) {
		return 0
	}
	var n int
	if err == nil {
		n, err = h.store.CountUnreadNotifications(r.Context(), u.ID, a.Vis, badgeLimit)
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "count unread notifications", "error", err)
		return 0
	}
	return n
}
