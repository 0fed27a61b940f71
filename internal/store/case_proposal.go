package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

// Four-eyes decisions (docket.Proposal): changeStatus proposes a status that the template
// wants confirmed; ConfirmCaseStatus and RejectCaseStatus settle the proposal under the
// case's row lock, applying docket.Confirmer.CheckProposal there so that two people
// deciding at once cannot both win.

// proposalCols are the proposal columns of a case row, as scanned.
type proposalCols struct {
	status, byType, byID, byUser, comment sql.NullString
	at                                    sql.NullInt64
}

func (p proposalCols) proposal() *docket.Proposal {
	if !p.status.Valid {
		return nil
	}
	return &docket.Proposal{Status: p.status.String, By: docket.Actor{Type: p.byType.String, ID: p.byID.String},
		ByUserID: p.byUser.String, At: fromMS(p.at.Int64), CommentID: p.comment.String}
}

// proposalArgs are the values of the proposal columns, in the order of caseCols.
func proposalArgs(p *docket.Proposal) []any {
	if p == nil {
		return []any{nil, nil, nil, nil, nil, nil}
	}
	return []any{p.Status, p.By.Type, p.By.ID, nullIfEmpty(p.ByUserID), ms(p.At), nullIfEmpty(p.CommentID)}
}

// propose records on c that actor proposes status, leaving its status as it is.
func propose(ctx context.Context, tx *Tx, c *docket.Case, status string, actor docket.Actor) ([]string, error) {
	person, err := personOf(ctx, tx, actor)
	if err != nil {
		return nil, err
	}
	c.Proposal = &docket.Proposal{Status: status, By: actor, ByUserID: person, At: tx.now}
	return []string{docket.EventCaseResolutionProposed}, nil
}

// personOf returns the user behind an actor: a user is themselves, an API key is the user
// it belongs to (if any); a workflow run, a policy or the system is nobody ("").
func personOf(ctx context.Context, tx *Tx, a docket.Actor) (string, error) {
	switch a.Type {
	case docket.ActorUser:
		return a.ID, nil
	case docket.ActorAPIKey:
		var user sql.NullString
		err := tx.queryRow(ctx, `SELECT user_id FROM api_keys WHERE id = ?`, a.ID).Scan(&user)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("find the user of API key %s: %w", a.ID, err)
		}
		return user.String, nil
	}
	return "", nil
}

// ConfirmCaseStatus sets the status proposed on a case: the change SetCaseStatus would
// have made (case.status-updated, case.resolved ...), made by the confirmer.
func (s *Store) ConfirmCaseStatus(ctx context.Context, by docket.Confirmer, id string, d docket.ProposalDecision) (*docket.Case, *docket.Comment, error) {
	return s.decideProposal(ctx, by, id, d, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		next, ok := t.FindStatus(c.Proposal.Status)
		if !ok {
			return nil, docket.Invalid("status", "%q is no longer a status of case template %s: send the decision back", c.Proposal.Status, t.Name)
		}
		c.Proposal = nil
		return enterStatus(c, t, next, tx.now, by.Actor), nil
	})
}

// RejectCaseStatus sends a proposal back: it is cleared, the case keeps its status.
func (s *Store) RejectCaseStatus(ctx context.Context, by docket.Confirmer, id string, d docket.ProposalDecision) (*docket.Case, *docket.Comment, error) {
	return s.decideProposal(ctx, by, id, d, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		c.Proposal = nil
		return []string{docket.EventCaseResolutionRejected}, nil
	})
}

// decideProposal checks, under the case's row lock, that by may settle the proposal d
// names, applies settle and adds d's comment, all in one change.
func (s *Store) decideProposal(ctx context.Context, by docket.Confirmer, id string, d docket.ProposalDecision, settle caseChange) (*docket.Case, *docket.Comment, error) {
	body := strings.TrimSpace(d.Comment)
	if body != "" {
		var err error
		if body, err = commentBody(d.Comment, "comment"); err != nil {
			return nil, nil, err
		}
	}
	var cm *docket.Comment
	c, err := s.mutateCase(ctx, by.Actor, id, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		if err := by.CheckProposal(c, d.Status); err != nil {
			return nil, err
		}
		events, err := settle(tx, c, t)
		if err != nil || body == "" {
			return events, err
		}
		cm, err = insertComment(ctx, tx, by.Actor, c, body)
		return events, err
	})
	if err != nil {
		return nil, nil, err
	}
	return c, cm, nil
}

// ListProposedCases returns up to limit cases whose decision awaits a second person,
// oldest proposal first, except those excludeUserID proposed and those vis hides. The
// partial index cases_proposed holds only the cases with a proposal.
func (s *Store) ListProposedCases(ctx context.Context, excludeUserID string, vis docket.Visibility, limit int) ([]*docket.Case, error) {
	where, args := []string{"c.proposed_status IS NOT NULL"}, []any{}
	if excludeUserID != "" {
		where, args = append(where, "(c.proposed_by_user_id IS NULL OR c.proposed_by_user_id <> ?)"), append(args, excludeUserID)
	}
	if cond, vargs := visibilitySQL(vis); cond != "" {
		where, args = append(where, cond), append(args, vargs...)
	}
	q := `SELECT ` + caseCols + ` FROM cases c WHERE ` + strings.Join(where, " AND ") + ` ORDER BY c.proposed_at, c.id LIMIT ?`
	cases, err := queryAll(ctx, s.reader(), q, append(args, limit), scanCase)
	if err != nil {
		return nil, fmt.Errorf("list proposed cases: %w", err)
	}
	return cases, loadCaseRelations(ctx, s.reader(), cases)
}
