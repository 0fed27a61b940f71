package workflow

import (
	"maps"
	"slices"

	"github.com/docket-hq/docket"
)

// secretParams names, for each action, the parameters whose values are secrets: the
// credentials of other systems, such as an https-request's Authorization header. They
// are write-only, like webhooks' custom headers in events: every read of a definition
// (the API, events, webhooks) shows docket.MaskedSecret instead, a run's record keeps
// the mask too, and only the engine sees the value, to send it.
var secretParams = map[string][]string{
	"https-request": {"headers"},
}

// MaskSecrets returns a copy of def whose secret parameter values are masked; def is
// not changed (its maps are shared with the copy only where nothing is masked).
func MaskSecrets(def docket.WorkflowDefinition) docket.WorkflowDefinition {
	def.Steps = slices.Clone(def.Steps)
	for i := range def.Steps {
		s := &def.Steps[i]
		if s.Type == docket.StepAction {
			s.Params = maskParams(s.Action, s.Params)
		}
	}
	return def
}

// maskParams returns params with the action's secret values masked (a copy when
// anything is masked): each value inside a secret parameter (each header's value), or
// the parameter's whole value when it is not an object (an expression).
func maskParams(action string, params map[string]any) map[string]any {
	for _, name := range secretParams[action] {
		v, ok := params[name]
		if !ok || v == nil {
			continue
		}
		params = maps.Clone(params)
		if m, ok := v.(map[string]any); ok {
			masked := make(map[string]any, len(m))
			for k := range m {
				masked[k] = docket.MaskedSecret
			}
			params[name] = masked
		} else {
			params[name] = docket.MaskedSecret
		}
	}
	return params
}

// RestoreSecrets makes masks in next stand for the values they hide: a definition read
// through the API shows masks, and one sent back with them (a PATCH of what a GET gave)
// keeps the secrets of prev, the draft it replaces, step by step id and header by name.
// A mask with no value behind it (a new step, header or workflow) is refused: it would
// send the mask itself. prev may be nil (a new workflow); field is the definition's path.
func RestoreSecrets(prev, next *docket.WorkflowDefinition, field string) error {
	for i := range next.Steps {
		s := &next.Steps[i]
		if s.Type != docket.StepAction {
			continue
		}
		var old map[string]any
		if prev != nil {
			if p, _ := prev.Step(s.ID); p != nil && p.Action == s.Action {
				old = p.Params
			}
		}
		for _, name := range secretParams[s.Action] {
			at := docket.FieldKey(docket.FieldIndex(field+".steps", i)+".params", name)
			restored, err := restore(s.Params[name], old[name], at)
			if err != nil {
				return err
			}
			if restored != nil {
				s.Params = maps.Clone(s.Params)
				s.Params[name] = restored
			}
		}
	}
	return nil
}

// restore returns v with its masks replaced by prev's values (nil if v holds no mask).
func restore(v, prev any, field string) (any, error) {
	missing := func(at string) error {
		return docket.Invalid(at, "%s stands for a secret that this step does not have: send the value", docket.MaskedSecret)
	}
	switch x := v.(type) {
	case string:
		if x != docket.MaskedSecret {
			return nil, nil
		}
		if _, isMap := prev.(map[string]any); prev == nil || isMap {
			return nil, missing(field)
		}
		return prev, nil
	case map[string]any:
		old, _ := prev.(map[string]any)
		var out map[string]any
		for k, e := range x {
			if e != docket.MaskedSecret {
				continue
			}
			p, ok := old[k]
			if !ok {
				return nil, missing(docket.FieldKey(field, k))
			}
			if out == nil {
				out = maps.Clone(x)
			}
			out[k] = p
		}
		if out == nil {
			return nil, nil
		}
		return out, nil
	}
	return nil, nil
}
