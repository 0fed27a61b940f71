package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// API keys are managed by admins (docket.PermManageAPIKeys, scope api_key.write). The
// secret is shown once, in the answer to POST: only its hash is stored.

func (s *Server) listAPIKeys(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixAPIKey)
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListAPIKeysPage(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, func(k *docket.APIKey) obj { return jsonapi.APIKey(k, "") }))
	return nil
}

func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("name", "scopes", "expires-at", "user-id"); err != nil {
		return err
	}
	var n docket.NewAPIKey
	if n.Name, err = g.str("name"); err != nil {
		return err
	}
	if n.Scopes, err = g.strList("scopes"); err != nil {
		return err
	}
	if n.UserID, err = g.nullableStr("user-id"); err != nil {
		return err
	}
	expires, err := g.nullableStr("expires-at")
	if err != nil {
		return err
	}
	if expires != nil {
		if n.ExpiresAt, err = docket.ParseAPIKeyExpiry(*expires); err != nil {
			return err
		}
	}
	secret := docket.NewAPIKeySecret()
	k, err := s.store.IssueAPIKey(r.Context(), n, secret)
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "api key created", "api_key_id", k.ID, "actor", actor(r).ID)
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.APIKey(k, secret)})
	return nil
}

func (s *Server) getAPIKey(w http.ResponseWriter, r *http.Request) error {
	k, err := s.store.FindAPIKey(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.APIKey(k, "")})
	return nil
}

// revokeAPIKey revokes a key: its next request is refused in every process, since keys
// are looked up on every request. Revoking a revoked key keeps its first revocation.
func (s *Server) revokeAPIKey(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	k, err := s.store.RevokeAPIKey(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "api key revoked", "api_key_id", k.ID, "actor", actor(r).ID)
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.APIKey(k, "")})
	return nil
}
