package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/docket-hq/docket"
)

// EventHandler reacts to events inside the transaction that records them, before it
// commits: what it writes through tx commits with the change, and an error it returns
// rolls the whole change back. Features (workflows, notifications, webhooks) register
// one each at start with OnEvents; the store itself knows none of them.
type EventHandler func(ctx context.Context, tx *Tx, events []*docket.Event) error

// OnEvents registers a handler, called after every batch of events is written, in
// registration order. Register handlers at start, before the store is used: the list is
// read without a lock.
func (s *Store) OnEvents(h EventHandler) {
	s.handlers = append(s.handlers, h)
}

// recordEvent records a change in the caller's transaction, so that the change and its
// event commit or roll back together. object is the changed object's domain value.
func recordEvent(ctx context.Context, tx *Tx, actor docket.Actor, name, objectType, objectID string, object any) (*docket.Event, error) {
	e := newEvent(tx, actor, name, objectType, objectID, object)
	return e, recordEvents(ctx, tx, []*docket.Event{e})
}

// newEvent builds an event stamped with the transaction's time. The snapshot is encoded
// at once, so later changes to object do not leak into it; Data gets a shallow copy, so
// that a field set later in the same change (a new case's assignee, recorded by a second
// event) does not show in this one.
func newEvent(tx *Tx, actor docket.Actor, name, objectType, objectID string, object any) *docket.Event {
	body, err := json.Marshal(object)
	if err != nil {
		// Domain objects are plain data; failing to encode one is a programming error.
		panic(fmt.Sprintf("encode %s snapshot: %v", objectType, err))
	}
	return &docket.Event{ID: docket.NewID(docket.PrefixEvent), Name: name, ObjectType: objectType, ObjectID: objectID,
		Actor: actor, Object: body, Data: shallowCopy(object), CreatedAt: tx.now}
}

// shallowCopy copies the struct a pointer points to; other values are returned as they are.
func shallowCopy(object any) any {
	v := reflect.ValueOf(object)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return object
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	return c.Interface()
}

// recordEvents records events in the transaction, then calls the registered handlers
// with them. The rows are written at the end of the transaction, chained
// (appendChain), so that the chain's lock is held as briefly as possible. Handlers may
// record events of their own (a workflow run's workflow-run.created); those pass
// through every handler in turn, nested inside the call that caused them.
func recordEvents(ctx context.Context, tx *Tx, events []*docket.Event) error {
	if len(events) == 0 {
		return nil
	}
	tx.pend(events)
	tx.noteSearch(events)
	if err := recordFacts(ctx, tx, events); err != nil {
		return err
	}
	for _, h := range tx.s.handlers {
		if err := h(ctx, tx, events); err != nil {
			return err
		}
	}
	return nil
}

const eventCols = `id, name, object_type, object_id, actor_type, actor_id, object, created_at`

func scanEvent(row scanner) (*docket.Event, error) {
	var e docket.Event
	var obj []byte
	var created int64
	if err := row.Scan(&e.ID, &e.Name, &e.ObjectType, &e.ObjectID, &e.Actor.Type, &e.Actor.ID, &obj, &created); err != nil {
		return nil, err
	}
	e.Object = obj
	e.CreatedAt = fromMS(created)
	return &e, nil
}

// FindEvent returns one event.
func (s *Store) FindEvent(ctx context.Context, id string) (*docket.Event, error) {
	e, err := scanEvent(s.reader().QueryRowContext(ctx, `SELECT `+eventCols+` FROM events WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("event", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find event %s: %w", id, err)
	}
	return e, nil
}

// ListEvents returns a page of events, newest first.
func (s *Store) ListEvents(ctx context.Context, f docket.EventFilter) ([]*docket.Event, docket.PageResult, error) {
	q, args := listEventsSQL(f)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanEvent)
	if err != nil {
		return nil, r, fmt.Errorf("list events: %w", err)
	}
	return items, r, nil
}

// listEventsSQL returns the query ListEvents runs for f.
func listEventsSQL(f docket.EventFilter) (string, []any) {
	var where []string
	var args []any
	if f.Name != "" {
		where, args = append(where, "name = ?"), append(args, f.Name)
	}
	if f.ObjectID != "" {
		where, args = append(where, "object_id = ?"), append(args, f.ObjectID)
	}
	if f.ObjectType != "" {
		// The events_object_type index (object_type, id) serves a page of any type.
		where, args = append(where, "object_type = ?"), append(args, f.ObjectType)
	}
	if len(f.IDs) > 0 {
		where, args = append(where, "id IN ("+placeholders(len(f.IDs))+")"), append(args, anys(f.IDs)...)
	}
	if len(f.ObjectIDs) > 0 {
		// The events_object index (object_id, id) finds each object's events from the
		// cursor down; the engine sorts what it found and keeps a page (see CaseTimeline).
		where, args = append(where, "object_id IN ("+placeholders(len(f.ObjectIDs))+")"), append(args, anys(f.ObjectIDs)...)
	}
	if f.Visibility.Restricted() {
		cond, vargs := hiddenEventSQL(f.Visibility)
		where, args = append(where, cond), append(args, vargs...)
	}
	if len(f.HiddenObjectTypes) > 0 {
		where = append(where, "object_type NOT IN ("+placeholders(len(f.HiddenObjectTypes))+")")
		args = append(args, anys(f.HiddenObjectTypes)...)
	}
	return listSQL(`SELECT `+eventCols+` FROM events`, where, args, "id", f.Page)
}
