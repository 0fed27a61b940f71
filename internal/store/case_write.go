package store

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/docket-hq/docket"
)

// caseChange modifies a locked case in place and returns the names of the events to
// record; no events means nothing changed and nothing is written.
type caseChange func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error)

// mutateCase is the one path for changing a case: lock it, apply the change, write the
// row back with a new version, record the events, commit. Concurrent changes to one case
// queue on the row lock (PostgreSQL) or the single writer (SQLite), so none is lost.
func (s *Store) mutateCase(ctx context.Context, actor docket.Actor, id string, change caseChange) (*docket.Case, error) {
	var c *docket.Case
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if c, err = findCase(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if c.RedactedAt != nil {
			return docket.Errorf(docket.EConflict, "case %s is redacted and can no longer change", id)
		}
		// Hold the template so that a concurrent UpdateTemplate cannot drop the status or
		// field this change is about to use.
		t, err := findTemplate(ctx, tx.reader(), c.TemplateID, s.forShare())
		if err != nil {
			return err
		}
		events, err := change(tx, c, t)
		if err != nil || len(events) == 0 {
			return err
		}
		return saveCase(ctx, tx, actor, c, events)
	})
	return c, err
}

// saveCase writes a changed case's row and its events.
func saveCase(ctx context.Context, tx *Tx, actor docket.Actor, c *docket.Case, events []string) error {
	c.Version++
	c.UpdatedAt = tx.now
	c.Updater = &actor
	fields, err := jsonArg(c.Fields)
	if err != nil {
		return err
	}
	at, ai := actorArgs(c.Assigner)
	rt, ri := actorArgs(c.Resolver)
	args := []any{c.Status, strPtrArg(c.Resolution), fields, strPtrArg(c.QueueID), strPtrArg(c.AssigneeID),
		ms(c.UpdatedAt), msPtr(c.AssignedAt), msPtr(c.ResolvedAt), msPtr(c.RedactedAt), msPtr(c.SLAExpiresAt),
		at, ai, rt, ri, actor.Type, actor.ID, c.Version}
	args = append(append(args, proposalArgs(c.Proposal)...), c.ID)
	_, err = tx.exec(ctx, `UPDATE cases SET status = ?, resolution = ?, fields = ?, queue_id = ?, assignee_id = ?,
		updated_at = ?, assigned_at = ?, resolved_at = ?, redacted_at = ?, sla_expires_at = ?,
		assigner_type = ?, assigner_id = ?, resolver_type = ?, resolver_id = ?, updater_type = ?, updater_id = ?,
		version = ?, proposed_status = ?, proposed_by_type = ?, proposed_by_id = ?, proposed_by_user_id = ?,
		proposed_at = ?, proposal_comment_id = ? WHERE id = ?`, args...)
	if err != nil {
		return fmt.Errorf("update case %s: %w", c.ID, err)
	}
	for _, name := range events {
		if _, err := recordEvent(ctx, tx, actor, name, "case", c.ID, c); err != nil {
			return err
		}
	}
	return nil
}

// UpdateCase merges fields (null removes a key) and changes the queue or SLA.
func (s *Store) UpdateCase(ctx context.Context, actor docket.Actor, id string, u docket.CaseUpdate) (*docket.Case, error) {
	return s.mutateCase(ctx, actor, id, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		var events []string
		if len(u.Fields) > 0 {
			changed, err := mergeFields(c, t, u.Fields)
			if err != nil {
				return nil, err
			}
			if changed {
				events = append(events, docket.EventCaseUpdatedFields)
			}
		}
		if u.SetQueue && !reflect.DeepEqual(c.QueueID, *u.QueueID) {
			if q := *u.QueueID; q != nil {
				if err := checkQueue(ctx, tx, *q, "case-queue-id"); err != nil {
					return nil, err
				}
			}
			c.QueueID = *u.QueueID
			events = append(events, docket.EventCaseQueueUpdated)
		}
		if u.SetSLA {
			old := c.SLAExpiresAt
			c.SLAExpiresAt = nil
			if *u.SLA != nil {
				if err := setSLA(c, *u.SLA, nil, tx.now, "sla-expires-in-seconds"); err != nil {
					return nil, err
				}
			}
			if !reflect.DeepEqual(old, c.SLAExpiresAt) {
				events = append(events, docket.EventCaseSLAUpdated)
				// A new deadline can be breached again.
				if _, err := tx.exec(ctx, `UPDATE cases SET sla_breached_at = NULL WHERE id = ?`, c.ID); err != nil {
					return nil, fmt.Errorf("reset SLA breach of %s: %w", c.ID, err)
				}
			}
		}
		return events, nil
	})
}

// mergeFields validates a partial update of fields and merges it into the case.
func mergeFields(c *docket.Case, t *docket.CaseTemplate, patch map[string]any) (bool, error) {
	vals, err := docket.ValidateFields(t.FieldSchemas, patch, true, "fields")
	if err != nil {
		return false, err
	}
	merged := maps.Clone(c.Fields)
	if merged == nil {
		merged = map[string]any{}
	}
	for k, v := range vals {
		if v == nil {
			delete(merged, k)
		} else {
			merged[k] = v
		}
	}
	// Round-trip through JSON so that the comparison sees the same number types.
	before, _ := jsonArg(c.Fields)
	after, _ := jsonArg(merged)
	c.Fields = merged
	return before != after, nil
}

// SetCaseStatus moves a case to another status of its template. Entering an end status
// resolves the case; leaving one reopens it. A status the template wants confirmed by a
// second person is proposed instead (see docket.Proposal).
func (s *Store) SetCaseStatus(ctx context.Context, actor docket.Actor, id, status string) (*docket.Case, error) {
	return s.mutateCase(ctx, actor, id, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		return changeStatus(ctx, tx, c, t, status, actor)
	})
}

// changeStatus moves c to status, or proposes it (four-eyes), and returns the events to
// record (none if c is in it already). Every path that sets a status comes here.
func changeStatus(ctx context.Context, tx *Tx, c *docket.Case, t *docket.CaseTemplate, status string, actor docket.Actor) ([]string, error) {
	next, ok := t.FindStatus(status)
	if !ok {
		return nil, docket.Invalid("status", "%q is not a status of case template %s (one of %v)", status, t.Name, statusNames(t))
	}
	if next.Name == c.Status {
		return nil, nil
	}
	if err := c.CheckStatusChange(); err != nil {
		return nil, err
	}
	if t.NeedsConfirmation(next.Name) {
		return propose(ctx, tx, c, next.Name, actor)
	}
	return enterStatus(c, t, next, tx.now, actor), nil
}

// enterStatus moves c to next and returns the events to record.
func enterStatus(c *docket.Case, t *docket.CaseTemplate, next docket.Status, now time.Time, actor docket.Actor) []string {
	prev, _ := t.FindStatus(c.Status)
	c.Status = next.Name
	events := []string{docket.EventCaseStatusUpdated}
	switch {
	case next.Type == docket.StatusEnd:
		name := next.Name
		c.Resolution, c.ResolvedAt, c.Resolver = &name, &now, &actor
		events = append(events, docket.EventCaseResolved)
	case prev.Type == docket.StatusEnd || c.ResolvedAt != nil:
		// A resolved case may be in a status its template has since removed (its
		// history); leaving it reopens the case all the same.
		c.Resolution, c.ResolvedAt, c.Resolver = nil, nil, nil
		events = append(events, docket.EventCaseReopened)
	}
	return events
}

func statusNames(t *docket.CaseTemplate) []string {
	out := make([]string, len(t.Statuses))
	for i, s := range t.Statuses {
		out[i] = s.Name
	}
	return out
}

// AssignCase gives a case to the user with the email address; an empty email unassigns.
func (s *Store) AssignCase(ctx context.Context, actor docket.Actor, id, email string) (*docket.Case, error) {
	return s.mutateCase(ctx, actor, id, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		var userID *string
		if email != "" {
			u, err := findAssignee(ctx, tx, email, "user-email-address")
			if err != nil {
				return nil, err
			}
			if err := docket.CheckAssignee(u, t, "user-email-address"); err != nil {
				return nil, err
			}
			userID = &u.ID
		}
		if reflect.DeepEqual(userID, c.AssigneeID) {
			return nil, nil
		}
		c.AssigneeID, c.Assigner = userID, &actor
		c.AssignedAt = &tx.now
		if userID == nil {
			c.AssignedAt = nil
		}
		return []string{docket.EventCaseAssigned}, nil
	})
}

// AddCaseObjects attaches objects; ids already attached are ignored, unknown ids refused.
func (s *Store) AddCaseObjects(ctx context.Context, actor docket.Actor, id string, objectIDs []string) (*docket.Case, error) {
	if err := docket.CheckObjectIDs(objectIDs, "object-ids"); err != nil {
		return nil, err
	}
	return s.mutateCase(ctx, actor, id, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		n := len(c.ObjectIDs)
		if err := attachObjects(ctx, tx, c, objectIDs, "object-ids"); err != nil {
			return nil, err
		}
		if len(c.ObjectIDs) == n {
			return nil, nil
		}
		return []string{docket.EventCaseUpdatedObjects}, nil
	})
}

// RemoveCaseObjects detaches objects; removing what is not attached is not an error.
func (s *Store) RemoveCaseObjects(ctx context.Context, actor docket.Actor, id string, objectIDs []string) (*docket.Case, error) {
	if err := docket.CheckObjectIDs(objectIDs, "object-ids"); err != nil {
		return nil, err
	}
	return s.mutateCase(ctx, actor, id, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		removed := false
		for _, oid := range objectIDs {
			res, err := tx.exec(ctx, `DELETE FROM case_objects WHERE case_id = ? AND object_id = ?`, c.ID, oid)
			if err != nil {
				return nil, fmt.Errorf("detach %s from case %s: %w", oid, c.ID, err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				removed = true
				c.ObjectIDs = slices.DeleteFunc(c.ObjectIDs, func(x string) bool { return x == oid })
				delete(c.ReportTypes, oid)
			}
		}
		if !removed {
			return nil, nil
		}
		return []string{docket.EventCaseUpdatedObjects}, nil
	})
}

// ChangeCaseTags adds ("add"), removes ("remove") or replaces ("set") tags.
func (s *Store) ChangeCaseTags(ctx context.Context, actor docket.Actor, id, op string, tags []string) (*docket.Case, error) {
	tags, err := docket.NormalizeTags(tags, "tags")
	if err != nil {
		return nil, err
	}
	return s.mutateCase(ctx, actor, id, func(tx *Tx, c *docket.Case, t *docket.CaseTemplate) ([]string, error) {
		next := slices.Clone(c.Tags)
		switch op {
		case "add":
			for _, tag := range tags {
				if !slices.Contains(next, tag) {
					next = append(next, tag)
				}
			}
		case "remove":
			next = slices.DeleteFunc(next, func(x string) bool { return slices.Contains(tags, x) })
		case "set":
			next = tags
		default:
			return nil, fmt.Errorf("change case tags: unknown operation %q", op)
		}
		if len(next) > docket.MaxTags {
			return nil, docket.Invalid("tags", "a case holds at most %d tags", docket.MaxTags)
		}
		slices.Sort(next)
		if slices.Equal(next, c.Tags) {
			return nil, nil
		}
		if _, err := tx.exec(ctx, `DELETE FROM case_tags WHERE case_id = ?`, c.ID); err != nil {
			return nil, fmt.Errorf("retag case %s: %w", c.ID, err)
		}
		if err := insertTags(ctx, tx, c.ID, next); err != nil {
			return nil, err
		}
		c.Tags = next
		return []string{docket.EventCaseUpdatedTags}, nil
	})
}

// RedactCase erases a case's personal data (fields, tags, comment bodies) and every copy
// of it (eraseCopies), but keeps the row, its status history and its events' skeleton.
// Redacting twice is a no-op.
func (s *Store) RedactCase(ctx context.Context, actor docket.Actor, id string) (*docket.Case, error) {
	var c *docket.Case
	err := s.write(ctx, func(tx *Tx) error {
		if err := lockRunsHolding(ctx, tx, id); err != nil {
			return err
		}
		var err error
		if c, err = findCase(ctx, tx.reader(), id, s.forUpdate()); err != nil || c.RedactedAt != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM case_tags WHERE case_id = ?`, c.ID); err != nil {
			return fmt.Errorf("redact tags of case %s: %w", id, err)
		}
		if _, err := tx.exec(ctx, `UPDATE case_comments SET body = '', redacted_at = ? WHERE case_id = ?`, ms(tx.now), c.ID); err != nil {
			return fmt.Errorf("redact comments of case %s: %w", id, err)
		}
		// A redacted case no longer changes, so a decision awaiting confirmation is
		// withdrawn (its events keep the record of it).
		c.Fields, c.Tags, c.RedactedAt, c.Proposal = map[string]any{}, []string{}, &tx.now, nil
		if err := scrubCaseEvents(ctx, tx, c.ID); err != nil {
			return err
		}
		if err := scrubCommentEvents(ctx, tx, c.ID); err != nil {
			return err
		}
		if err := redactNotifications(ctx, tx, c.ID); err != nil {
			return err
		}
		if err := eraseCopies(ctx, tx, append([]string{c.ID}, c.CommentIDs...)); err != nil {
			return err
		}
		return saveCase(ctx, tx, actor, c, []string{docket.EventCaseRedacted})
	})
	return c, err
}

// scrubCaseEvents erases fields and tags from the snapshots that earlier events of a case
// carry, keeping each event's name, time, actor and the case's status at that moment.
func scrubCaseEvents(ctx context.Context, tx *Tx, caseID string) error {
	return scrubEvents(ctx, tx, caseID, func() any { return &docket.Case{} }, func(v any) {
		c := v.(*docket.Case)
		c.Fields, c.Tags = map[string]any{}, []string{}
	})
}

// scrubCommentEvents rewrites case-comment events with the (now empty) redacted comments.
func scrubCommentEvents(ctx context.Context, tx *Tx, caseID string) error {
	comments, err := queryAll(ctx, tx.reader(), `SELECT `+commentCols+` FROM case_comments WHERE case_id = ?`, []any{caseID}, scanComment)
	if err != nil {
		return fmt.Errorf("read comments of case %s: %w", caseID, err)
	}
	for _, cm := range comments {
		body, err := jsonArg(cm)
		if err != nil {
			return err
		}
		if err := eraseSnapshots(ctx, tx, cm.ID, body); err != nil {
			return err
		}
	}
	return nil
}
