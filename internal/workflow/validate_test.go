package workflow_test

import (
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/workflow"
)

// TestValidateNamesFields checks that a definition's errors name the offending input as
// a domain path below the definition's own, which any front end can map to its form.
func TestValidateNamesFields(t *testing.T) {
	t.Parallel()
	valid := func() docket.WorkflowDefinition {
		return docket.WorkflowDefinition{
			Trigger: docket.Trigger{Type: docket.TriggerAPI},
			Steps: []docket.WorkflowStep{
				{ID: "check", Type: docket.StepConditional, Routes: []docket.Route{{Condition: "true", Next: "close"}, {Next: docket.StepEnd}}},
				{ID: "close", Type: docket.StepAction, Action: "set-case-status", Params: map[string]any{"status": "Closed"}},
			},
		}
	}
	tests := []struct {
		name   string
		change func(*docket.WorkflowDefinition)
		field  string
	}{
		{"valid", func(*docket.WorkflowDefinition) {}, ""},
		{"unknown trigger type", func(d *docket.WorkflowDefinition) { d.Trigger.Type = "telepathy" }, "definition.trigger.type"},
		{"step id used twice", func(d *docket.WorkflowDefinition) { d.Steps[1].ID = "check" }, "definition.steps[1].id"},
		{"unknown action", func(d *docket.WorkflowDefinition) { d.Steps[1].Action = "explode" }, "definition.steps[1].action"},
		{"missing parameter", func(d *docket.WorkflowDefinition) { d.Steps[1].Params = nil }, "definition.steps[1].params.status"},
		{"odd parameter name", func(d *docket.WorkflowDefinition) { d.Steps[1].Params["a.b"] = 1 }, `definition.steps[1].params["a.b"]`},
		{"bad expression deep in a parameter", func(d *docket.WorkflowDefinition) {
			d.Steps[1].Params["status"] = map[string]any{"list": []any{"ok", "=(("}}
		}, "definition.steps[1].params.status.list[1]"},
		{"parameter of the wrong type", func(d *docket.WorkflowDefinition) { d.Steps[1].Params["status"] = 5 }, "definition.steps[1].params.status"},
		{"list item of the wrong type", func(d *docket.WorkflowDefinition) {
			d.Steps[1].Action, d.Steps[1].Params = "tag-object", map[string]any{"tags": []any{"a", 1}}
		}, "definition.steps[1].params.tags[1]"},
		{"header of the wrong type", func(d *docket.WorkflowDefinition) {
			d.Steps[1].Action, d.Steps[1].Params = "https-request", map[string]any{"url": "https://example.com", "headers": map[string]any{"X-Count": 3}}
		}, "definition.steps[1].params.headers.X-Count"},
		{"plain http", func(d *docket.WorkflowDefinition) {
			d.Steps[1].Action, d.Steps[1].Params = "https-request", map[string]any{"url": "http://example.com"}
		}, "definition.steps[1].params.url"},
		{"catch-all route not last", func(d *docket.WorkflowDefinition) {
			d.Steps[0].Routes = []docket.Route{{Next: "close"}, {Condition: "true", Next: docket.StepEnd}}
		}, "definition.steps[0].routes[0].condition"},
		{"route goes back", func(d *docket.WorkflowDefinition) { d.Steps[0].Routes[0].Next = "check" }, "definition.steps[0].routes[0].next"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := valid()
			tc.change(&d)
			err := workflow.Validate(&d, "definition", nil)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want no error, got %v", err)
				}
				return
			}
			if docket.ErrorCode(err) != docket.EInvalid {
				t.Fatalf("want an invalid error at %s, got %v", tc.field, err)
			}
			if field, _ := docket.ErrorField(err); field != tc.field {
				t.Fatalf("error names %q, want %q (%v)", field, tc.field, err)
			}
		})
	}
}
