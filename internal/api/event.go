package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.store.FindEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.visibleEvent(r, e); err != nil {
		return err
	}
	res, err := jsonapi.Event(e)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": res})
	return nil
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixEvent, "name", "object-id", "object-type")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListEvents(r.Context(), docket.EventFilter{Name: filterParam(q, "name"), ObjectID: filterParam(q, "object-id"),
		ObjectType: filterParam(q, "object-type"), Visibility: vis, HiddenObjectTypes: principal(r).HiddenObjectTypes(), Page: p})
	if err != nil {
		return err
	}
	data, ids := make([]any, len(list)), make([]string, len(list))
	for i, e := range list {
		if data[i], err = jsonapi.Event(e); err != nil {
			return err
		}
		ids[i] = e.ID
	}
	writeJSON(w, r, http.StatusOK, listDoc(r, data, ids, pr))
	return nil
}
