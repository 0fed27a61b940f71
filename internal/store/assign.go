package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/docket-hq/docket"
)

// assignNewCases applies the template's assignment policy to new cases of one batch, in
// order. The caller holds the template row's lock, so the rotation and the open-case
// counts read here cannot change under it, even with several processes.
func assignNewCases(ctx context.Context, tx *Tx, t *docket.CaseTemplate, cases []*docket.Case, objectIDs [][]string) error {
	if t.AssignmentPolicy.Type == docket.AssignManual || len(t.AssignmentPolicy.UserIDs) == 0 {
		return nil
	}
	a, err := loadAssigner(ctx, tx, t)
	if err != nil {
		return err
	}
	policy := &docket.Actor{Type: docket.ActorAssignmentPolicy, ID: t.ID}
	for i, c := range cases {
		var creators []string
		if t.AssignmentPolicy.Type == docket.AssignInquiryCreator {
			if creators, err = inquiryCreators(ctx, tx, objectIDs[i]); err != nil {
				return err
			}
		}
		if id, ok := a.Pick(creators); ok {
			c.AssigneeID, c.AssignedAt, c.Assigner = &id, &tx.now, policy
		}
	}
	if _, err := tx.exec(ctx, `UPDATE case_templates SET rr_last_user_id = ? WHERE id = ?`, a.Last, t.ID); err != nil {
		return fmt.Errorf("save rotation of %s: %w", t.ID, err)
	}
	return nil
}

func loadAssigner(ctx context.Context, tx *Tx, t *docket.CaseTemplate) (*docket.Assigner, error) {
	ids := t.AssignmentPolicy.UserIDs
	a := &docket.Assigner{Template: t, Policy: t.AssignmentPolicy, Members: map[string]*docket.Member{}}
	var last sql.NullString
	if err := tx.queryRow(ctx, `SELECT rr_last_user_id FROM case_templates WHERE id = ?`, t.ID).Scan(&last); err != nil {
		return nil, fmt.Errorf("read rotation of %s: %w", t.ID, err)
	}
	a.Last = last.String
	members, err := queryAll(ctx, tx.reader(), `SELECT id, email, role, available, deactivated_at IS NOT NULL FROM users
		WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids), func(r scanner) (*docket.Member, error) {
		var m docket.Member
		return &m, r.Scan(&m.UserID, &m.Email, &m.Role, &m.Available, &m.Deactivated)
	})
	if err != nil {
		return nil, fmt.Errorf("read assignment group of %s: %w", t.ID, err)
	}
	for _, m := range members {
		a.Members[m.UserID] = m
	}
	if t.AssignmentPolicy.Type != docket.AssignFewestCases {
		return a, nil
	}
	type count struct {
		id string
		n  int
	}
	counts, err := queryAll(ctx, tx.reader(), `SELECT assignee_id, COUNT(*) FROM cases WHERE resolved_at IS NULL
		AND assignee_id IN (`+placeholders(len(ids))+`) GROUP BY assignee_id`, anys(ids), func(r scanner) (count, error) {
		var c count
		return c, r.Scan(&c.id, &c.n)
	})
	if err != nil {
		return nil, fmt.Errorf("count open cases: %w", err)
	}
	for _, c := range counts {
		if m := a.Members[c.id]; m != nil {
			m.OpenCases = c.n
		}
	}
	return a, nil
}

// inquiryCreators returns the creator emails of the inquiries among objectIDs.
func inquiryCreators(ctx context.Context, tx *Tx, objectIDs []string) ([]string, error) {
	var out []string
	for _, id := range objectIDs {
		if docket.IDPrefix(id) != docket.PrefixInquiry {
			continue
		}
		var email sql.NullString
		if err := tx.queryRow(ctx, `SELECT creator_email FROM inquiries WHERE id = ?`, id).Scan(&email); err != nil {
			return nil, fmt.Errorf("creator of %s: %w", id, err)
		}
		if email.Valid {
			out = append(out, email.String)
		}
	}
	return out, nil
}

// findAssignee returns the user with the email address, who is to be given a case: an
// unknown address and a deactivated user are refused on field (the input that named them).
func findAssignee(ctx context.Context, tx *Tx, email, field string) (*docket.User, error) {
	u, err := findUser(ctx, tx.reader(), "email", docket.NormalizeEmail(email))
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, docket.Invalid(field, "no user has the email address %s", email)
	} else if err != nil {
		return nil, err
	}
	if err := u.CheckAssignable(field); err != nil {
		return nil, err
	}
	return u, nil
}
