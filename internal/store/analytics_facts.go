package store

// The analytics facts (migration 00025): case_facts holds each case's state as analytics
// reads it, case_spells each stay of a case in a status. recordEvents keeps both in step
// with the case events it records, in the same transaction, so that analytics never
// disagree with the event log and never replay it (docs/decisions.md, "Analytics from
// facts").

import (
	"context"
	"fmt"
	"time"

	"github.com/docket-hq/docket"
)

// Spell kinds: how a stay in a status began.
const (
	spellCreated  = "created"
	spellResolved = "resolved"
	spellReopened = "reopened"
	spellMoved    = "moved"
)

// recordFacts applies case events to the facts. The events carry the case as it stood
// after the change (Data), so each one sets the facts from it rather than from deltas.
func recordFacts(ctx context.Context, tx *Tx, events []*docket.Event) error {
	var created []*docket.Event
	for _, e := range events {
		c, ok := e.Data.(*docket.Case)
		if !ok || e.ObjectType != "case" {
			continue
		}
		var err error
		switch e.Name {
		case docket.EventCaseCreated:
			created = append(created, e)
		case docket.EventCaseStatusUpdated:
			err = factsStatus(ctx, tx, e, c)
		case docket.EventCaseReopened:
			_, err = tx.exec(ctx, `UPDATE case_facts SET reopen_count = reopen_count + 1 WHERE case_id = ?`, c.ID)
		case docket.EventCaseAssigned, docket.EventCaseSLAUpdated:
			err = factsUpdate(ctx, tx, c)
		}
		if err != nil {
			return fmt.Errorf("analytics facts of case %s: %w", c.ID, err)
		}
	}
	return factsCreated(ctx, tx, created)
}

// factsCreated inserts the facts and first spell of new cases, many a statement (a group
// commit creates hundreds of cases in one transaction).
func factsCreated(ctx context.Context, tx *Tx, events []*docket.Event) error {
	for len(events) > 0 {
		chunk := events[:min(len(events), 200)]
		events = events[len(chunk):]
		var facts, spells []any
		for _, e := range chunk {
			c := e.Data.(*docket.Case)
			facts = append(facts, factRow(c)...)
			spells = append(spells, e.ID, c.ID, c.Status, endFlag(c), spellCreated, ms(e.CreatedAt))
		}
		if _, err := tx.exec(ctx, `INSERT INTO case_facts (`+factCols+`) VALUES `+rows(len(chunk), 10), facts...); err != nil {
			return fmt.Errorf("insert case facts: %w", err)
		}
		if _, err := tx.exec(ctx, `INSERT INTO case_spells (id, case_id, status, is_end, kind, started_at) VALUES `+rows(len(chunk), 6), spells...); err != nil {
			return fmt.Errorf("insert case spells: %w", err)
		}
	}
	return nil
}

const factCols = `case_id, template_id, assignee_id, status, created_at, first_assigned_at, resolved_at, resolution, sla_expires_at, reopen_count`

// factRow is a case's facts as INSERT arguments, in factCols order.
func factRow(c *docket.Case) []any {
	var first *time.Time
	if c.AssigneeID != nil {
		first = c.AssignedAt
	}
	return []any{c.ID, c.TemplateID, strPtrArg(c.AssigneeID), c.Status, ms(c.CreatedAt), msPtr(first),
		msPtr(c.ResolvedAt), strPtrArg(c.Resolution), msPtr(c.SLAExpiresAt), 0}
}

// factsUpdate sets what any change may move: assignee (and the first assignment's
// time), status, resolution and the SLA deadline.
func factsUpdate(ctx context.Context, tx *Tx, c *docket.Case) error {
	var assignedAt *time.Time
	if c.AssigneeID != nil {
		assignedAt = c.AssignedAt
	}
	_, err := tx.exec(ctx, `UPDATE case_facts SET assignee_id = ?, first_assigned_at = COALESCE(first_assigned_at, ?),
		status = ?, resolved_at = ?, resolution = ?, sla_expires_at = ? WHERE case_id = ?`,
		strPtrArg(c.AssigneeID), msPtr(assignedAt), c.Status, msPtr(c.ResolvedAt), strPtrArg(c.Resolution),
		msPtr(c.SLAExpiresAt), c.ID)
	return err
}

// factsStatus ends the case's current spell and starts one in its new status. The
// spell's kind compares the facts' resolution before the change with the case's after.
func factsStatus(ctx context.Context, tx *Tx, e *docket.Event, c *docket.Case) error {
	at := ms(e.CreatedAt)
	if _, err := tx.exec(ctx, `UPDATE case_spells SET ended_at = ? WHERE case_id = ? AND ended_at IS NULL`, at, c.ID); err != nil {
		return err
	}
	end := endFlag(c)
	if _, err := tx.exec(ctx, `INSERT INTO case_spells (id, case_id, status, is_end, kind, started_at)
		SELECT ?, f.case_id, ?, ?, CASE WHEN f.resolved_at IS NULL AND ? = 1 THEN '`+spellResolved+`'
			WHEN f.resolved_at IS NOT NULL AND ? = 0 THEN '`+spellReopened+`' ELSE '`+spellMoved+`' END, ?
		FROM case_facts f WHERE f.case_id = ?`, e.ID, c.Status, end, end, end, at, c.ID); err != nil {
		return err
	}
	return factsUpdate(ctx, tx, c)
}

// endFlag is 1 for a case in an end status (resolved), 0 otherwise.
func endFlag(c *docket.Case) int {
	if c.ResolvedAt != nil {
		return 1
	}
	return 0
}
