package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/docket-hq/docket"
)

// Case creation is the hot write path (alert feeds create cases in bursts), so it is
// group-committed: concurrent CreateCase calls in one process queue up and are written
// by one transaction each round. This spends one BEGIN/COMMIT, one WAL flush and one
// lock of each template's counter row per batch instead of per case. Each case is still
// validated on its own, and one bad request fails only itself.

// maxCreateBatch bounds how many cases one transaction writes.
const maxCreateBatch = 256

type createRequest struct {
	ctx   context.Context
	actor docket.Actor
	nc    docket.NewCase
	tags  []string
	done  chan createResult
}

type createResult struct {
	c   *docket.Case
	err error
}

// CreateCase opens a case from a template: the initial status, the next name in the
// template's sequence, validated fields, tags and attached objects, and a case.created event.
func (s *Store) CreateCase(ctx context.Context, actor docket.Actor, nc docket.NewCase) (*docket.Case, error) {
	tags, err := docket.NormalizeTags(nc.Tags, "tags")
	if err != nil {
		return nil, err
	}
	// Tags are kept sorted, as FindCase and ChangeCaseTags return them.
	slices.Sort(tags)
	if err := docket.CheckObjectIDs(nc.ObjectIDs, "object-ids"); err != nil {
		return nil, err
	}
	req := &createRequest{ctx: ctx, actor: actor, nc: nc, tags: tags, done: make(chan createResult, 1)}
	if tx, ok := s.inTx(ctx); ok {
		// Inside Atomically the case joins the caller's transaction instead of a batch.
		results := make([]createResult, 1)
		if err := createCases(tx, []*createRequest{req}, results); err != nil {
			return nil, err
		}
		return results[0].c, results[0].err
	}
	s.startCreator()
	select {
	case s.creates <- req:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.closed:
		return nil, errors.New("create case: store is closed")
	}
	// Once queued, wait for the outcome even if ctx ends: the case may be committed.
	r := <-req.done
	return r.c, r.err
}

func (s *Store) startCreator() {
	s.creatorOnce.Do(func() {
		s.creates = make(chan *createRequest)
		go s.createLoop()
	})
}

// createLoop takes one request, gathers whatever else is already waiting, and writes
// them together.
func (s *Store) createLoop() {
	for {
		var first *createRequest
		select {
		case first = <-s.creates:
		case <-s.closed:
			return
		}
		batch := []*createRequest{first}
	gather:
		for len(batch) < maxCreateBatch {
			select {
			case r := <-s.creates:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		s.createBatch(batch)
	}
}

func (s *Store) createBatch(batch []*createRequest) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- createResult{err: err}
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	results := make([]createResult, len(live))
	err := s.write(context.Background(), func(tx *Tx) error {
		return createCases(tx, live, results)
	})
	if err != nil && len(live) > 1 {
		// An unexpected database error fails the whole transaction; retry each request
		// alone so that only the request that causes it fails.
		for _, r := range live {
			s.createBatch([]*createRequest{r})
		}
		return
	}
	for i, r := range live {
		if err != nil {
			results[i] = createResult{err: err}
		}
		r.done <- results[i]
	}
}

// createCases validates every request, numbers the valid ones and writes them.
func createCases(tx *Tx, reqs []*createRequest, results []createResult) error {
	ctx := context.Background()
	templates := map[string]*docket.CaseTemplate{}
	// Lock the batch's templates in id order, so that two processes' batches cannot deadlock.
	var tids []string
	for _, r := range reqs {
		tids = append(tids, r.nc.TemplateID)
	}
	slices.Sort(tids)
	for _, id := range slices.Compact(tids) {
		if _, err := cachedTemplate(ctx, tx, id, templates); err != nil && docket.ErrorCode(err) == "" {
			return err
		}
	}
	byTemplate := map[string][]int{}
	var order []string
	for i, r := range reqs {
		c, err := prepareCase(ctx, tx, r.actor, r.nc, r.tags, templates)
		if err != nil {
			if docket.ErrorCode(err) == "" {
				return err
			}
			results[i] = createResult{err: err}
			continue
		}
		results[i].c = c
		if _, ok := byTemplate[c.TemplateID]; !ok {
			order = append(order, c.TemplateID)
		}
		byTemplate[c.TemplateID] = append(byTemplate[c.TemplateID], i)
	}
	var created []*docket.Case
	var actors []docket.Actor
	for _, tid := range order {
		idx := byTemplate[tid]
		// The counter row stays locked until commit, so numbers are gapless and unique
		// even with many processes: a rolled-back transaction gives its numbers back.
		var last int64
		if err := tx.queryRow(ctx, `UPDATE case_templates SET case_count = case_count + ? WHERE id = ? RETURNING case_count`,
			len(idx), tid).Scan(&last); err != nil {
			return fmt.Errorf("next case numbers for %s: %w", tid, err)
		}
		batch := make([]*docket.Case, len(idx))
		objects := make([][]string, len(idx))
		for j, i := range idx {
			c := results[i].c
			c.Number = last - int64(len(idx)) + int64(j) + 1
			c.Name = fmt.Sprintf("%s-%d", templates[tid].Key, c.Number)
			batch[j], objects[j] = c, reqs[i].nc.ObjectIDs
			created, actors = append(created, c), append(actors, reqs[i].actor)
		}
		if err := assignNewCases(ctx, tx, templates[tid], batch, objects); err != nil {
			return err
		}
	}
	if err := insertCases(ctx, tx, created); err != nil {
		return err
	}
	for i, c := range reqs {
		if results[i].c == nil {
			continue
		}
		if err := insertTags(ctx, tx, results[i].c.ID, results[i].c.Tags); err != nil {
			return err
		}
		if err := linkObjects(ctx, tx, results[i].c, c.nc.ObjectIDs); err != nil {
			return err
		}
	}
	events := make([]*docket.Event, 0, len(created))
	for i, c := range created {
		events = append(events, newEvent(tx, actors[i], docket.EventCaseCreated, "case", c.ID, c))
		if c.Assigner != nil {
			events = append(events, newEvent(tx, *c.Assigner, docket.EventCaseAssigned, "case", c.ID, c))
		}
	}
	return recordEvents(ctx, tx, events)
}

// prepareCase validates a new case and builds it, without writing anything.
func prepareCase(ctx context.Context, tx *Tx, actor docket.Actor, nc docket.NewCase, tags []string, templates map[string]*docket.CaseTemplate) (*docket.Case, error) {
	t, err := cachedTemplate(ctx, tx, nc.TemplateID, templates)
	if err != nil {
		return nil, err
	}
	fields, err := docket.ValidateFields(t.FieldSchemas, nc.Fields, false, "fields")
	if err != nil {
		return nil, err
	}
	c := &docket.Case{
		ID: docket.NewID(docket.PrefixCase), TemplateID: t.ID, Status: t.InitialStatus(), Fields: fields,
		Tags: tags, QueueID: nc.QueueID, CreatedAt: tx.now, UpdatedAt: tx.now, Version: 1,
		ObjectIDs: []string{}, CommentIDs: []string{},
	}
	if c.Creator, err = creatorActor(ctx, tx, actor, nc.CreatorEmail); err != nil {
		return nil, err
	}
	if err := setSLA(c, nc.SLAExpiresInSecond, t.SLASeconds, tx.now, "sla-expires-in-seconds"); err != nil {
		return nil, err
	}
	if c.QueueID != nil {
		if err := checkQueue(ctx, tx, *c.QueueID, "case-queue-id"); err != nil {
			return nil, err
		}
	}
	if err := checkObjects(ctx, tx, nc.ObjectIDs, "object-ids"); err != nil {
		return nil, err
	}
	return c, nil
}

func cachedTemplate(ctx context.Context, tx *Tx, id string, cache map[string]*docket.CaseTemplate) (*docket.CaseTemplate, error) {
	if t, ok := cache[id]; ok {
		return t, nil
	}
	// Hold the template so that it cannot be archived or change its fields before commit.
	t, err := findTemplate(ctx, tx.reader(), id, tx.s.forNoKeyUpdate())
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, docket.Invalid("case-template-id", "case template %s does not exist", id)
	} else if err != nil {
		return nil, err
	}
	if t.Status != docket.TemplateActive {
		return nil, docket.Invalid("case-template-id", "case template %s is archived", t.ID)
	}
	cache[id] = t
	return t, nil
}

// creatorActor names the user given by email as the creator, or else the caller.
func creatorActor(ctx context.Context, tx *Tx, actor docket.Actor, email string) (*docket.Actor, error) {
	if email == "" {
		return &actor, nil
	}
	u, err := findUser(ctx, tx.reader(), "email", docket.NormalizeEmail(email))
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, docket.Invalid("creator-email-address", "no user has the email address %s", email)
	} else if err != nil {
		return nil, err
	}
	return &docket.Actor{Type: docket.ActorUser, ID: u.ID}, nil
}

// setSLA sets the case's SLA deadline from an explicit number of seconds, else the
// template's default.
func setSLA(c *docket.Case, seconds, templateDefault *int64, now time.Time, field string) error {
	if seconds == nil {
		seconds = templateDefault
	}
	if seconds == nil {
		return nil
	}
	if *seconds <= 0 || *seconds > docket.MaxSLASeconds {
		return docket.Invalid(field, "the SLA must be between 1 second and 90 days (%d seconds)", docket.MaxSLASeconds)
	}
	t := now.Add(time.Duration(*seconds) * time.Second)
	c.SLAExpiresAt = &t
	return nil
}

func checkQueue(ctx context.Context, tx *Tx, id, field string) error {
	var status string
	err := tx.queryRow(ctx, `SELECT status FROM case_queues WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return docket.Invalid(field, "case queue %s does not exist", id)
	}
	if err != nil {
		return fmt.Errorf("check case queue %s: %w", id, err)
	}
	if status != docket.QueueActive {
		return docket.Invalid(field, "case queue %s is archived", id)
	}
	return nil
}
