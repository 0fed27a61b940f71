package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixNotification)
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
	list, pr, err := s.store.ListNotifications(r.Context(), r.PathValue("id"), unread, p)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.Notification))
	return nil
}

func (s *Server) readNotification(w http.ResponseWriter, r *http.Request) error {
	n, err := s.store.MarkNotificationRead(r.Context(), r.PathValue("id"), r.PathValue("notification"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Notification(n)})
	return nil
}
