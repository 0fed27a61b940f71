package api

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// decideCaseStatus serves confirm-status (confirm) and reject-status: a second person
// settles the four-eyes proposal on a case. meta.status, if given, is the proposed status
// the caller confirms or sends back (another one is a 409); meta.comment says why. Who may
// settle it is the domain's rule (docket.Confirmer.CheckProposal), applied by the store
// under the case's row lock: a key that belongs to nobody, or the proposer under any of
// their credentials, is refused with 403; a case with no proposal is a 409.
func (s *Server) decideCaseStatus(confirm bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := readMeta(r, "status", "comment")
		if err != nil {
			return err
		}
		m := getter{b.meta, "/meta"}
		var d docket.ProposalDecision
		if d.Status, err = m.str("status"); err != nil {
			return err
		}
		if d.Comment, err = m.str("comment"); err != nil {
			return err
		}
		decide := s.store.RejectCaseStatus
		if confirm {
			decide = s.store.ConfirmCaseStatus
		}
		c, _, err := decide(r.Context(), principal(r).Confirmer(), r.PathValue("id"), d)
		if err != nil {
			return err
		}
		return s.writeCase(w, r, http.StatusOK, c)
	}
}
