package workflow

import (
	"reflect"
	"testing"

	"github.com/docket-hq/docket"
)

const mask = docket.MaskedSecret

func httpStep(id string, headers any) docket.WorkflowStep {
	return docket.WorkflowStep{ID: id, Type: docket.StepAction, Action: "https-request",
		Params: map[string]any{"url": "https://api.example.com/check", "headers": headers}}
}

// TestMaskSecrets: https-request header values are masked in a copy; the definition
// itself and other parameters keep their values.
func TestMaskSecrets(t *testing.T) {
	def := docket.WorkflowDefinition{Steps: []docket.WorkflowStep{
		httpStep("call", map[string]any{"Authorization": "Bearer sk_1", "X-Trace": "=input.trace"}),
		httpStep("expr", "=input.headers"),
		{ID: "mail", Type: docket.StepAction, Action: "send-email", Params: map[string]any{"to": "a@b.co", "subject": "s", "body": "b"}},
	}}
	got := MaskSecrets(def)
	if h := got.Steps[0].Params["headers"]; !reflect.DeepEqual(h, map[string]any{"Authorization": mask, "X-Trace": mask}) {
		t.Errorf("masked headers: %v", h)
	}
	if h := got.Steps[1].Params["headers"]; h != mask {
		t.Errorf("masked header expression: %v", h)
	}
	if got.Steps[0].Params["url"] != "https://api.example.com/check" || got.Steps[2].Params["body"] != "b" {
		t.Errorf("other parameters changed: %+v", got.Steps)
	}
	if def.Steps[0].Params["headers"].(map[string]any)["Authorization"] != "Bearer sk_1" || def.Steps[1].Params["headers"] != "=input.headers" {
		t.Errorf("masking changed the definition itself: %+v", def.Steps)
	}
}

// TestRestoreSecrets: masks sent back keep the draft's values, step by step id and
// header by name; a mask with nothing behind it is refused with the field it is in.
func TestRestoreSecrets(t *testing.T) {
	prev := &docket.WorkflowDefinition{Steps: []docket.WorkflowStep{
		httpStep("call", map[string]any{"Authorization": "Bearer sk_1", "X-Trace": "t"}),
		httpStep("expr", "=input.headers"),
	}}
	for _, tc := range []struct {
		name    string
		next    []docket.WorkflowStep
		want    []any // the restored headers, step by step
		errPath string
	}{
		{"round trip", []docket.WorkflowStep{httpStep("call", map[string]any{"Authorization": mask, "X-Trace": mask}), httpStep("expr", mask)},
			[]any{map[string]any{"Authorization": "Bearer sk_1", "X-Trace": "t"}, "=input.headers"}, ""},
		{"a new value replaces", []docket.WorkflowStep{httpStep("call", map[string]any{"Authorization": "Bearer sk_2", "X-Trace": mask})},
			[]any{map[string]any{"Authorization": "Bearer sk_2", "X-Trace": "t"}}, ""},
		{"a header dropped", []docket.WorkflowStep{httpStep("call", map[string]any{"Authorization": mask})},
			[]any{map[string]any{"Authorization": "Bearer sk_1"}}, ""},
		{"steps moved", []docket.WorkflowStep{httpStep("expr", mask), httpStep("call", map[string]any{"Authorization": mask})},
			[]any{"=input.headers", map[string]any{"Authorization": "Bearer sk_1"}}, ""},
		{"a new header", []docket.WorkflowStep{httpStep("call", map[string]any{"X-Other": mask})}, nil,
			`definition.steps[0].params.headers.X-Other`},
		{"a new step", []docket.WorkflowStep{httpStep("other", map[string]any{"Authorization": mask})}, nil,
			`definition.steps[0].params.headers.Authorization`},
		{"an object for an expression", []docket.WorkflowStep{httpStep("expr", map[string]any{"Authorization": mask})}, nil,
			`definition.steps[0].params.headers.Authorization`},
		{"a mask for an object", []docket.WorkflowStep{httpStep("call", mask)}, nil, `definition.steps[0].params.headers`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := &docket.WorkflowDefinition{Steps: tc.next}
			err := RestoreSecrets(prev, next, "definition")
			if tc.errPath != "" {
				if e, ok := err.(*docket.Error); !ok || e.Code != docket.EInvalid || e.Field != tc.errPath {
					t.Fatalf("want invalid at %s, got %v", tc.errPath, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.want {
				if got := next.Steps[i].Params["headers"]; !reflect.DeepEqual(got, want) {
					t.Errorf("step %d headers %v, want %v", i, got, want)
				}
			}
		})
	}
	// A new workflow has no secrets to restore.
	err := RestoreSecrets(nil, &docket.WorkflowDefinition{Steps: []docket.WorkflowStep{httpStep("call", map[string]any{"A": mask})}}, "definition")
	if e, ok := err.(*docket.Error); !ok || e.Field != "definition.steps[0].params.headers.A" {
		t.Errorf("a mask in a new workflow: %v", err)
	}
}
