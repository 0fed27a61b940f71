package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/docket-hq/docket"
)

// StartWorkflowRun runs an api or case-action workflow's published version now.
func (s *Store) StartWorkflowRun(ctx context.Context, actor docket.Actor, workflowID string, start docket.RunStart) (*docket.WorkflowRun, error) {
	var r *docket.WorkflowRun
	err := s.write(ctx, func(tx *Tx) error {
		w, err := findWorkflow(ctx, tx.reader(), workflowID, s.forShare())
		if err != nil {
			return err
		}
		if w.Status != docket.WorkflowActive {
			return docket.Errorf(docket.EConflict, "workflow %s is %s; only an active (published, not paused) workflow runs", w.ID, w.Status)
		}
		def, err := s.workflowVersion(ctx, tx.reader(), w.ID, w.Version)
		if err != nil {
			return err
		}
		if def.Trigger.Type != start.TriggerType {
			return docket.Invalid("", "workflow %s is triggered by %s, not %s", w.ID, def.Trigger.Type, start.TriggerType)
		}
		input, err := docket.ValidateFields(def.Trigger.InputSchema, start.Input, false, "input")
		if err != nil {
			return err
		}
		trig := docket.RunTrigger{Type: start.TriggerType}
		if start.TriggerType == docket.TriggerCaseAction {
			if trig, err = caseActionTrigger(ctx, tx, def, start.CaseID); err != nil {
				return err
			}
		}
		r, err = tx.CreateWorkflowRun(ctx, w, def, trig, input, 0, actor)
		return err
	})
	return r, err
}

func caseActionTrigger(ctx context.Context, tx *Tx, def *docket.WorkflowDefinition, caseID string) (docket.RunTrigger, error) {
	c, err := findCase(ctx, tx.reader(), caseID, "")
	if err != nil {
		return docket.RunTrigger{}, err
	}
	if ids := def.Trigger.CaseTemplateIDs; len(ids) > 0 && !slices.Contains(ids, c.TemplateID) {
		return docket.RunTrigger{}, docket.Invalid("", "this action is not offered on cases of template %s", c.TemplateID)
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return docket.RunTrigger{}, err
	}
	rules, err := tx.s.rules()
	if err != nil {
		return docket.RunTrigger{}, err
	}
	obj, err := rules.TriggerObject(ctx, tx, "case", raw)
	if err != nil {
		return docket.RunTrigger{}, err
	}
	if raw, err = json.Marshal(obj); err != nil {
		return docket.RunTrigger{}, err
	}
	return docket.RunTrigger{Type: docket.TriggerCaseAction, ObjectType: "case", ObjectID: c.ID, Object: raw}, nil
}

// RunDueSchedules starts the runs of schedule-triggered workflows whose time has come,
// at most limit, and sets each one's next time. Each workflow row is claimed with SKIP
// LOCKED on PostgreSQL, so that of several processes exactly one starts each run.
func (s *Store) RunDueSchedules(ctx context.Context, now time.Time, limit int) (int, error) {
	rules, err := s.rules()
	if err != nil {
		return 0, err
	}
	started := 0
	err = s.write(ctx, func(tx *Tx) error {
		due, err := queryAll(ctx, tx.reader(), `SELECT `+workflowCols+` FROM workflows
			WHERE status = '`+docket.WorkflowActive+`' AND trigger_type = '`+docket.TriggerSchedule+`' AND next_run_at <= ? ORDER BY next_run_at LIMIT ?`+s.skipLocked(),
			[]any{ms(now), limit}, scanWorkflow)
		if err != nil {
			return fmt.Errorf("find due schedules: %w", err)
		}
		for _, w := range due {
			def, err := s.workflowVersion(ctx, tx.reader(), w.ID, w.Version)
			if err != nil {
				return err
			}
			next, err := rules.NextRun(def.Trigger.Schedule, now)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE workflows SET next_run_at = ? WHERE id = ?`, ms(next), w.ID); err != nil {
				return fmt.Errorf("schedule workflow %s: %w", w.ID, err)
			}
			if _, err := tx.CreateWorkflowRun(ctx, w, def, docket.RunTrigger{Type: docket.TriggerSchedule}, nil, 0,
				docket.Actor{Type: docket.ActorSystem, ID: "schedule"}); err != nil {
				return err
			}
			started++
		}
		return nil
	})
	return started, err
}
