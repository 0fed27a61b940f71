package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// eventBrowser is the event browser: the filters, a page of events and the pager.
type eventBrowser struct {
	// Name, ObjectType and ObjectID are the filters, as GET /api/v1/events takes them.
	Name, ObjectType, ObjectID string
	Names, Types               []string
	Events                     []eventView
	// Older and Newer are the addresses of the pages beside this one ("" for none).
	Older, Newer string
	// Single is set on one event's page, which shows no filters.
	Single bool
}

// eventView is one event with its payload as the API renders it, indented.
type eventView struct {
	*docket.Event
	At      when
	Actor   actorView
	Link    string
	Payload string
}

// eventPageSize is how many events a page of the browser shows.
const eventPageSize = 25

// adminEventList serves GET /admin/events: the events GET /api/v1/events lists, newest
// first, filtered by name, object type and object id, without those of cases (and their
// comments) the user may not see.
func (h *Handler) adminEventList(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermReadEvents)
	if err != nil {
		return err
	}
	p, err := pageParams(r, docket.PrefixEvent, eventPageSize)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d := &eventBrowser{Name: strings.TrimSpace(q.Get("name")), ObjectType: q.Get("object-type"),
		ObjectID: strings.TrimSpace(q.Get("object-id")), Names: docket.EventNames(), Types: docket.EventObjectTypes()}
	list, pr, err := h.store.ListEvents(r.Context(), docket.EventFilter{Name: d.Name, ObjectType: d.ObjectType,
		ObjectID: d.ObjectID, Visibility: a.Vis, Page: p})
	if err != nil {
		return err
	}
	if d.Events, err = h.eventViews(r, a, list); err != nil {
		return err
	}
	after, before := cursors(list, func(e *docket.Event) string { return e.ID }, pr)
	d.Older, d.Newer = d.pageURL("after", after), d.pageURL("before", before)
	return h.render(w, r, http.StatusOK, "admin_events", &View{Title: "Events", Nav: "admin", Data: d})
}

// adminEventShow serves GET /admin/events/{id}: one event, not found if the user may not
// see it (the list's rule, applied by the store).
func (h *Handler) adminEventShow(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermReadEvents)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	list, _, err := h.store.ListEvents(r.Context(), docket.EventFilter{IDs: []string{id}, Visibility: a.Vis, Page: docket.Page{Size: 1}})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return docket.NotFound("event", id)
	}
	d := &eventBrowser{Single: true}
	if d.Events, err = h.eventViews(r, a, list); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_events", &View{Title: "Event " + list[0].Name, Nav: "admin", Data: d})
}

// pageURL is the browser's address with the same filters and one cursor ("" without it).
func (d *eventBrowser) pageURL(cursor, id string) string {
	if id == "" {
		return ""
	}
	v := url.Values{cursor: {id}}
	for k, x := range map[string]string{"name": d.Name, "object-type": d.ObjectType, "object-id": d.ObjectID} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return "/admin/events?" + v.Encode()
}

// eventViews renders events with who caused them and their payloads.
func (h *Handler) eventViews(r *http.Request, a *access, list []*docket.Event) ([]eventView, error) {
	actors := make([]docket.Actor, len(list))
	for i, e := range list {
		actors[i] = e.Actor
	}
	names, err := h.store.NameActors(r.Context(), actors)
	if err != nil {
		return nil, err
	}
	now := h.now()
	out := make([]eventView, len(list))
	for i, e := range list {
		res, err := jsonapi.Event(e)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // the template escapes; keep <, > and & readable
		enc.SetIndent("", "  ")
		if err := enc.Encode(res["attributes"].(jsonapi.Object)["payload"]); err != nil {
			return nil, err
		}
		out[i] = eventView{Event: e, At: whenOf(now, e.CreatedAt), Actor: actorOf(e.Actor, names),
			Link: objectLink(a, e.ObjectType, e.ObjectID), Payload: buf.String()}
	}
	return out, nil
}

// objectLink is the dashboard page of an event's object, if there is one the user may open.
func objectLink(a *access, objectType, id string) string {
	switch {
	case objectType == "case":
		return "/cases/" + url.PathEscape(id)
	case objectType == "workflow-run" && a.P.Can(docket.PermReadWorkflows):
		return "/workflow-runs/" + url.PathEscape(id)
	case objectType == "webhook" && a.P.Can(docket.PermManageWebhooks):
		return webhookPath(id)
	case objectType == "workflow" && a.P.Can(docket.PermManageWorkflows):
		return "/admin/workflows/" + url.PathEscape(id)
	}
	return ""
}
