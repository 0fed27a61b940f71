// Package workflow validates workflow definitions and runs them: the event handler that
// starts the runs events trigger and resumes waiting ones (trigger.go, wait.go),
// conditions and parameter expressions (expr, github.com/expr-lang/expr), the actions, and
// the engine that advances runs step by step as jobs.
package workflow

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// Env is what an expression can see. Objects appear as their snapshots: attribute names
// in kebab-case, so trigger.fields.birthdate or trigger["reference-id"].
type Env struct {
	// Trigger is the object the run is about, with its relations (account, inquiries...).
	Trigger map[string]any `expr:"trigger"`
	// Steps maps each finished step's id to its output.
	Steps map[string]any `expr:"steps"`
	// Input is an API or case-action trigger's input.
	Input map[string]any `expr:"input"`
	// Event is the event being matched: the trigger's event, or the event a wait receives.
	Event map[string]any `expr:"event"`
	Now   time.Time      `expr:"now"`
}

// MaxNodes bounds an expression's size; MaxMemory bounds what one evaluation may allocate
// (expr's memory budget), so that no expression can stall a worker.
const (
	MaxNodes  = 500
	MaxMemory = 100_000
)

// Expr is a compiled expression.
type Expr struct {
	Source  string
	program *vm.Program
}

// programs caches compiled expressions by kind and source: published versions never
// change, so each source compiles once per process.
var programs sync.Map

type programKey struct {
	src  string
	bool bool
}

// Compile parses and checks a boolean condition: syntax, unknown variables and
// functions, the types of function arguments, and that the result can be a boolean.
func Compile(src string) (*Expr, error) { return compile(src, true) }

// CompileValue parses and checks an expression of any type (an action parameter).
func CompileValue(src string) (*Expr, error) { return compile(src, false) }

func compile(src string, asBool bool) (*Expr, error) {
	if src == "" {
		return nil, errors.New("empty expression")
	}
	key := programKey{src, asBool}
	if p, ok := programs.Load(key); ok {
		return &Expr{Source: src, program: p.(*vm.Program)}, nil
	}
	opts := append(functions(), expr.Env(Env{}), expr.MaxNodes(MaxNodes))
	if asBool {
		opts = append(opts, expr.AsBool())
	}
	p, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	programs.Store(key, p)
	return &Expr{Source: src, program: p}, nil
}

// Eval evaluates the expression against env.
func (x *Expr) Eval(env Env) (any, error) {
	v := vm.VM{}
	v.MemoryBudget = MaxMemory
	out, err := v.Run(x.program, env)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %w", x.Source, err)
	}
	return out, nil
}

// Holds evaluates a condition. Errors at run time (comparing a string with a number)
// are returned, not taken as false; a result that is not a boolean is an error.
func (x *Expr) Holds(env Env) (bool, error) {
	out, err := x.Eval(env)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("condition %q: result is %T, not a boolean", x.Source, out)
	}
	return b, nil
}

// functions are the helpers expressions may call besides expr's built-ins.
func functions() []expr.Option {
	return []expr.Option{
		// age(birthdate) is the number of whole years since a date (2006-01-02), today.
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
