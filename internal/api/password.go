package api

import (
	"context"
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// LinkIssuer issues one-time set-password links (internal/auth's Service does).
type LinkIssuer interface {
	IssueLink(ctx context.Context, userID, purpose string) (*auth.Link, error)
}

// issuePasswordReset gives an admin a one-time link to pass on to the user, who follows it
// to choose a new password. The link is in meta: it is not a resource anyone can fetch
// again, and it is shown once.
func (s *Server) issuePasswordReset(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	l, err := s.cfg.Links.IssueLink(r.Context(), r.PathValue("id"), docket.LinkReset)
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "password reset link issued", "user_id", r.PathValue("id"), "actor", actor(r).ID)
	writeJSON(w, r, http.StatusCreated, obj{"meta": obj{"url": l.URL, "purpose": l.Purpose, "expires-at": l.ExpiresAt.UTC().Format(docket.TimeFormat)}})
	return nil
}
