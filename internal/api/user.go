package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("email-address", "name", "role", "available"); err != nil {
		return err
	}
	u := &docket.User{Available: true}
	if u.Email, err = g.str("email-address"); err != nil {
		return err
	}
	if u.Name, err = g.str("name"); err != nil {
		return err
	}
	if u.Role, err = g.str("role"); err != nil {
		return err
	}
	avail, err := g.boolPtr("available")
	if err != nil {
		return err
	}
	if avail != nil {
		u.Available = *avail
	}
	if err := s.store.CreateUser(r.Context(), actor(r), u); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.User(u)})
	return nil
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("name", "role", "available"); err != nil {
		return err
	}
	var u docket.UserUpdate
	if g.has("name") {
		name, err := g.str("name")
		if err != nil {
			return err
		}
		u.Name = &name
	}
	if g.has("role") {
		role, err := g.str("role")
		if err != nil {
			return err
		}
		u.Role = &role
	}
	if u.Available, err = g.boolPtr("available"); err != nil {
		return err
	}
	user, err := s.store.UpdateUser(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.User(user)})
	return nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.store.FindUser(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.User(u)})
	return nil
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixUser)
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListUsers(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.User))
	return nil
}

// deactivateUser deactivates a user: they cannot sign in, their sessions end, their API
// keys are refused and they get no new cases; the user and their history stay. A person
// may not deactivate themselves (docket.CheckDeactivation).
func (s *Server) deactivateUser(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	if err := docket.CheckDeactivation(principal(r), r.PathValue("id")); err != nil {
		return err
	}
	u, err := s.store.DeactivateUser(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.User(u)})
	return nil
}

// reactivateUser undoes deactivateUser.
func (s *Server) reactivateUser(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	u, err := s.store.ReactivateUser(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.User(u)})
	return nil
}
