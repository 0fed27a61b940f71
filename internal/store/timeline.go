package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/docket-hq/docket"
)

// CaseTimeline returns a page of the events of a case, of its comments and of the objects
// attached to it, newest first. It is one keyset-paged query on the events_object index
// (object_id, id): each object's events are read from the cursor down, so a page costs
// the case's events below the cursor, never a scan of the events table.
func (s *Store) CaseTimeline(ctx context.Context, f docket.TimelineFilter) ([]*docket.Event, docket.PageResult, error) {
	c, err := s.FindCase(ctx, f.CaseID)
	if err != nil {
		return nil, docket.PageResult{}, err
	}
	if f.Visibility.Hides(c.TemplateID) {
		return nil, docket.PageResult{}, docket.NotFound("case", f.CaseID)
	}
	// Every event listed is about this case, its comments or its objects, so the
	// visibility check above is the whole of it: no per-event filter is needed.
	return s.ListEvents(ctx, docket.EventFilter{ObjectIDs: c.TimelineObjectIDs(), Page: f.Page})
}

// NameActors returns the names of the actors: one query per kind of actor.
func (s *Store) NameActors(ctx context.Context, actors []docket.Actor) (docket.ActorNames, error) {
	n := docket.ActorNames{Names: map[docket.Actor]string{}, RunWorkflows: map[string]string{}}
	byType := map[string][]string{}
	for _, a := range actors {
		if !slices.Contains(byType[a.Type], a.ID) {
			byType[a.Type] = append(byType[a.Type], a.ID)
		}
	}
	users, err := s.FindUsers(ctx, byType[docket.ActorUser])
	if err != nil {
		return n, err
	}
	for _, u := range users {
		n.Names[docket.Actor{Type: docket.ActorUser, ID: u.ID}] = cmp.Or(u.Name, u.Email)
	}
	templates, err := s.FindTemplates(ctx, byType[docket.ActorAssignmentPolicy])
	if err != nil {
		return n, err
	}
	for _, t := range templates {
		n.Names[docket.Actor{Type: docket.ActorAssignmentPolicy, ID: t.ID}] = t.Name
	}
	if err := s.nameKeys(ctx, byType[docket.ActorAPIKey], n); err != nil {
		return n, err
	}
	return n, s.nameRuns(ctx, byType[docket.ActorWorkflowRun], n)
}

func (s *Store) nameKeys(ctx context.Context, ids []string, n docket.ActorNames) error {
	if len(ids) == 0 {
		return nil
	}
	pairs, err := queryAll(ctx, s.reader(), `SELECT id, name FROM api_keys WHERE id IN (`+placeholders(len(ids))+`)`, anys(ids), scanPair)
	if err != nil {
		return fmt.Errorf("name api keys: %w", err)
	}
	for _, p := range pairs {
		n.Names[docket.Actor{Type: docket.ActorAPIKey, ID: p[0]}] = p[1]
	}
	return nil
}

func (s *Store) nameRuns(ctx context.Context, ids []string, n docket.ActorNames) error {
	if len(ids) == 0 {
		return nil
	}
	rows, err := queryAll(ctx, s.reader(), `SELECT r.id, w.id, w.name FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
		WHERE r.id IN (`+placeholders(len(ids))+`)`, anys(ids), func(r scanner) ([3]string, error) {
		var v [3]string
		return v, r.Scan(&v[0], &v[1], &v[2])
	})
	if err != nil {
		return fmt.Errorf("name workflow runs: %w", err)
	}
	for _, v := range rows {
		n.Names[docket.Actor{Type: docket.ActorWorkflowRun, ID: v[0]}] = v[2]
		n.RunWorkflows[v[0]] = v[1]
	}
	return nil
}

func scanPair(r scanner) ([2]string, error) {
	var p [2]string
	return p, r.Scan(&p[0], &p[1])
}
