package workflow

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/docket-hq/docket"
)

var (
	stepIDRe    = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,62}$`)
	eventNameRe = regexp.MustCompile(`^[a-z][a-z-]*\.[a-z][a-z-]*$`)
)

// cronParser reads five-field cron expressions and descriptors (@hourly, @every 15m).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Validate checks a definition before it is saved: the trigger, every step's type and
// references, every action and its parameters, and that every expression compiles and
// type-checks, and that every literal parameter value has its parameter's type (an
// https-request url uses https, or http to a host allowHTTP names). The error names the
// offending input by its path below field, the definition's own path (for example
// definition.steps[1].action; see docket.Error).
func Validate(d *docket.WorkflowDefinition, field string, allowHTTP func(host string) bool) error {
	if err := validateTrigger(&d.Trigger, field+".trigger"); err != nil {
		return err
	}
	if len(d.Steps) > docket.MaxWorkflowSteps {
		return docket.Invalid(field+".steps", "a workflow has at most %d steps", docket.MaxWorkflowSteps)
	}
	index := map[string]int{}
	for i, s := range d.Steps {
		p := docket.FieldIndex(field+".steps", i) + ".id"
		if !stepIDRe.MatchString(s.ID) || s.ID == docket.StepEnd {
			return docket.Invalid(p, "step id %q must be lowercase letters, digits, - and _ (and not %q)", s.ID, docket.StepEnd)
		}
		if _, dup := index[s.ID]; dup {
			return docket.Invalid(p, "step id %q is used twice", s.ID)
		}
		index[s.ID] = i
	}
	for i := range d.Steps {
		if err := validateStep(&d.Steps[i], i, index, docket.FieldIndex(field+".steps", i), allowHTTP); err != nil {
			return err
		}
	}
	return nil
}

func validateTrigger(t *docket.Trigger, p string) error {
	switch t.Type {
	case docket.TriggerEvent:
		if !eventNameRe.MatchString(t.Event) {
			return docket.Invalid(p+".event", "an event trigger needs an event name like inquiry.completed")
		}
	case docket.TriggerAPI, docket.TriggerCaseAction:
		if err := docket.ValidateFieldSchemas(t.InputSchema, p+".input-schema"); err != nil {
			return err
		}
		for i, id := range t.CaseTemplateIDs {
			if t.Type != docket.TriggerCaseAction || !docket.ValidID(docket.PrefixTemplate, id) {
				return docket.Invalid(docket.FieldIndex(p+".case-template-ids", i), "case-template-ids lists case template ids, for case-action triggers")
			}
		}
	case docket.TriggerSchedule:
		if _, err := cronParser.Parse(t.Schedule); err != nil {
			return docket.Invalid(p+".schedule", "schedule %q: %v", t.Schedule, err)
		}
	default:
		return docket.Invalid(p+".type", "trigger type must be event, api, case-action or schedule")
	}
	if t.Condition != "" {
		if _, err := Compile(t.Condition); err != nil {
			return docket.Invalid(p+".condition", "condition: %v", err)
		}
	}
	return nil
}

func validateStep(s *docket.WorkflowStep, i int, index map[string]int, p string, allowHTTP func(string) bool) error {
	if err := checkNext(s.Next, i, index, p+".next", true); err != nil {
		return err
	}
	switch s.Type {
	case docket.StepAction:
		return validateAction(s, p, allowHTTP)
	case docket.StepConditional:
		return validateRoutes(s, i, index, p)
	case docket.StepWait:
		return validateWait(s, i, index, p)
	default:
		return docket.Invalid(p+".type", "step type must be action, conditional or wait")
	}
}

// checkNext allows only a later step or "end", so that runs cannot loop.
func checkNext(next string, i int, index map[string]int, p string, optional bool) error {
	if next == "" && optional || next == docket.StepEnd {
		return nil
	}
	j, ok := index[next]
	if !ok {
		return docket.Invalid(p, "no step has the id %q", next)
	}
	if j <= i {
		return docket.Invalid(p, "step %q comes before this one: a step can only go forward (workflows do not loop)", next)
	}
	return nil
}

func validateRoutes(s *docket.WorkflowStep, i int, index map[string]int, p string) error {
	if len(s.Routes) == 0 || len(s.Routes) > docket.MaxWorkflowRoutes {
		return docket.Invalid(p+".routes", "a conditional step has 1 to %d routes", docket.MaxWorkflowRoutes)
	}
	for j, r := range s.Routes {
		rp := docket.FieldIndex(p+".routes", j)
		if r.Condition == "" && j < len(s.Routes)-1 {
			return docket.Invalid(rp+".condition", "only the last route can be the catch-all (no condition)")
		}
		if r.Condition != "" {
			if _, err := Compile(r.Condition); err != nil {
				return docket.Invalid(rp+".condition", "condition: %v", err)
			}
		}
		if err := checkNext(r.Next, i, index, rp+".next", false); err != nil {
			return err
		}
	}
	return nil
}

func validateWait(s *docket.WorkflowStep, i int, index map[string]int, p string) error {
	if !eventNameRe.MatchString(s.Event) {
		return docket.Invalid(p+".event", "a wait step needs the event name to wait for, like case.resolved")
	}
	if s.ObjectID == "" {
		return docket.Invalid(p+".object-id", "a wait step needs the object to wait on (an id, or an expression like =steps[\"open-case\"].id)")
	}
	if err := checkValue(s.ObjectID, p+".object-id"); err != nil {
		return err
	}
	if s.Condition != "" {
		if _, err := Compile(s.Condition); err != nil {
			return docket.Invalid(p+".condition", "condition: %v", err)
		}
	}
	d, err := ParseTimeout(s.Timeout)
	if err != nil || d <= 0 || d > docket.MaxWaitTimeout {
		return docket.Invalid(p+".timeout", "a wait step needs a timeout between 1s and 90d, like 72h or 7d")
	}
	if s.OnTimeout == "" {
		return docket.Invalid(p+".on-timeout", "a wait step needs the step to go to on timeout (or %q)", docket.StepEnd)
	}
	return checkNext(s.OnTimeout, i, index, p+".on-timeout", false)
}

// ParseTimeout reads a Go duration (90m, 72h) or a number of days (7d).
func ParseTimeout(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, err
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

func validateAction(s *docket.WorkflowStep, p string, allowHTTP func(string) bool) error {
	a, ok := actions[s.Action]
	if !ok {
		return docket.Invalid(p+".action", "unknown action %q (known: %s)", s.Action, strings.Join(ActionNames(), ", "))
	}
	for name, v := range s.Params {
		if !a.has(name) {
			return docket.Invalid(docket.FieldKey(p+".params", name), "action %s has no parameter %q", s.Action, name)
		}
		if err := checkValue(v, docket.FieldKey(p+".params", name)); err != nil {
			return err
		}
		if err := a.check(name, v, true, allowHTTP, p+".params"); err != nil {
			return err
		}
	}
	for _, name := range a.required {
		if _, ok := s.Params[name]; !ok {
			return docket.Invalid(docket.FieldKey(p+".params", name), "action %s needs the parameter %q", s.Action, name)
		}
	}
	return nil
}

// checkValue compiles the expressions a parameter value holds, at any depth.
func checkValue(v any, p string) error {
	switch v := v.(type) {
	case string:
		if src, ok := strings.CutPrefix(v, "="); ok {
			if _, err := CompileValue(src); err != nil {
				return docket.Invalid(p, "expression: %v", err)
			}
		}
	case map[string]any:
		for k, x := range v {
			if err := checkValue(x, docket.FieldKey(p, k)); err != nil {
				return err
			}
		}
	case []any:
		for i, x := range v {
			if err := checkValue(x, docket.FieldIndex(p, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// NextSchedule returns when a schedule expression fires next after t.
func NextSchedule(schedule string, t time.Time) (time.Time, error) {
	s, err := cronParser.Parse(schedule)
	if err != nil {
		return time.Time{}, err
	}
	return s.Next(t.UTC()), nil
}
