package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/docket-hq/docket"
)

// CountQueueCases counts, each up to limit, the cases a queue holds that vis does not hide
// and those of them nobody holds. An unknown queue holds nothing.
func (s *Store) CountQueueCases(ctx context.Context, queueID string, vis docket.Visibility, limit int) (docket.QueueCount, error) {
	var out docket.QueueCount
	q, err := findQueue(ctx, s.reader(), queueID, "")
	if docket.ErrorCode(err) == docket.ENotFound {
		return out, nil
	} else if err != nil {
		return out, err
	}
	holds, args := queueHolds(q, s.clock())
	where := []string{holds}
	if cond, vargs := visibilitySQL(vis); cond != "" {
		where, args = append(where, cond), append(args, vargs...)
	}
	if out.Open, err = s.countCases(ctx, "cases c", where, args, limit); err != nil {
		return out, fmt.Errorf("count cases of queue %s: %w", queueID, err)
	}
	if out.Unassigned, err = s.countCases(ctx, "cases c", append(where, "c.assignee_id IS NULL"), args, limit); err != nil {
		return out, fmt.Errorf("count unassigned cases of queue %s: %w", queueID, err)
	}
	return out, nil
}

// openAssignedWhere selects a user's open cases that vis does not hide; the partial index
// cases_open_assignee finds them without reading the user's resolved cases.
func openAssignedWhere(userID string, vis docket.Visibility) ([]string, []any) {
	where := []string{"c.assignee_id = ?", "c.resolved_at IS NULL", "c.redacted_at IS NULL"}
	args := []any{userID}
	if cond, vargs := visibilitySQL(vis); cond != "" {
		where, args = append(where, cond), append(args, vargs...)
	}
	return where, args
}

// ListOpenAssignedCases returns up to limit of a user's open cases, in queue order.
func (s *Store) ListOpenAssignedCases(ctx context.Context, userID string, vis docket.Visibility, limit int) ([]*docket.Case, error) {
	where, args := openAssignedWhere(userID, vis)
	q := `SELECT ` + caseCols + ` FROM cases c WHERE ` + strings.Join(where, " AND ") + queueOrder + ` LIMIT ?`
	cases, err := queryAll(ctx, s.reader(), q, append(args, limit), scanCase)
	if err != nil {
		return nil, fmt.Errorf("list open cases of %s: %w", userID, err)
	}
	return cases, loadCaseRelations(ctx, s.reader(), cases)
}

// CountOpenAssignedCases counts, up to limit, a user's open cases that vis does not hide.
func (s *Store) CountOpenAssignedCases(ctx context.Context, userID string, vis docket.Visibility, limit int) (int, error) {
	where, args := openAssignedWhere(userID, vis)
	n, err := s.countCases(ctx, "cases c", where, args, limit)
	if err != nil {
		return 0, fmt.Errorf("count open cases of %s: %w", userID, err)
	}
	return n, nil
}
