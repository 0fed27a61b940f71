package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixNotification, "unread")
	if err != nil {
		return err
	}
	unread := false
	switch v := filterParam(r.URL.Query(), "unread"); v {
	case "", "false":
	case "true":
		unread = true
	default:
		return badParam("filter[unread]", "filter[unread] must be true or false")
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListNotifications(r.Context(), docket.NotificationFilter{UserID: r.PathValue("id"), UnreadOnly: unread, Visibility: vis, Page: p})
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.Notification))
	return nil
}

func (s *Server) readNotification(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	n, err := s.store.MarkNotificationRead(r.Context(), r.PathValue("id"), r.PathValue("notification"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Notification(n)})
	return nil
}

// readAllNotifications marks the user's unread notifications read: all of them, or with
// meta.up-to (a notification id) that one and older ones, so that a client marks what it
// has shown and not one that arrived since. It answers with meta.marked, the count.
func (s *Server) readAllNotifications(w http.ResponseWriter, r *http.Request) error {
	b, err := readMeta(r, "up-to")
	if err != nil {
		return err
	}
	m := getter{b.meta, "/meta"}
	upTo, err := m.str("up-to")
	if err != nil {
		return err
	}
	if upTo != "" && !docket.ValidID(docket.PrefixNotification, upTo) {
		return invalidPointer("/meta/up-to", "meta.up-to must be a notification id")
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	n, err := s.store.MarkAllNotificationsRead(r.Context(), r.PathValue("id"), upTo, vis)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"meta": obj{"marked": n}})
	return nil
}
