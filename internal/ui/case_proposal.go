package ui

import (
	"net/http"
	"time"

	"github.com/docket-hq/docket"
)

// caseProposal serves POST /cases/{id}/proposal/confirm (confirm) and
// /cases/{id}/proposal/reject: a second person confirms or sends back the decision a
// template wants confirmed (four-eyes), with an optional comment, through the store
// methods of the API's confirm-status and reject-status. The page offers the buttons
// only to those docket.Principal.CheckConfirm allows; a forged POST by anyone else (the
// proposer included) is refused by the store's own check, with the 403 page.
func (h *Handler) caseProposal(confirm bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		cc, err := h.caseFor(r)
		if err != nil {
			return err
		}
		if err := cc.need(docket.PermConfirmDecisions); err != nil {
			return err
		}
		d := docket.ProposalDecision{Status: r.PostFormValue("status"), Comment: r.PostFormValue("comment")}
		decide := h.store.RejectCaseStatus
		if confirm {
			decide = h.store.ConfirmCaseStatus
		}
		before := cc.c.Status
		c, cm, err := decide(r.Context(), cc.p.Confirmer(), cc.c.ID, d)
		if docket.ErrorCode(err) == docket.EForbidden {
			_, msg := docket.ErrorField(err)
			return docket.Errorf(docket.EForbidden, "%s.", sentence(msg)) // the 403 page, worded as a sentence
		}
		if err != nil {
			form := map[string]string{"proposal-comment": d.Comment}
			return h.caseRefused(w, r, cc, err, "", form, map[string]string{"comment": "proposal-comment"})
		}
		msg := "Sent back " + d.Status + "; the status stays " + c.Status + "."
		if confirm {
			msg = "Confirmed " + c.Status + ": the status changed from " + before + " to " + c.Status + "."
		}
		if d.Status == "" {
			msg = "Sent back the proposed decision; the status stays " + c.Status + "."
		}
		if cm != nil {
			msg += " Your comment is added."
		}
		return h.caseDone(w, r, c.ID, msg, nil, "")
	}
}

// proposalView is the banner of a decision awaiting a second person's confirmation.
type proposalView struct {
	Status  string
	By      actorView
	When    when
	Comment string // the comment made with the proposal, "" if none (or redacted)
	// CanDecide offers Confirm and Send back; otherwise Why says why not.
	CanDecide bool
	Why       string
}

// proposalOf describes c's proposal for the principal, or nil when none awaits.
// comments are the case's comments, among which the proposal's own.
func proposalOf(now time.Time, d *casePage, p docket.Principal, comments []*docket.Comment, names docket.ActorNames) *proposalView {
	pr := d.Case.Proposal
	if pr == nil || d.Redacted {
		return nil
	}
	v := &proposalView{Status: pr.Status, By: actorOf(pr.By, names), When: whenOf(now, pr.At)}
	for _, cm := range comments {
		if cm.ID == pr.CommentID && cm.RedactedAt == nil {
			v.Comment = cm.Body
		}
	}
	if err := p.CheckConfirm(d.Case); err != nil {
		_, msg := docket.ErrorField(err)
		v.Why = sentence(msg) + "."
	} else {
		v.CanDecide = true
	}
	return v
}
