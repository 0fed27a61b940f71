package ui

import (
	"strings"
	"testing"
)

// editorText is a definition as an admin might type it, one key a line where it matters.
const editorText = `{
  "trigger": {"type": "api"},
  "steps": [
    {
      "id": "tag",
      "type": "action",
      "action": "tag-object",
      "params": {
        "tags": ["x"],
        "a.b": 1
      }
    },
    {"id": "wait", "type": "wait",
     "timeout": "7d"}
  ]
}`

// TestFieldLine: a field path names the line of its key, or of the nearest enclosing
// value the text holds.
func TestFieldLine(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		field string
		line  int
	}{
		{"definition", 1},
		{"definition.trigger", 2},
		{"definition.trigger.type", 2},
		{"definition.trigger.input-schema[0].key", 2},
		{"definition.steps", 3},
		{"definition.steps[0]", 4},
		{"definition.steps[0].action", 7},
		{"definition.steps[0].params.tags", 9},
		{"definition.steps[0].params.tags[0]", 9},
		{`definition.steps[0].params["a.b"]`, 10},
		{"definition.steps[0].params.status", 8},
		{"definition.steps[1].timeout", 14},
		{"definition.steps[1].event", 13},
		{"definition.steps[7].id", 3},
		{"name", 0},
		{"definition[", 0},
	} {
		if got := fieldLine(editorText, tt.field); got != tt.line {
			t.Errorf("fieldLine(%q) = %d, want %d", tt.field, got, tt.line)
		}
	}
}

// TestParseDefinition: what the editor refuses before the store sees it, at its line.
func TestParseDefinition(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"trailing comma", "{\n  \"steps\": [\n    {\"id\": \"a\",}\n  ]\n}", 3, "Not valid JSON: invalid character ','"},
		{"cut short", "{\n  \"steps\": [\n", 3, "Not valid JSON: unexpected EOF"},
		{"garbage after", "{}\nx", 2, "Not valid JSON: invalid character 'x' after top-level value"},
		{"duplicate key", "{\n \"steps\": [],\n \"steps\": []\n}", 3, `"steps" is given twice`},
		{"unknown key", "{\n \"trigger\": {\"type\": \"api\",\n  \"when\": \"now\"}\n}", 3, `Unknown key "when" (allowed: type, event, condition, input-schema, schedule, case-template-ids)`},
		{"wrong type", "{\"steps\": [\n {\"id\": 5}\n]}", 2, `"id" must be a string`},
		{"params a list", "{\"steps\": [\n {\"id\": \"a\",\n  \"params\": []}]}", 3, `"params" must be an object`},
		{"not an object", "[]", 1, "The definition must be an object"},
		{"key of another step type", "{\"steps\": [\n {\"id\": \"a\", \"type\": \"action\",\n  \"routes\": []}]}", 3,
			`Unknown key "routes" (allowed: id, type, next, action, params)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, p := parseDefinition(tt.text)
			if p == nil {
				t.Fatal("accepted")
			}
			if p.Line != tt.line || !strings.HasPrefix(p.Message, tt.msg) {
				t.Errorf("got line %d %q, want line %d %q", p.Line, p.Message, tt.line, tt.msg)
			}
		})
	}
	def, p := parseDefinition(editorText)
	if p != nil {
		t.Fatalf("refused: %+v", p)
	}
	if n := def.Steps[0].Params["a.b"]; n == nil || n.(interface{ String() string }).String() != "1" {
		t.Errorf("number parameter read as %#v, want json.Number 1", n)
	}
	if def, p := parseDefinition("  "); p != nil || len(def.Steps) != 0 {
		t.Errorf("empty text: %+v %+v", def, p)
	}
}
