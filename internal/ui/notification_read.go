package ui

import (
	"fmt"
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// canMark refuses users who may not mark notifications read (no role lacks it today,
// but the rule is the permission's, not this page's).
func (h *Handler) canMark(r *http.Request) (*access, error) {
	a, err := h.access(r)
	if err != nil {
		return nil, err
	}
	if !a.P.Can(docket.PermMarkNotifications) {
		return nil, docket.Errorf(docket.EForbidden, "%s", a.P.Refusal(docket.PermMarkNotifications))
	}
	return a, nil
}

// notificationRead marks one of the user's notifications read and goes back to the page
// the form was on (the same store method as POST /api/v1/users/{id}/notifications/{id}/read).
func (h *Handler) notificationRead(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.canMark(r); err != nil {
		return err
	}
	u := auth.UserFrom(r.Context())
	if _, err := h.store.MarkNotificationRead(r.Context(), u.ID, r.PathValue("id")); err != nil {
		return err
	}
	http.Redirect(w, r, backTo(r, "/notifications"), http.StatusSeeOther)
	return nil
}

// notificationReadAll marks the user's unread notifications read, up to the newest the
// page showed (the form's up_to), as POST /api/v1/users/{id}/notifications/read-all does.
func (h *Handler) notificationReadAll(w http.ResponseWriter, r *http.Request) error {
	a, err := h.canMark(r)
	if err != nil {
		return err
	}
	upTo := r.PostFormValue("up_to")
	if upTo != "" && !docket.ValidID(docket.PrefixNotification, upTo) {
		return docket.Invalid("up_to", "up_to must be a notification id")
	}
	u := auth.UserFrom(r.Context())
	n, err := h.store.MarkAllNotificationsRead(r.Context(), u.ID, upTo, a.Vis)
	if err != nil {
		return err
	}
	h.setFlash(w, r, secretFrom(r.Context()), fmt.Sprintf("Marked %s %s read.", grouped(n), plural(n, "notification", "notifications")))
	http.Redirect(w, r, backTo(r, "/notifications"), http.StatusSeeOther)
	return nil
}

// backTo returns the form's "back" field if it is a path on this site, else fallback.
func backTo(r *http.Request, fallback string) string {
	if b := r.PostFormValue("back"); b != "" {
		if next := safeNext(b); next != "/" || b == "/" {
			return next
		}
	}
	return fallback
}
