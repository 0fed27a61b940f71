package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

const queueCols = `id, name, status, filter, created_at, updated_at, archived_at`

func scanQueue(row scanner) (*docket.CaseQueue, error) {
	var q docket.CaseQueue
	var filter []byte
	var created, updated int64
	var archived sql.NullInt64
	if err := row.Scan(&q.ID, &q.Name, &q.Status, &filter, &created, &updated, &archived); err != nil {
		return nil, err
	}
	if err := decodeJSON(filter, &q.Filter); err != nil {
		return nil, fmt.Errorf("case queue %s: %w", q.ID, err)
	}
	q.ApplyDefaults()
	q.CreatedAt, q.UpdatedAt, q.ArchivedAt = fromMS(created), fromMS(updated), fromNullMS(archived)
	return &q, nil
}

// CreateQueue validates and stores a new case queue.
func (s *Store) CreateQueue(ctx context.Context, actor docket.Actor, q *docket.CaseQueue) error {
	q.ApplyDefaults()
	if err := q.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		if err := checkQueueFilter(ctx, tx, q.Filter); err != nil {
			return err
		}
		filter, err := jsonArg(q.Filter)
		if err != nil {
			return err
		}
		q.ID = docket.NewID(docket.PrefixQueue)
		q.CreatedAt, q.UpdatedAt = tx.now, tx.now
		var archived any
		if q.Status == docket.QueueArchived {
			q.ArchivedAt, archived = &tx.now, ms(tx.now)
		}
		if _, err := tx.exec(ctx, `INSERT INTO case_queues (id, name, status, filter, created_at, updated_at, archived_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, q.ID, q.Name, q.Status, filter, ms(tx.now), ms(tx.now), archived); err != nil {
			return fmt.Errorf("insert case queue: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventQueueCreated, "case-queue", q.ID, q)
		return err
	})
}

// checkQueueFilter verifies that the templates and the user a filter names exist.
func checkQueueFilter(ctx context.Context, tx *Tx, f docket.CaseQueueFilter) error {
	const p = "filter."
	for i, id := range f.TemplateIDs {
		var one int
		err := tx.queryRow(ctx, `SELECT 1 FROM case_templates WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return docket.Invalid(docket.FieldIndex(p+"case-template-ids", i), "case template %s does not exist", id)
		}
		if err != nil {
			return fmt.Errorf("check case template %s: %w", id, err)
		}
	}
	if f.Assignee != "" && f.Assignee != docket.QueueUnassigned {
		var one int
		err := tx.queryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, f.Assignee).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return docket.Invalid(p+"assignee", "user %s does not exist", f.Assignee)
		}
		if err != nil {
			return fmt.Errorf("check user %s: %w", f.Assignee, err)
		}
	}
	return nil
}

// FindQueue returns one case queue.
func (s *Store) FindQueue(ctx context.Context, id string) (*docket.CaseQueue, error) {
	return findQueue(ctx, s.reader(), id, "")
}

func findQueue(ctx context.Context, q querier, id, lock string) (*docket.CaseQueue, error) {
	queue, err := scanQueue(q.QueryRowContext(ctx, `SELECT `+queueCols+` FROM case_queues WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("case queue", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find case queue %s: %w", id, err)
	}
	return queue, nil
}

// ListQueues returns a page of case queues, newest first.
func (s *Store) ListQueues(ctx context.Context, f docket.CaseQueueListFilter) ([]*docket.CaseQueue, docket.PageResult, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	q, args := listSQL(`SELECT `+queueCols+` FROM case_queues`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanQueue)
	if err != nil {
		return nil, r, fmt.Errorf("list case queues: %w", err)
	}
	return items, r, nil
}

// UpdateQueue renames a queue or replaces its filter. An update that changes nothing
// writes nothing.
func (s *Store) UpdateQueue(ctx context.Context, actor docket.Actor, id string, u docket.CaseQueueUpdate) (*docket.CaseQueue, error) {
	var q *docket.CaseQueue
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if q, err = findQueue(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		next := *q
		if u.Name != nil {
			next.Name = *u.Name
		}
		if u.Filter != nil {
			next.Filter = *u.Filter
		}
		if err := next.Validate(); err != nil {
			return err
		}
		if next.Name == q.Name && reflect.DeepEqual(next.Filter, q.Filter) {
			return nil
		}
		if err := checkQueueFilter(ctx, tx, next.Filter); err != nil {
			return err
		}
		filter, err := jsonArg(next.Filter)
		if err != nil {
			return err
		}
		next.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE case_queues SET name = ?, filter = ?, updated_at = ? WHERE id = ?`,
			next.Name, filter, ms(tx.now), id); err != nil {
			return fmt.Errorf("update case queue %s: %w", id, err)
		}
		*q = next
		_, err = recordEvent(ctx, tx, actor, docket.EventQueueUpdated, "case-queue", q.ID, q)
		return err
	})
	return q, err
}

// ArchiveQueue retires a queue: no case can be put in it or claimed from it any more.
// The cases it holds are untouched, and listing them still works. Archiving twice is a no-op.
func (s *Store) ArchiveQueue(ctx context.Context, actor docket.Actor, id string) (*docket.CaseQueue, error) {
	var q *docket.CaseQueue
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if q, err = findQueue(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if q.Status == docket.QueueArchived {
			return nil
		}
		q.Status, q.UpdatedAt, q.ArchivedAt = docket.QueueArchived, tx.now, &tx.now
		if _, err := tx.exec(ctx, `UPDATE case_queues SET status = ?, updated_at = ?, archived_at = ? WHERE id = ?`,
			q.Status, ms(tx.now), ms(tx.now), id); err != nil {
			return fmt.Errorf("archive case queue %s: %w", id, err)
		}
		_, err = recordEvent(ctx, tx, actor, docket.EventQueueArchived, "case-queue", q.ID, q)
		return err
	})
	return q, err
}

// queueKey is the first sort key of queue order: the SLA expiry, with cases without an
// SLA after every case with one. Queue order is (queueKey, created_at, id), ascending.
const queueKey = `COALESCE(c.sla_expires_at, 9223372036854775807)`

const queueOrder = ` ORDER BY ` + queueKey + `, c.created_at, c.id`

// queueHolds returns the condition for the cases queue q holds at time now: open cases
// put in it explicitly or matched by its filter.
func queueHolds(q *docket.CaseQueue, now time.Time) (string, []any) {
	args := []any{q.ID}
	cond := `c.queue_id = ?`
	if !q.Filter.Empty() {
		var parts []string
		add := func(part string, vs ...any) { parts, args = append(parts, part), append(args, vs...) }
		f := q.Filter
		if len(f.TemplateIDs) > 0 {
			add(`c.template_id IN (`+placeholders(len(f.TemplateIDs))+`)`, anys(f.TemplateIDs)...)
		}
		if len(f.Statuses) > 0 {
			add(`c.status IN (`+placeholders(len(f.Statuses))+`)`, anys(f.Statuses)...)
		}
		if len(f.Tags) > 0 {
			add(`c.id IN (SELECT case_id FROM case_tags WHERE tag IN (`+placeholders(len(f.Tags))+`))`, anys(f.Tags)...)
		}
		switch f.SLA {
		case docket.QueueSLABreached:
			add(`c.sla_expires_at <= ?`, ms(now))
		case docket.QueueSLADue:
			add(`c.sla_expires_at > ?`, ms(now))
		case docket.QueueSLANone:
			add(`c.sla_expires_at IS NULL`)
		}
		switch f.Assignee {
		case "":
		case docket.QueueUnassigned:
			add(`c.assignee_id IS NULL`)
		default:
			add(`c.assignee_id = ?`, f.Assignee)
		}
		cond = `(` + cond + ` OR (` + strings.Join(parts, " AND ") + `))`
	}
	return `c.resolved_at IS NULL AND c.redacted_at IS NULL AND ` + cond, args
}

// listQueueCases lists what a queue holds, in queue order (most urgent first) rather than
// newest first. page[after] and page[before] name a case and mean "after (before) this
// case in queue order". An unknown queue holds nothing.
func (s *Store) listQueueCases(ctx context.Context, f docket.CaseFilter) ([]*docket.Case, docket.PageResult, error) {
	q, err := findQueue(ctx, s.reader(), f.QueueID, "")
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, docket.PageResult{}, nil
	} else if err != nil {
		return nil, docket.PageResult{}, err
	}
	f.QueueID = ""
	now := s.clock()
	where, args := caseFilterSQL(f, now, s.pg)
	holds, hargs := queueHolds(q, now)
	where, args = append(where, holds), append(args, hargs...)
	order := queueOrder
	if cursor, param := f.Page.After, "page[after]"; cursor != "" || f.Page.Before != "" {
		cmp := ">"
		if cursor == "" {
			cursor, param, cmp = f.Page.Before, "page[before]", "<"
			order = ` ORDER BY ` + queueKey + ` DESC, c.created_at DESC, c.id DESC`
		}
		var key, created int64
		err := s.reader().QueryRowContext(ctx, `SELECT `+queueKey+`, c.created_at FROM cases c WHERE c.id = ?`, cursor).Scan(&key, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, docket.PageResult{}, &docket.Error{Code: docket.EBadRequest, Message: "page cursor names no case", Parameter: param}
		}
		if err != nil {
			return nil, docket.PageResult{}, fmt.Errorf("read queue cursor: %w", err)
		}
		where = append(where, `(`+queueKey+`, c.created_at, c.id) `+cmp+` (?, ?, ?)`)
		args = append(args, key, created, cursor)
	}
	query := `SELECT ` + caseCols + ` FROM cases c WHERE ` + strings.Join(where, " AND ") + order +
		fmt.Sprintf(" LIMIT %d", pageSize(f.Page)+1)
	cases, r, err := queryPage(ctx, s.reader(), query, args, f.Page, scanCase)
	if err != nil {
		return nil, r, fmt.Errorf("list cases of queue %s: %w", q.ID, err)
	}
	return cases, r, loadCaseRelations(ctx, s.reader(), cases)
}

// forUpdateSkipLocked locks the selected case row and passes over rows other
// transactions hold, so that concurrent claimers each take a different case instead of
// queueing on the same one. SQLite needs no row locks: its writers are serialized.
func (s *Store) forUpdateSkipLocked() string {
	if s.pg {
		return " FOR UPDATE OF c SKIP LOCKED"
	}
	return ""
}

// ClaimNextCase assigns the most urgent unassigned case of an active queue to the user
// with the email address, in one transaction. On PostgreSQL the candidate row is locked
// with SKIP LOCKED, so concurrent claimers (in any process) take different cases; a case
// locked by another write at that instant is passed over. The assignment is the same
// change AssignCase makes: assignee, assigned-at, assigner, a new version and a
// case.assigned event. Cases that vis hides, or that the user's role may not see, are
// passed over; the user's visibility is read in the claim's transaction, so a template
// re-scoped concurrently is judged by its committed roles.
func (s *Store) ClaimNextCase(ctx context.Context, actor docket.Actor, queueID, email string, vis docket.Visibility) (*docket.Case, error) {
	var c *docket.Case
	err := s.write(ctx, func(tx *Tx) error {
		// FOR SHARE: the queue cannot be archived or refiltered under a claim.
		q, err := findQueue(ctx, tx.reader(), queueID, s.forShare())
		if err != nil {
			return err
		}
		if q.Status != docket.QueueActive {
			return docket.Errorf(docket.EConflict, "case queue %s is archived: nothing can be claimed from it", q.ID)
		}
		u, err := findAssignee(ctx, tx, email, "user-email-address")
		if err != nil {
			return err
		}
		own, err := userVisibility(ctx, tx.reader(), u)
		if err != nil {
			return err
		}
		holds, args := queueHolds(q, tx.now)
		if cond, vargs := visibilitySQL(vis.Merge(own)); cond != "" {
			holds, args = holds+` AND `+cond, append(args, vargs...)
		}
		var id string
		err = tx.queryRow(ctx, `SELECT c.id FROM cases c WHERE `+holds+` AND c.assignee_id IS NULL`+queueOrder+
			` LIMIT 1`+s.forUpdateSkipLocked(), args...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return docket.ErrQueueEmpty
		}
		if err != nil {
			return fmt.Errorf("claim from case queue %s: %w", q.ID, err)
		}
		if c, err = findCase(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		// Hold the template as every case change does (see mutateCase).
		if _, err := findTemplate(ctx, tx.reader(), c.TemplateID, s.forShare()); err != nil {
			return err
		}
		assignTo(tx, actor, c, &u.ID)
		return saveCase(ctx, tx, actor, c, []string{docket.EventCaseAssigned})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// assignTo records userID (nil: nobody) as the case's assignee, as AssignCase does.
func assignTo(tx *Tx, actor docket.Actor, c *docket.Case, userID *string) {
	c.AssigneeID, c.Assigner, c.AssignedAt = userID, &actor, &tx.now
	if userID == nil {
		c.AssignedAt = nil
	}
}
