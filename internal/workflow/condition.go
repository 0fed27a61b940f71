// Package workflow evaluates workflow conditions and (to come) runs workflow steps.
// Conditions use expr (github.com/expr-lang/expr): compiled and checked when a workflow is
// saved, bounded in size, and evaluated against the trigger object, earlier steps' outputs
// and the run's input.
package workflow

import (
	"errors"
	"fmt"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Env is what a condition can see. Objects appear as the API renders them: attribute
// names in kebab-case, so trigger["fields"]["birthdate"] or trigger.status.
type Env struct {
	Trigger map[string]any `expr:"trigger"`
	Steps   map[string]any `expr:"steps"`
	Input   map[string]any `expr:"input"`
	Now     time.Time      `expr:"now"`
}

// MaxNodes bounds a condition's size; expr also bounds the memory one evaluation may use.
const MaxNodes = 500

// Condition is a compiled, boolean expression.
type Condition struct {
	Source  string
	program *vm.Program
}

// Compile parses and checks a condition: syntax, unknown variables and functions, the
// types of function arguments, and that the result is a boolean.
func Compile(src string) (*Condition, error) {
	if src == "" {
		return nil, errors.New("empty condition")
	}
	p, err := expr.Compile(src, append(functions(), expr.Env(Env{}), expr.AsBool(), expr.MaxNodes(MaxNodes))...)
	if err != nil {
		return nil, err
	}
	return &Condition{Source: src, program: p}, nil
}

// Eval runs the condition against env. Errors at run time (comparing a string with a
// number, a missing field used in arithmetic) are returned, not taken as false.
func (c *Condition) Eval(env Env) (bool, error) {
	out, err := expr.Run(c.program, env)
	if err != nil {
		return false, fmt.Errorf("condition %q: %w", c.Source, err)
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("condition %q: result is %T, not a boolean", c.Source, out)
	}
	return b, nil
}

// functions are the helpers conditions may call besides expr's built-ins.
func functions() []expr.Option {
	return []expr.Option{
		// age(birthdate) is the number of whole years since a date (2006-01-02) at now.
		expr.Function("age", func(params ...any) (any, error) {
			return ageAt(params[0].(string), time.Now())
		}, new(func(string) int)),
	}
}

func ageAt(birthdate string, now time.Time) (int, error) {
	b, err := time.Parse(time.DateOnly, birthdate)
	if err != nil {
		return 0, fmt.Errorf("age: %q is not a date like 2006-01-02", birthdate)
	}
	years := now.Year() - b.Year()
	if now.Month() < b.Month() || now.Month() == b.Month() && now.Day() < b.Day() {
		years-- // the birthday has not come yet this year
	}
	return years, nil
}
