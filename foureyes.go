package docket

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Four-eyes decisions. A case template may name end statuses (FourEyesStatuses, such as
// Declined) that a second person must confirm. Whoever first sets such a status, by any
// path (the API's set-status, a bulk action, a workflow, the dashboard), records a
// Proposal instead: the case keeps its status and stays unresolved, and
// case.resolution-proposed is written. A different person then confirms it (the status is
// set then, so case.resolved and the workflows it starts act on the confirmed decision)
// or sends it back (case.resolution-rejected). While a proposal awaits, the case's status
// does not change any other way.

// Events of four-eyes decisions.
const (
	EventCaseResolutionProposed = "case.resolution-proposed"
	EventCaseResolutionRejected = "case.resolution-rejected"
)

// NotifyResolutionProposed is the notification kind that tells the people who may
// confirm a proposal (PermConfirmDecisions, the case visible to them, not the proposer)
// that a decision awaits them.
const NotifyResolutionProposed = "case-resolution-proposed"

// Proposal is a decision awaiting a second person's confirmation.
type Proposal struct {
	// Status is the proposed status.
	Status string `json:"status"`
	// By is who proposed it, as recorded (a user, an API key, a workflow run).
	By Actor `json:"by"`
	// ByUserID is the person behind By: the user, or the user an API key belongs to; ""
	// when no person proposed it (a key that belongs to nobody, a workflow run). That
	// person may not confirm the proposal, whichever credential they use.
	ByUserID string    `json:"by-user-id,omitempty"`
	At       time.Time `json:"at"`
	// CommentID is the comment made with the proposal, if any. Its text lives in the
	// comment (so that redacting the case erases it with the other comments).
	CommentID string `json:"comment-id,omitempty"`
}

// NeedsConfirmation reports whether entering status needs a second person's confirmation.
func (t *CaseTemplate) NeedsConfirmation(status string) bool {
	return slices.Contains(t.FourEyesStatuses, status)
}

// validateFourEyes checks that FourEyesStatuses names end statuses of the template, once
// each: only a decision that resolves a case is worth a second person's look, and a
// working status set by mistake is undone by setting another.
func (t *CaseTemplate) validateFourEyes() error {
	for i, name := range t.FourEyesStatuses {
		field := FieldIndex("four-eyes-statuses", i)
		if s, ok := t.FindStatus(name); !ok || s.Type != StatusEnd {
			return Invalid(field, "%q is not an end status of this template (four-eyes statuses must be among %v)", name, t.Resolutions())
		}
		if slices.Index(t.FourEyesStatuses, name) != i {
			return Invalid(field, "%q appears twice", name)
		}
	}
	return nil
}

// CheckStatusChange refuses any change of status while a proposal awaits confirmation:
// the pending decision is confirmed or sent back first, so that a proposal never
// describes a case that has moved on, and nobody decides past it.
func (c *Case) CheckStatusChange() error {
	if c.Proposal == nil {
		return nil
	}
	return &Error{Code: EConflict, Field: "status", Message: fmt.Sprintf(
		"%s is proposed for case %s and awaits a second person's confirmation: confirm it or send it back first", c.Proposal.Status, c.Name)}
}

// Confirmer is who confirms or sends back a proposal: the actor to record and the person
// acting (UserID, "" when no person acts: an API key that belongs to nobody).
type Confirmer struct {
	Actor  Actor
	UserID string
}

// Confirmer returns who the principal confirms as. A workflow run has no principal, and
// so can never confirm.
func (p Principal) Confirmer() Confirmer {
	cf := Confirmer{Actor: p.Actor()}
	if p.valid() && p.User != nil {
		cf.UserID = p.User.ID
	}
	return cf
}

// CheckProposal applies the four-eyes rules that depend on the case to cf: there must be
// a proposal (of status, if status is not ""), and cf must be a person other than the one
// who proposed it. The store applies it under the case's row lock, so that of two people
// confirming at once one wins and the other meets no proposal (a conflict).
func (cf Confirmer) CheckProposal(c *Case, status string) error {
	switch {
	case c.Proposal == nil:
		return Errorf(EConflict, "case %s has no decision awaiting confirmation", c.Name)
	case status != "" && status != c.Proposal.Status:
		return &Error{Code: EConflict, Field: "status", Message: fmt.Sprintf(
			"the decision awaiting confirmation on case %s is now %s, not %s", c.Name, c.Proposal.Status, status)}
	case cf.UserID == "":
		return Errorf(EForbidden, "confirming or sending back a decision needs a person: use the dashboard or an API key that belongs to a user")
	case cf.UserID == c.Proposal.ByUserID:
		return Errorf(EForbidden, "you proposed %s yourself: a second person must confirm it or send it back", c.Proposal.Status)
	}
	return nil
}

// CheckConfirm reports why the principal may not confirm or send back the proposal on c
// (nil if it may): it needs PermConfirmDecisions and must pass Confirmer.CheckProposal.
// The dashboard asks it to decide whether to offer the buttons; the store decides again
// when the change is made.
func (p Principal) CheckConfirm(c *Case) error {
	if !p.Can(PermConfirmDecisions) {
		return Errorf(EForbidden, "%s", p.Refusal(PermConfirmDecisions))
	}
	return p.Confirmer().CheckProposal(c, "")
}

// ProposalDecision is a confirmation or a sending back of a proposal.
type ProposalDecision struct {
	// Status is the proposed status the decider saw; "" takes whatever is proposed. A
	// proposal of another status is a conflict, so that nobody confirms what they did
	// not see.
	Status string
	// Comment says why (optional); it becomes a comment on the case, written with the
	// decision or not at all.
	Comment string
}

// ProposalService confirms and sends back four-eyes proposals. Both refuse, with the
// rules of Confirmer.CheckProposal, under the case's row lock.
type ProposalService interface {
	// ConfirmCaseStatus sets the proposed status, as SetCaseStatus would have, with the
	// confirmer as the case's resolver, and clears the proposal.
	ConfirmCaseStatus(ctx context.Context, by Confirmer, id string, d ProposalDecision) (*Case, *Comment, error)
	// RejectCaseStatus clears the proposal and records case.resolution-rejected; the
	// case keeps its status.
	RejectCaseStatus(ctx context.Context, by Confirmer, id string, d ProposalDecision) (*Case, *Comment, error)
	// ListProposedCases returns up to limit cases whose decision awaits a second person,
	// oldest proposal first, leaving out those that excludeUserID proposed (they may not
	// confirm them) and those vis hides: what awaits someone who may confirm.
	ListProposedCases(ctx context.Context, excludeUserID string, vis Visibility, limit int) ([]*Case, error)
}
