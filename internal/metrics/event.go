package metrics

import (
	"encoding/json"

	"github.com/docket-hq/docket"
)

// Committed counts what committed changes recorded: a store.CommitHandler. Counting
// after the commit, never inside the transaction, means that a change rolled back is
// not counted.
func (m *Metrics) Committed(events []*docket.Event) {
	for _, e := range events {
		switch e.Name {
		case docket.EventCaseCreated:
			m.casesCreated.Inc()
		case docket.EventCaseResolved:
			m.casesResolved.Inc()
		case docket.EventCaseSLAExpired:
			m.slaBreaches.Inc()
		case docket.EventWorkflowRunCreated:
			m.runs.WithLabelValues("created").Inc()
		case docket.EventWorkflowRunCompleted, docket.EventWorkflowRunErrored:
			m.runEnded(e)
		}
	}
}

// runEnded counts a run's outcome and the time each of its steps took: a run's record
// holds its steps' start and finish, so the steps of a run that waited days are counted
// once, when it ends.
func (m *Metrics) runEnded(e *docket.Event) {
	r, ok := e.Data.(*docket.WorkflowRun)
	if !ok {
		r = new(docket.WorkflowRun)
		if json.Unmarshal(e.Object, r) != nil {
			return
		}
	}
	m.runs.WithLabelValues(r.Status).Inc()
	for _, s := range r.Steps {
		if s.FinishedAt != nil {
			m.stepDuration.WithLabelValues(s.Type, s.Status).Observe(s.FinishedAt.Sub(s.StartedAt).Seconds())
		}
	}
}
