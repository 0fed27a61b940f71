package docket

import (
	"context"
	"fmt"
	"strings"
)

// Bulk actions: one change applied to a selection of cases.
const (
	BulkAssign    = "assign"
	BulkSetStatus = "set-status"
	BulkAddTag    = "add-tag"
)

// BulkActions lists the bulk actions.
var BulkActions = []string{BulkAssign, BulkSetStatus, BulkAddTag}

// MaxBulkCases bounds a bulk action's selection: a page of the case list at most, so
// that one request never holds the database for long.
const MaxBulkCases = MaxPageSize

// BulkAction is one change to apply to each of CaseIDs.
type BulkAction struct {
	CaseIDs []string
	Action  string
	// UserEmail is who gets the cases (assign); "" unassigns them.
	UserEmail string
	// Status is the status to set (set-status).
	Status string
	// Tag is the tag to add (add-tag).
	Tag string
}

// Validate checks the action and its selection, dropping repeated case ids.
func (b *BulkAction) Validate() error {
	if !contains(BulkActions, b.Action) {
		return Invalid("action", "action must be one of %s", strings.Join(BulkActions, ", "))
	}
	if len(b.CaseIDs) == 0 {
		return Invalid("case-ids", "select at least one case")
	}
	if len(b.CaseIDs) > MaxBulkCases {
		return Invalid("case-ids", "select at most %d cases at once", MaxBulkCases)
	}
	ids := make([]string, 0, len(b.CaseIDs))
	for i, id := range b.CaseIDs {
		if !ValidID(PrefixCase, id) {
			return Invalid(FieldIndex("case-ids", i), "%q is not a case id", id)
		}
		if !contains(ids, id) {
			ids = append(ids, id)
		}
	}
	b.CaseIDs = ids
	switch b.Action {
	case BulkSetStatus:
		if b.Status = strings.TrimSpace(b.Status); b.Status == "" {
			return Invalid("status", "choose the status to set")
		}
	case BulkAddTag:
		tags, err := NormalizeTags([]string{b.Tag}, "tag-name")
		if err != nil {
			return Invalid("tag-name", "a tag must be 1 to %d characters", MaxTagLength)
		}
		b.Tag = tags[0]
	}
	return nil
}

// permission returns what the action asks of each case beyond PermBulkActions: what the
// same change to one case needs.
func (b *BulkAction) permission() Permission {
	if b.Action == BulkAssign {
		return PermAssignOthers
	}
	return PermWorkCases
}

// BulkResult is what became of one case of a bulk action.
type BulkResult struct {
	CaseID string
	// Name is the case's name, or its id when the caller may not see it.
	Name string
	// Case is the case after the change (or unchanged, if it already was so); nil when
	// the case was refused.
	Case *Case
	// Err says why the case was refused (a *Error: not found, invalid ...); nil when it
	// was changed.
	Err error
	// Proposed tells that the status set is one the template wants a second person to
	// confirm: the case holds it as a proposal and keeps its status (see Proposal).
	Proposed bool
}

// RunBulk applies b to each selected case, in order, each in its own transaction and
// through the same CaseService method that changes one case, so that each case keeps
// its own rules (a status its template lacks refuses that case only) and writes its own
// events. A case that vis hides is refused as not found, like a case that does not
// exist. The principal needs PermBulkActions and what the change needs for one case.
//
// Refusals are results, not errors; the error is for a request refused whole (invalid,
// forbidden) or for a failure of the store, which stops the run: cases changed before it
// stay changed.
func RunBulk(ctx context.Context, cs CaseService, p Principal, vis Visibility, b BulkAction) ([]BulkResult, error) {
	for _, perm := range []Permission{PermBulkActions, b.permission()} {
		if !p.Can(perm) {
			return nil, Errorf(EForbidden, "%s", p.Refusal(perm))
		}
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	found, err := cs.FindCases(ctx, b.CaseIDs)
	if err != nil {
		return nil, fmt.Errorf("bulk %s: %w", b.Action, err)
	}
	names := make(map[string]string, len(found))
	for _, c := range found {
		if !vis.Hides(c.TemplateID) {
			names[c.ID] = c.Name
		}
	}
	out := make([]BulkResult, 0, len(b.CaseIDs))
	for _, id := range b.CaseIDs {
		res := BulkResult{CaseID: id, Name: id}
		name, ok := names[id]
		if !ok {
			res.Err = NotFound("case", id)
			out = append(out, res)
			continue
		}
		res.Name = name
		res.Case, res.Err = b.apply(ctx, cs, p.Actor(), id)
		res.Proposed = b.Action == BulkSetStatus && res.Case != nil && res.Case.Proposal != nil && res.Case.Proposal.Status == b.Status
		if res.Err != nil && ErrorCode(res.Err) == "" {
			return nil, fmt.Errorf("bulk %s of case %s: %w", b.Action, id, res.Err)
		}
		out = append(out, res)
	}
	return out, nil
}

func (b *BulkAction) apply(ctx context.Context, cs CaseService, actor Actor, id string) (*Case, error) {
	switch b.Action {
	case BulkAssign:
		return cs.AssignCase(ctx, actor, id, b.UserEmail)
	case BulkSetStatus:
		return cs.SetCaseStatus(ctx, actor, id, b.Status)
	default:
		return cs.ChangeCaseTags(ctx, actor, id, "add", []string{b.Tag})
	}
}
