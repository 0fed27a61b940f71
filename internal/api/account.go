package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// accountKeys are the attributes an account's create and update take.
var accountKeys = append([]string{"reference-id", "fields", "tags"}, identityKeys...)

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(accountKeys...); err != nil {
		return err
	}
	a := &docket.Account{}
	id, err := readIdentity(g)
	if err != nil {
		return err
	}
	a.Identity.Apply(id)
	if a.ReferenceID, err = g.nullableStr("reference-id"); err != nil {
		return err
	}
	if a.Fields, err = g.object("fields"); err != nil {
		return err
	}
	if a.Tags, err = g.strList("tags"); err != nil {
		return err
	}
	if err := s.store.CreateAccount(r.Context(), actor(r), a); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Account(shownAccount(r, a), nil)})
	return nil
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(accountKeys...); err != nil {
		return err
	}
	var u docket.AccountUpdate
	if u.Identity, err = readIdentity(g); err != nil {
		return err
	}
	if g.has("reference-id") {
		ref, err := g.nullableStr("reference-id")
		if err != nil {
			return err
		}
		u.ReferenceID = &ref
	}
	if u.Fields, err = g.object("fields"); err != nil {
		return err
	}
	if g.has("tags") {
		tags, err := g.strList("tags")
		if err != nil {
			return err
		}
		u.Tags = &tags
	}
	a, err := s.store.UpdateAccount(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Account(shownAccount(r, a), nil)})
	return nil
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.store.FindAccount(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	cases, err := s.objectCaseIDs(r, a.ID)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Account(shownAccount(r, a), cases)})
	return nil
}

func (s *Server) redactAccount(w http.ResponseWriter, r *http.Request) error {
	a, err := s.store.RedactAccount(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Account(shownAccount(r, a), nil)})
	return nil
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixAccount, "reference-id")
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListAccounts(r.Context(), docket.AccountFilter{ReferenceID: filterParam(r.URL.Query(), "reference-id"), Page: p})
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, func(x *docket.Account) obj { return jsonapi.Account(shownAccount(r, x), nil) }))
	return nil
}
