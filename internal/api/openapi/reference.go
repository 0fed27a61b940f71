package openapi

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"slices"
	"strings"
)

// ReferenceCSS is the reference page's stylesheet, served beside it (the page's
// Content-Security-Policy allows no inline style).
//
//go:embed reference.css
var ReferenceCSS []byte

//go:embed reference.html
var referenceHTML string

var referenceTmpl = template.Must(template.New("reference").Parse(referenceHTML))

// reference is what the page shows: the document's head, its operations by tag, and its schemas.
type reference struct {
	Title, Version, Description string
	CSS, JSONURL                string
	Tags                        []refTag
	Schemas                     []refSchema
}

type refTag struct {
	Name, Description string
	Ops               []refOp
}

type refOp struct {
	Anchor, Method, Path, Summary, Description string
	Public                                     bool
	Params                                     []refParam
	Body                                       *refBody
	Responses                                  []refResponse
}

type refParam struct{ Name, In, Type, Description string }

type refBody struct{ Schema, Example string }

type refResponse struct{ Status, Description, Schema, Example string }

type refSchema struct {
	Name, Description, Example string
	Props                      []refParam
}

// ReferenceHTML renders the reference page; css and jsonURL are where the stylesheet and
// the document are served.
func ReferenceHTML(css, jsonURL string) ([]byte, error) {
	doc, err := assembled()
	if err != nil {
		return nil, err
	}
	info, _ := doc["info"].(map[string]any)
	ref := reference{Title: str(info["title"]), Version: str(info["version"]), Description: str(info["description"]),
		CSS: css, JSONURL: jsonURL}
	ops, err := Operations()
	if err != nil {
		return nil, err
	}
	byTag := map[string]*refTag{}
	for _, t := range list(doc["tags"]) {
		tm, _ := t.(map[string]any)
		ref.Tags = append(ref.Tags, refTag{Name: str(tm["name"]), Description: str(tm["description"])})
	}
	for i := range ref.Tags {
		byTag[ref.Tags[i].Name] = &ref.Tags[i]
	}
	for _, o := range ops {
		tag := "Other"
		if tags := list(o.Op["tags"]); len(tags) > 0 {
			tag = str(tags[0])
		}
		if byTag[tag] == nil {
			ref.Tags = append(ref.Tags, refTag{Name: tag})
			byTag = map[string]*refTag{}
			for i := range ref.Tags {
				byTag[ref.Tags[i].Name] = &ref.Tags[i]
			}
		}
		byTag[tag].Ops = append(byTag[tag].Ops, renderOp(doc, o))
	}
	schemas, _ := at(doc, []string{"components", "schemas"}).(map[string]any)
	for _, name := range slices.Sorted(maps.Keys(schemas)) {
		s, _ := schemas[name].(map[string]any)
		ref.Schemas = append(ref.Schemas, refSchema{Name: name, Description: str(s["description"]),
			Props: props(s), Example: example(first(list(s["examples"])))})
	}
	var buf bytes.Buffer
	if err := referenceTmpl.Execute(&buf, ref); err != nil {
		return nil, fmt.Errorf("openapi: render reference: %w", err)
	}
	return buf.Bytes(), nil
}

func renderOp(doc map[string]any, o Operation) refOp {
	op := refOp{Anchor: str(o.Op["operationId"]), Method: o.Method, Path: o.Path,
		Summary: str(o.Op["summary"]), Description: str(o.Op["description"])}
	if sec, ok := o.Op["security"].([]any); ok && len(sec) == 0 {
		op.Public = true
	}
	pathItem, _ := at(doc, []string{"paths", o.Path}).(map[string]any)
	for _, p := range append(list(pathItem["parameters"]), list(o.Op["parameters"])...) {
		pm := resolve(doc, p)
		op.Params = append(op.Params, refParam{Name: str(pm["name"]), In: str(pm["in"]),
			Type: schemaType(doc, pm["schema"]), Description: str(pm["description"])})
	}
	if rb := resolve(doc, o.Op["requestBody"]); rb != nil {
		mt := firstContent(rb)
		op.Body = &refBody{Schema: schemaName(mt["schema"]), Example: example(mt["example"])}
	}
	responses, _ := o.Op["responses"].(map[string]any)
	for _, status := range slices.Sorted(maps.Keys(responses)) {
		r := resolve(doc, responses[status])
		mt := firstContent(r)
		ex := example(mt["example"])
		if _, shared := responses[status].(map[string]any)["$ref"]; shared {
			ex = "" // a shared error: its example would repeat under every operation
		}
		op.Responses = append(op.Responses, refResponse{Status: status, Description: str(r["description"]),
			Schema: schemaName(mt["schema"]), Example: ex})
	}
	return op
}

// resolve follows a $ref to a component (one level: Docket's components refer to no
// other component at their top).
func resolve(doc map[string]any, v any) map[string]any {
	m, _ := v.(map[string]any)
	if r, ok := m["$ref"].(string); ok {
		keys := strings.Split(strings.TrimPrefix(r, "#/"), "/")
		m, _ = at(doc, keys).(map[string]any)
	}
	return m
}

func firstContent(m map[string]any) map[string]any {
	content, _ := m["content"].(map[string]any)
	for _, k := range slices.Sorted(maps.Keys(content)) {
		mt, _ := content[k].(map[string]any)
		return mt
	}
	return nil
}

// schemaName names a referenced schema, or "" for an inline one.
func schemaName(v any) string {
	m, _ := v.(map[string]any)
	r, _ := m["$ref"].(string)
	return strings.TrimPrefix(r, "#/components/schemas/")
}

func schemaType(doc map[string]any, v any) string {
	if n := schemaName(v); n != "" {
		return n
	}
	m, _ := v.(map[string]any)
	switch t := m["type"].(type) {
	case string:
		if enum := list(m["enum"]); len(enum) > 0 {
			parts := make([]string, len(enum))
			for i, e := range enum {
				parts[i] = fmt.Sprint(e)
			}
			return t + ": " + strings.Join(parts, " | ")
		}
		if t == "array" {
			return "array of " + schemaType(doc, m["items"])
		}
		return t
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i] = str(x)
		}
		return strings.Join(parts, " or ")
	}
	if c, ok := m["const"]; ok {
		return fmt.Sprintf("%q", c)
	}
	if alts := list(m["oneOf"]); len(alts) > 0 {
		parts := make([]string, len(alts))
		for i, a := range alts {
			parts[i] = schemaType(doc, a)
		}
		return strings.Join(parts, " or ")
	}
	return "any"
}

func props(s map[string]any) []refParam {
	ps, _ := s["properties"].(map[string]any)
	required := map[string]bool{}
	for _, r := range list(s["required"]) {
		required[str(r)] = true
	}
	var out []refParam
	for _, name := range slices.Sorted(maps.Keys(ps)) {
		p, _ := ps[name].(map[string]any)
		in := ""
		if required[name] {
			in = "required"
		}
		out = append(out, refParam{Name: name, In: in, Type: schemaType(nil, p), Description: str(p["description"])})
	}
	return out
}

func example(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func first(l []any) any {
	if len(l) == 0 {
		return nil
	}
	return l[0]
}
