package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/docket-hq/docket"
)

// Events about workflows themselves.
const (
	eventWorkflowCreated   = docket.EventWorkflowCreated
	eventWorkflowUpdated   = docket.EventWorkflowUpdated
	eventWorkflowPublished = docket.EventWorkflowPublished
	eventWorkflowPaused    = docket.EventWorkflowPaused
	eventWorkflowArchived  = docket.EventWorkflowArchived
)

const workflowCols = `id, name, description, status, definition, version, next_run_at, published_at, created_at, updated_at`

func scanWorkflow(row scanner) (*docket.Workflow, error) {
	var w docket.Workflow
	var def []byte
	var next, published sql.NullInt64
	var created, updated int64
	if err := row.Scan(&w.ID, &w.Name, &w.Description, &w.Status, &def, &w.Version, &next, &published, &created, &updated); err != nil {
		return nil, err
	}
	if err := decodeJSON(def, &w.Definition); err != nil {
		return nil, fmt.Errorf("workflow %s: %w", w.ID, err)
	}
	w.NextRunAt, w.PublishedAt = fromNullMS(next), fromNullMS(published)
	w.CreatedAt, w.UpdatedAt = fromMS(created), fromMS(updated)
	return &w, nil
}

func (s *Store) validateWorkflow(name string, def *docket.WorkflowDefinition) error {
	rules, err := s.rules()
	if err != nil {
		return err
	}
	if strings.TrimSpace(name) == "" || utf8.RuneCountInString(name) > 200 {
		return docket.Invalid("name", "name is required, at most 200 characters")
	}
	if def.Steps == nil {
		def.Steps = []docket.WorkflowStep{}
	}
	return rules.Validate(def, "definition")
}

// masked returns a copy of w whose definition shows masks for its secrets: what the
// store returns and records in events (see WorkflowRules.MaskSecrets). Only published
// versions, which the engine reads, keep the values. A store without workflow rules has
// no workflows to show.
func (s *Store) masked(w *docket.Workflow) *docket.Workflow {
	if w == nil || s.workflowRules == nil {
		return w
	}
	m := *w
	m.Definition = s.workflowRules.MaskSecrets(w.Definition)
	return &m
}

// CreateWorkflow stores a new workflow as a draft. It returns the workflow with its
// secrets masked, as every read does.
func (s *Store) CreateWorkflow(ctx context.Context, actor docket.Actor, n docket.NewWorkflow) (*docket.Workflow, error) {
	rules, err := s.rules()
	if err != nil {
		return nil, err
	}
	if err := rules.RestoreSecrets(nil, &n.Definition, "definition"); err != nil {
		return nil, err
	}
	if err := s.validateWorkflow(n.Name, &n.Definition); err != nil {
		return nil, err
	}
	var w *docket.Workflow
	err = s.write(ctx, func(tx *Tx) error {
		w = &docket.Workflow{ID: docket.NewID(docket.PrefixWorkflow), Name: n.Name, Description: n.Description,
			Status: docket.WorkflowDraft, Definition: n.Definition, CreatedAt: tx.now, UpdatedAt: tx.now}
		def, err := jsonArg(w.Definition)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO workflows (id, name, description, status, definition, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, w.ID, w.Name, w.Description, w.Status, def, ms(tx.now), ms(tx.now)); err != nil {
			return fmt.Errorf("insert workflow: %w", err)
		}
		_, err = recordEvent(ctx, tx, actor, eventWorkflowCreated, "workflow", w.ID, s.masked(w))
		return err
	})
	return s.masked(w), err
}

// FindWorkflow returns one workflow, its secrets masked.
func (s *Store) FindWorkflow(ctx context.Context, id string) (*docket.Workflow, error) {
	w, err := findWorkflow(ctx, s.reader(), id, "")
	return s.masked(w), err
}

func findWorkflow(ctx context.Context, q querier, id, lock string) (*docket.Workflow, error) {
	w, err := scanWorkflow(q.QueryRowContext(ctx, `SELECT `+workflowCols+` FROM workflows WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("workflow", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find workflow %s: %w", id, err)
	}
	return w, nil
}

// ListWorkflows returns a page of workflows, newest first, their secrets masked.
func (s *Store) ListWorkflows(ctx context.Context, f docket.WorkflowFilter) ([]*docket.Workflow, docket.PageResult, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	q, args := listSQL(`SELECT `+workflowCols+` FROM workflows`, where, args, "id", f.Page)
	items, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanWorkflow)
	if err != nil {
		return nil, r, fmt.Errorf("list workflows: %w", err)
	}
	for i, w := range items {
		items[i] = s.masked(w)
	}
	return items, r, nil
}

// mutateWorkflow locks a workflow, applies change and writes it back with the event. The
// event and the result show the workflow with its secrets masked.
func (s *Store) mutateWorkflow(ctx context.Context, actor docket.Actor, id string, change func(tx *Tx, w *docket.Workflow) (string, error)) (*docket.Workflow, error) {
	var w *docket.Workflow
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if w, err = findWorkflow(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if w.Status == docket.WorkflowArchived {
			return docket.Errorf(docket.EConflict, "workflow %s is archived", id)
		}
		event, err := change(tx, w)
		if err != nil || event == "" {
			return err
		}
		w.UpdatedAt = tx.now
		def, err := jsonArg(w.Definition)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE workflows SET name = ?, description = ?, status = ?, definition = ?, version = ?,
			next_run_at = ?, published_at = ?, updated_at = ? WHERE id = ?`,
			w.Name, w.Description, w.Status, def, w.Version, msPtr(w.NextRunAt), msPtr(w.PublishedAt), ms(tx.now), w.ID); err != nil {
			return fmt.Errorf("update workflow %s: %w", w.ID, err)
		}
		_, err = recordEvent(ctx, tx, actor, event, "workflow", w.ID, s.masked(w))
		return err
	})
	return s.masked(w), err
}

// UpdateWorkflow edits the draft; published versions do not change.
func (s *Store) UpdateWorkflow(ctx context.Context, actor docket.Actor, id string, u docket.WorkflowUpdate) (*docket.Workflow, error) {
	return s.mutateWorkflow(ctx, actor, id, func(tx *Tx, w *docket.Workflow) (string, error) {
		if u.Name != nil {
			w.Name = *u.Name
		}
		if u.Description != nil {
			w.Description = *u.Description
		}
		if u.Definition != nil {
			// A definition read through the API shows masks: sent back, they keep the
			// draft's secrets.
			rules, err := s.rules()
			if err != nil {
				return "", err
			}
			if err := rules.RestoreSecrets(&w.Definition, u.Definition, "definition"); err != nil {
				return "", err
			}
			w.Definition = *u.Definition
		}
		return eventWorkflowUpdated, s.validateWorkflow(w.Name, &w.Definition)
	})
}

// PublishWorkflow freezes the draft as the next version and activates the workflow. Runs
// already started keep the version they started with.
func (s *Store) PublishWorkflow(ctx context.Context, actor docket.Actor, id string) (*docket.Workflow, error) {
	return s.mutateWorkflow(ctx, actor, id, func(tx *Tx, w *docket.Workflow) (string, error) {
		// Validate again: the rules may have grown since the draft was saved.
		if err := s.validateWorkflow(w.Name, &w.Definition); err != nil {
			return "", err
		}
		if len(w.Definition.Steps) == 0 {
			return "", docket.Invalid("definition.steps", "a workflow needs at least one step to be published")
		}
		w.Version++
		w.Status, w.PublishedAt = docket.WorkflowActive, &tx.now
		def, err := jsonArg(w.Definition)
		if err != nil {
			return "", err
		}
		if _, err := tx.exec(ctx, `INSERT INTO workflow_versions (workflow_id, version, definition, published_at) VALUES (?, ?, ?, ?)`,
			w.ID, w.Version, def, ms(tx.now)); err != nil {
			return "", fmt.Errorf("insert workflow version: %w", err)
		}
		if err := s.setTrigger(ctx, tx, w); err != nil {
			return "", err
		}
		return eventWorkflowPublished, nil
	})
}

// setTrigger indexes the published version's trigger, and schedules its next run.
func (s *Store) setTrigger(ctx context.Context, tx *Tx, w *docket.Workflow) error {
	t := w.Definition.Trigger
	var event any
	if t.Type == docket.TriggerEvent {
		event = t.Event
	}
	w.NextRunAt = nil
	if t.Type == docket.TriggerSchedule && w.Status == docket.WorkflowActive {
		rules, err := s.rules()
		if err != nil {
			return err
		}
		next, err := rules.NextRun(t.Schedule, tx.now)
		if err != nil {
			return docket.Invalid("definition.trigger.schedule", "%v", err)
		}
		w.NextRunAt = &next
	}
	if _, err := tx.exec(ctx, `UPDATE workflows SET trigger_type = ?, trigger_event = ? WHERE id = ?`, t.Type, event, w.ID); err != nil {
		return fmt.Errorf("index trigger of workflow %s: %w", w.ID, err)
	}
	return nil
}

// PauseWorkflow stops new runs; runs already started go on.
func (s *Store) PauseWorkflow(ctx context.Context, actor docket.Actor, id string) (*docket.Workflow, error) {
	return s.mutateWorkflow(ctx, actor, id, func(tx *Tx, w *docket.Workflow) (string, error) {
		if w.Status != docket.WorkflowActive {
			return "", docket.Errorf(docket.EConflict, "workflow %s is %s; only an active workflow can be paused", id, w.Status)
		}
		w.Status, w.NextRunAt = docket.WorkflowPaused, nil
		return eventWorkflowPaused, nil
	})
}

// ArchiveWorkflow retires a workflow for good; its runs stay readable.
func (s *Store) ArchiveWorkflow(ctx context.Context, actor docket.Actor, id string) (*docket.Workflow, error) {
	return s.mutateWorkflow(ctx, actor, id, func(tx *Tx, w *docket.Workflow) (string, error) {
		w.Status, w.NextRunAt = docket.WorkflowArchived, nil
		return eventWorkflowArchived, nil
	})
}

type versionKey struct {
	workflowID string
	version    int
}

// workflowVersion returns a published version's definition.
func (s *Store) workflowVersion(ctx context.Context, q querier, workflowID string, version int) (*docket.WorkflowDefinition, error) {
	key := versionKey{workflowID, version}
	if d, ok := s.versions.Load(key); ok {
		return d.(*docket.WorkflowDefinition), nil
	}
	var raw []byte
	err := q.QueryRowContext(ctx, `SELECT definition FROM workflow_versions WHERE workflow_id = ? AND version = ?`, workflowID, version).Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("workflow %s version %d: %w", workflowID, version, err)
	}
	var d docket.WorkflowDefinition
	if err := decodeJSON(raw, &d); err != nil {
		return nil, fmt.Errorf("workflow %s version %d: %w", workflowID, version, err)
	}
	s.versions.Store(key, &d)
	return &d, nil
}
