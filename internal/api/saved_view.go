package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// Saved views belong to one user. A person, or a key that belongs to one, reaches only
// their own (someone else's is not found); a key that belongs to nobody reaches
// everyone's and names the user (docket.Principal.SavedViewOwner).

var savedViewAttrs = []string{"name", "query", "user-id"}

func (s *Server) listSavedViews(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixSavedView, "user-id")
	if err != nil {
		return err
	}
	f := docket.SavedViewFilter{Page: p}
	if f.UserID, err = filterID(r.URL.Query(), "user-id", docket.PrefixUser); err != nil {
		return err
	}
	if owner := principal(r).SavedViewOwner(); owner != "" {
		if f.UserID != "" && f.UserID != owner {
			return docket.Errorf(docket.EForbidden, "a user may only list their own saved views")
		}
		f.UserID = owner
	}
	list, pr, err := s.store.ListSavedViews(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.SavedView))
	return nil
}

func (s *Server) createSavedView(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(savedViewAttrs...); err != nil {
		return err
	}
	v := &docket.SavedView{}
	if v.Name, err = g.str("name"); err != nil {
		return err
	}
	if v.Query, err = g.str("query"); err != nil {
		return err
	}
	if v.UserID, err = g.str("user-id"); err != nil {
		return err
	}
	switch owner := principal(r).SavedViewOwner(); {
	case owner != "" && v.UserID != "" && v.UserID != owner:
		return docket.Errorf(docket.EForbidden, "a user may only keep their own saved views")
	case owner != "":
		v.UserID = owner
	case v.UserID == "":
		return invalidPointer(g.ptr("user-id"), "user-id is required: this API key belongs to no user")
	}
	if err := s.store.CreateSavedView(r.Context(), v); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.SavedView(v)})
	return nil
}

func (s *Server) getSavedView(w http.ResponseWriter, r *http.Request) error {
	v, err := s.store.FindSavedView(r.Context(), principal(r).SavedViewOwner(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.SavedView(v)})
	return nil
}

func (s *Server) updateSavedView(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if g.has("user-id") {
		return invalidPointer(g.ptr("user-id"), "a saved view cannot change hands")
	}
	if err := g.onlyKeys(savedViewAttrs...); err != nil {
		return err
	}
	var u docket.SavedViewUpdate
	for _, f := range []struct {
		key string
		dst **string
	}{{"name", &u.Name}, {"query", &u.Query}} {
		if !g.has(f.key) {
			continue
		}
		v, err := g.str(f.key)
		if err != nil {
			return err
		}
		*f.dst = &v
	}
	v, err := s.store.UpdateSavedView(r.Context(), principal(r).SavedViewOwner(), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.SavedView(v)})
	return nil
}

func (s *Server) deleteSavedView(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	if err := s.store.DeleteSavedView(r.Context(), principal(r).SavedViewOwner(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
