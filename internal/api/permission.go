package api

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// This file holds what the API asks of docket.Principal beyond the route's permission
// (middleware.go): which cases the caller may see, and whose cases it may assign.
// Keys without a user see everything and pass every check here, as they always did.

// requestAuth is who made the request, with what they may not see, read once per request.
type requestAuth struct {
	principal docket.Principal
	vis       *docket.Visibility
}

func reqAuth(r *http.Request) *requestAuth {
	a, _ := r.Context().Value(ctxAuth).(*requestAuth)
	if a == nil {
		return &requestAuth{}
	}
	return a
}

// principal returns who is making the request (the zero Principal outside authenticated).
func principal(r *http.Request) docket.Principal { return reqAuth(r).principal }

// visibility returns what the caller may not see; only a key that belongs to a user
// costs a read (of every template's roles).
func (s *Server) visibility(r *http.Request) (docket.Visibility, error) {
	a := reqAuth(r)
	if a.vis == nil {
		v, err := docket.LoadVisibility(r.Context(), a.principal, s.store)
		if err != nil {
			return docket.Visibility{}, err
		}
		a.vis = &v
	}
	return *a.vis, nil
}

// caseRoute registers an endpoint under /cases/{id}: a case the caller may not see is
// answered exactly as a case that does not exist (404), before anything else happens.
func (s *Server) caseRoute(pattern string, perm docket.Permission, h handlerFunc) {
	s.route(pattern, perm, func(w http.ResponseWriter, r *http.Request) error {
		if _, err := s.visibleCase(r, r.PathValue("id")); err != nil {
			return err
		}
		return h(w, r)
	})
}

// visibleCase returns the case, or a not-found error when the caller may not see it.
// Callers that see everything skip the read.
func (s *Server) visibleCase(r *http.Request, id string) (*docket.Case, error) {
	vis, err := s.visibility(r)
	if err != nil || !vis.Restricted() {
		return nil, err
	}
	c, err := s.store.FindCase(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if vis.Hides(c.TemplateID) {
		return nil, docket.NotFound("case", id)
	}
	return c, nil
}

// visibleCaseIDs drops the ids of cases the caller may not see (an object's cases, a
// case's related cases), keeping the order.
func (s *Server) visibleCaseIDs(r *http.Request, ids []string) ([]string, error) {
	vis, err := s.visibility(r)
	if err != nil || !vis.Restricted() || len(ids) == 0 {
		return ids, err
	}
	cases, err := s.store.FindCases(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	template := make(map[string]string, len(cases))
	for _, c := range cases {
		template[c.ID] = c.TemplateID
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if t, ok := template[id]; ok && !vis.Hides(t) {
			out = append(out, id)
		}
	}
	return out, nil
}

// visibleEvent returns a not-found error for an event the caller may not see. The store
// decides which (the events list's Visibility filter), so one event and a list agree.
func (s *Server) visibleEvent(r *http.Request, e *docket.Event) error {
	vis, err := s.visibility(r)
	hidden := principal(r).HiddenObjectTypes()
	if err != nil || (!vis.Restricted() && len(hidden) == 0) {
		return err
	}
	list, _, err := s.store.ListEvents(r.Context(), docket.EventFilter{IDs: []string{e.ID}, Visibility: vis, HiddenObjectTypes: hidden, Page: docket.Page{Size: 1}})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return docket.NotFound("event", e.ID)
	}
	return nil
}

// checkAssign refuses an assignment that needs PermAssignOthers when the caller lacks
// it: giving a case to someone else, or taking or releasing a case someone else holds.
// A person may take an unassigned case and give up their own. email is the new
// assignee ("" unassigns); caseID names the case, or is "" for a queue claim (whose
// case is unassigned).
func (s *Server) checkAssign(r *http.Request, caseID, email string) error {
	p := principal(r)
	if p.Can(docket.PermAssignOthers) {
		return nil
	}
	refuse := docket.Errorf(docket.EForbidden, "%s", p.Refusal(docket.PermAssignOthers))
	if p.User == nil {
		return refuse
	}
	// Principal.CanAssign decides on user ids; an address that is not the caller's
	// stands for "someone else" (it can never equal the caller's id).
	next := email
	if email != "" && docket.NormalizeEmail(email) == p.User.Email {
		next = p.User.ID
	}
	holder := ""
	if caseID != "" {
		c, err := s.store.FindCase(r.Context(), caseID)
		if err != nil {
			return err
		}
		if c.AssigneeID != nil {
			holder = *c.AssigneeID
		}
	}
	if !p.CanAssign(holder, next) {
		return refuse
	}
	return nil
}

// ownNotifications lets a person reach only their own notifications (/users/{id}/...);
// someone else's are refused unless the caller may manage users.
func (s *Server) ownNotifications(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := principal(r)
		if p.User != nil && p.User.ID != r.PathValue("id") && !p.Can(docket.PermManageUsers) {
			return docket.Errorf(docket.EForbidden, "%s", p.Refusal(docket.PermManageUsers)+": a user may only reach their own notifications")
		}
		return h(w, r)
	}
}

// objectCaseIDs returns the cases an object is attached to that the caller may see.
func (s *Server) objectCaseIDs(r *http.Request, objectID string) ([]string, error) {
	ids, err := s.store.ObjectCaseIDs(r.Context(), objectID)
	if err != nil {
		return nil, err
	}
	return s.visibleCaseIDs(r, ids)
}

// checkIncludes refuses, with a 403 naming the include parameter, an ?include of
// resources the caller may not read at their own endpoint (accounts without
// read-objects, the assignee without read-users, ...): an include shows what that
// endpoint shows. It runs before the handler, so a refused include writes nothing.
// Names that no resource includes are left to the handler, which refuses them with a 400.
func checkIncludes(r *http.Request, p docket.Principal) error {
	raw := r.URL.Query().Get("include")
	if raw == "" {
		return nil
	}
	for _, name := range strings.Split(raw, ",") {
		name = jsonapi.Kebab(strings.TrimSpace(name))
		if perm, ok := jsonapi.IncludePermission(name); ok && !p.Can(perm) {
			e := docket.Errorf(docket.EForbidden, "cannot include %s: %s", name, p.Refusal(perm))
			e.Parameter = "include"
			return e
		}
	}
	return nil
}
