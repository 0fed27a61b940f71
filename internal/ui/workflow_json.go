package ui

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/docket-hq/docket"
)

// The workflow editor is a plain textarea holding the definition as JSON. What the API
// refuses with a pointer (/data/attributes/definition/steps/2/params/status), the editor
// shows at the line of the text that the pointer names: a JSON syntax error at its byte
// offset, a value of the wrong shape at its pointer, and a refusal of the store
// (docket.Error's field path, definition.steps[2].params.status) at the key it names.

// defProblem is what is wrong with the editor's text: the message, and the line of the
// text it concerns (0 when it names none).
type defProblem struct {
	Line    int
	Message string
}

// definitionText writes a definition as the editor shows it: indented JSON in the keys
// the API uses, without HTML escapes (the template escapes).
func definitionText(d docket.WorkflowDefinition) string {
	if d.Steps == nil {
		d.Steps = []docket.WorkflowStep{}
	}
	var b bytes.Buffer
	enc := stdjson.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return "{}"
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// parseDefinition reads the editor's text. It checks the shape (JSON, known keys, the
// type of each value, the keys of each step's type) as the API does, and reads the
// values as the API does (numbers stay exact). An empty text is an empty definition.
func parseDefinition(text string) (*docket.WorkflowDefinition, *defProblem) {
	raw := []byte(text)
	if strings.TrimSpace(text) == "" {
		raw = []byte("{}")
	}
	var shape docket.WorkflowDefinition
	if err := json.Unmarshal(raw, &shape, json.RejectUnknownMembers(true)); err != nil {
		return nil, shapeProblem(text, err)
	}
	if p := stepKeyProblem(text, raw, &shape); p != nil {
		return nil, p
	}
	// The values are read again with encoding/json's numbers (json.Number), as the API
	// reads them: a parameter like 12345678901234567890 keeps its digits.
	d := stdjson.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var def docket.WorkflowDefinition
	if err := d.Decode(&def); err != nil {
		return nil, &defProblem{Message: "The definition could not be read: " + err.Error()}
	}
	return &def, nil
}

// shapeProblem explains a decoding error and finds its line.
func shapeProblem(text string, err error) *defProblem {
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		msg := "Not valid JSON: " + syn.Err.Error()
		if errors.Is(err, jsontext.ErrDuplicateName) {
			msg = fmt.Sprintf("%s is given twice", keyName(syn.JSONPointer))
		}
		return &defProblem{Line: lineAt(text, syn.ByteOffset), Message: msg}
	}
	var sem *json.SemanticError
	if !errors.As(err, &sem) {
		return &defProblem{Message: "Not valid JSON: " + err.Error()}
	}
	line := lineOf(text, sem.JSONPointer)
	if errors.Is(err, json.ErrUnknownName) {
		return &defProblem{Line: line, Message: fmt.Sprintf("Unknown key %q (allowed: %s)",
			sem.JSONPointer.LastToken(), strings.Join(jsonKeys(sem.GoType), ", "))}
	}
	return &defProblem{Line: line, Message: fmt.Sprintf("%s must be %s", sentence(keyName(sem.JSONPointer)), kindOf(sem.GoType))}
}

// stepKeyProblem refuses a key of another type's step (a condition on an action step),
// as the API does: it would mean nothing there, and dropping it silently would surprise.
func stepKeyProblem(text string, raw []byte, def *docket.WorkflowDefinition) *defProblem {
	var keys struct {
		Steps []map[string]jsontext.Value `json:"steps"`
	}
	if err := json.Unmarshal(raw, &keys); err != nil {
		return shapeProblem(text, err)
	}
	for i, step := range keys.Steps {
		allowed := docket.StepKeys(def.Steps[i].Type)
		for _, k := range slices.Sorted(maps.Keys(step)) {
			if !slices.Contains(allowed, k) {
				ptr := jsontext.Pointer("").AppendToken("steps").AppendToken(fmt.Sprint(i)).AppendToken(k)
				return &defProblem{Line: lineOf(text, ptr), Message: fmt.Sprintf("Unknown key %q (allowed: %s)", k, strings.Join(allowed, ", "))}
			}
		}
	}
	return nil
}

// keyName names the value a pointer points at, for a message: its key, or "the
// definition" for the whole text.
func keyName(p jsontext.Pointer) string {
	if p == "" {
		return "the definition"
	}
	return fmt.Sprintf("%q", p.LastToken())
}

// kindOf says in words what a Go type takes in JSON.
func kindOf(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "another kind of value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another kind of value"
}

// jsonKeys lists the JSON keys of a struct type, for "allowed: ..." in a message.
func jsonKeys(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// fieldLine finds the line of the editor's text that a domain field path names
// (definition.steps[2].params.status): the line where that key is written, or, if the
// text does not hold it (a required parameter left out), where the nearest enclosing
// value starts. It returns 0 for a path outside the definition.
func fieldLine(text, field string) int {
	segs, ok := docket.FieldSegments(field)
	if !ok || len(segs) == 0 || segs[0] != "definition" {
		return 0
	}
	var p jsontext.Pointer
	for _, s := range segs[1:] {
		p = p.AppendToken(s)
	}
	return lineOf(text, p)
}

// lineOf returns the line where the value at pointer target is named (its key, or the
// start of a list item), or the line of the deepest enclosing value the text holds. It
// reads the text token by token: jsontext.Decoder knows the pointer of each token.
func lineOf(text string, target jsontext.Pointer) int {
	want := slices.Collect(target.Tokens())
	d := jsontext.NewDecoder(strings.NewReader(text))
	best, bestOff := -1, int64(0)
	for {
		before := d.InputOffset()
		if _, err := d.ReadToken(); err != nil {
			break
		}
		got := slices.Collect(d.StackPointer().Tokens())
		if len(got) > best && len(got) <= len(want) && slices.Equal(got, want[:len(got)]) {
			best, bestOff = len(got), tokenStart(text, before)
			if best == len(want) {
				break
			}
		}
	}
	if best < 0 {
		return 1
	}
	return lineAt(text, bestOff)
}

// tokenStart skips the white space and separators between the end of one token and the
// start of the next.
func tokenStart(text string, off int64) int64 {
	for off < int64(len(text)) && strings.IndexByte(" \t\r\n,:", text[off]) >= 0 {
		off++
	}
	return off
}

// lineAt returns the line (from 1) that holds byte offset off.
func lineAt(text string, off int64) int {
	off = min(max(off, 0), int64(len(text)))
	return 1 + strings.Count(text[:off], "\n")
}
