package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

const commentCols = `id, case_id, body, commenter_type, commenter_id, created_at, updated_at, redacted_at`

func scanComment(row scanner) (*docket.Comment, error) {
	var c docket.Comment
	var created, updated int64
	var redacted sql.NullInt64
	if err := row.Scan(&c.ID, &c.CaseID, &c.Body, &c.Commenter.Type, &c.Commenter.ID, &created, &updated, &redacted); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt, c.RedactedAt = fromMS(created), fromMS(updated), fromNullMS(redacted)
	return &c, nil
}

// AddComment adds a comment to a case and records case-comment.created.
func (s *Store) AddComment(ctx context.Context, actor docket.Actor, caseID, body string) (*docket.Comment, error) {
	body, err := commentBody(body, "body")
	if err != nil {
		return nil, err
	}
	var cm *docket.Comment
	_, err = s.mutateCase(ctx, actor, caseID, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		var err error
		if cm, err = insertComment(ctx, tx, actor, c, body); err != nil {
			return nil, err
		}
		// The case itself is touched (updated-at, version) but records no event of its own.
		return []string{}, saveCase(ctx, tx, actor, c, nil)
	})
	return cm, err
}

// SetCaseStatusWithComment changes a case's status and comments on it in one change, so
// that a decision is never recorded without the reason given for it (or the other way
// round). An empty comment adds none.
func (s *Store) SetCaseStatusWithComment(ctx context.Context, actor docket.Actor, id, status, comment string) (*docket.Case, *docket.Comment, error) {
	var cm *docket.Comment
	body := strings.TrimSpace(comment)
	if body != "" {
		var err error
		if body, err = commentBody(body, "comment"); err != nil {
			return nil, nil, err
		}
	}
	c, err := s.mutateCase(ctx, actor, id, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		events, err := changeStatus(ctx, tx, c, t, status, actor)
		if err != nil || body == "" {
			return events, err
		}
		if cm, err = insertComment(ctx, tx, actor, c, body); err != nil {
			return nil, err
		}
		if slices.Contains(events, docket.EventCaseResolutionProposed) {
			c.Proposal.CommentID = cm.ID // the reason for the proposal, for the one who confirms it
		}
		if len(events) == 0 {
			// Only the comment: the case is touched, as by AddComment.
			return []string{}, saveCase(ctx, tx, actor, c, nil)
		}
		return events, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return c, cm, nil
}

// commentBody trims a comment and checks its length; field names the input.
func commentBody(body, field string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" || len(body) > docket.MaxCommentLength {
		return "", docket.Invalid(field, "a comment must be 1 to %d characters", docket.MaxCommentLength)
	}
	return body, nil
}

// insertComment writes a comment on c (locked by the caller) and its event.
func insertComment(ctx context.Context, tx *Tx, actor docket.Actor, c *docket.Case, body string) (*docket.Comment, error) {
	cm := &docket.Comment{ID: docket.NewID(docket.PrefixComment), CaseID: c.ID, Body: body, Commenter: actor,
		CreatedAt: tx.now, UpdatedAt: tx.now}
	if _, err := tx.exec(ctx, `INSERT INTO case_comments (id, case_id, body, commenter_type, commenter_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, cm.ID, c.ID, body, actor.Type, actor.ID, ms(tx.now), ms(tx.now)); err != nil {
		return nil, fmt.Errorf("insert comment on case %s: %w", c.ID, err)
	}
	c.CommentIDs = append(c.CommentIDs, cm.ID)
	if _, err := recordEvent(ctx, tx, actor, docket.EventCommentCreated, "case-comment", cm.ID, cm); err != nil {
		return nil, err
	}
	return cm, nil
}

// ListComments returns a page of a case's comments, newest first.
func (s *Store) ListComments(ctx context.Context, caseID string, p docket.Page) ([]*docket.Comment, docket.PageResult, error) {
	if _, err := s.FindCase(ctx, caseID); err != nil {
		return nil, docket.PageResult{}, err
	}
	q, args := listSQL(`SELECT `+commentCols+` FROM case_comments`, []string{"case_id = ?"}, []any{caseID}, "id", p)
	items, r, err := queryPage(ctx, s.reader(), q, args, p, scanComment)
	if err != nil {
		return nil, r, fmt.Errorf("list comments of case %s: %w", caseID, err)
	}
	return items, r, nil
}

// FindComments returns the comments with the given ids.
func (s *Store) FindComments(ctx context.Context, ids []string) ([]*docket.Comment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, s.reader(), `SELECT `+commentCols+` FROM case_comments WHERE id IN (`+placeholders(len(ids))+`) ORDER BY id`, anys(ids), scanComment)
	if err != nil {
		return nil, fmt.Errorf("find comments: %w", err)
	}
	return out, nil
}
