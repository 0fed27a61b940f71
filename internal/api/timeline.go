package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// caseTimeline lists the events of a case, of its comments and of its objects, newest
// first, paged like every list. Each event's meta.actor says who did it (type, id and,
// when known, name) so that a client can show the timeline without further reads.
func (s *Server) caseTimeline(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixEvent)
	if err != nil {
		return err
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	list, pr, err := s.store.CaseTimeline(r.Context(), docket.TimelineFilter{CaseID: r.PathValue("id"), Visibility: vis, Page: p})
	if err != nil {
		return err
	}
	actors := make([]docket.Actor, len(list))
	for i, e := range list {
		actors[i] = e.Actor
	}
	names, err := s.store.NameActors(r.Context(), actors)
	if err != nil {
		return err
	}
	data, ids := make([]any, len(list)), make([]string, len(list))
	for i, e := range list {
		res, err := jsonapi.Event(e)
		if err != nil {
			return err
		}
		actor := obj{"type": e.Actor.Type, "id": e.Actor.ID, "name": nil}
		if n := names.Name(e.Actor); n != "" {
			actor["name"] = n
		}
		res["meta"] = obj{"actor": actor}
		data[i], ids[i] = res, e.ID
	}
	writeJSON(w, r, http.StatusOK, listDoc(r, data, ids, pr))
	return nil
}

// listCaseActions lists the case-action workflows offered on the case: what the
// dashboard shows as buttons, run with POST /cases/{id}/actions/{workflow-id}.
func (s *Server) listCaseActions(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.FindCase(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	list, err := s.store.CaseActions(r.Context(), c.TemplateID)
	if err != nil {
		return err
	}
	data := make([]any, len(list))
	for i, a := range list {
		data[i] = jsonapi.CaseAction(a)
	}
	writeJSON(w, r, http.StatusOK, obj{"data": data})
	return nil
}
