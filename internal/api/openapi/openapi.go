// Package openapi holds Docket's OpenAPI 3.1 description of its API: hand-written YAML,
// one file per resource (cases.yaml, webhooks.yaml ...) beside base.yaml, which holds the
// document's head and the components every resource shares. Document assembles them
// into one document, adding what every endpoint has in common (see addDefaults), so that
// describing a new endpoint is one entry under paths in its resource's file.
//
// The API's tests validate every request and response they make against the document,
// and fail for a route that it does not describe (internal/api/openapi_test.go).
package openapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

//go:embed *.yaml
var files embed.FS

// Document returns the assembled document, decoded; callers must not modify it.
func Document() (map[string]any, error) { return assembled() }

// JSON returns the assembled document as JSON (keys sorted, so always the same bytes).
func JSON() ([]byte, error) { return encoded() }

var assembled = sync.OnceValues(func() (map[string]any, error) { return assemble(files) })

var encoded = sync.OnceValues(func() ([]byte, error) {
	doc, err := assembled()
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(doc, "", "  ")
})

// Methods are the operations a path item may hold, in the order the reference shows them.
var Methods = []string{"get", "post", "put", "patch", "delete"}

// assemble reads base.yaml, then merges the paths and components of every other file
// into it. A path or component defined twice is an error, naming both files, so that two
// resources cannot silently replace each other's descriptions.
func assemble(fsys fs.FS) (map[string]any, error) {
	doc, err := readYAML(fsys, "base.yaml")
	if err != nil {
		return nil, err
	}
	if doc["paths"] == nil {
		doc["paths"] = map[string]any{}
	}
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	owner := map[string]string{} // "paths /api/v1/cases" -> the file that defined it
	for _, name := range names {
		if name == "base.yaml" {
			continue
		}
		part, err := readYAML(fsys, name)
		if err != nil {
			return nil, err
		}
		for _, k := range slices.Sorted(maps.Keys(part)) {
			switch k {
			case "paths":
				err = merge(doc, part, []string{"paths"}, name, owner)
			case "components":
				comps, ok := part[k].(map[string]any)
				if !ok {
					return nil, fmt.Errorf("openapi: %s: components is not a mapping", name)
				}
				for _, kind := range slices.Sorted(maps.Keys(comps)) {
					if err = merge(doc, part, []string{"components", kind}, name, owner); err != nil {
						break
					}
				}
			default:
				err = fmt.Errorf("openapi: %s: a resource file holds paths and components only, not %s", name, k)
			}
			if err != nil {
				return nil, err
			}
		}
	}
	addDefaults(doc)
	return doc, nil
}

// merge copies the entries of part at keys into doc at keys, refusing duplicates.
func merge(doc, part map[string]any, keys []string, file string, owner map[string]string) error {
	src, ok := at(part, keys).(map[string]any)
	if !ok {
		return fmt.Errorf("openapi: %s: %s is not a mapping", file, strings.Join(keys, "."))
	}
	dst := doc
	for _, k := range keys {
		next, ok := dst[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			dst[k] = next
		}
		dst = next
	}
	base := strings.Join(keys, " ")
	for k, v := range src {
		id := base + " " + k
		if _, dup := dst[k]; dup {
			prev := owner[id]
			if prev == "" {
				prev = "base.yaml"
			}
			return fmt.Errorf("openapi: %s defines %s again (%s did first)", file, id, prev)
		}
		dst[k], owner[id] = v, file
	}
	return nil
}

func at(m map[string]any, keys []string) any {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

func readYAML(fsys fs.FS, name string) (map[string]any, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("openapi: %s: %w", name, err)
	}
	if _, err := json.Marshal(doc); err != nil {
		return nil, fmt.Errorf("openapi: %s is not JSON-compatible (quote numeric keys such as status codes): %w", name, err)
	}
	return doc, nil
}

// addDefaults gives every operation under /api/v1 what all of them share, unless the
// operation says otherwise: the Key-Inflection header, Idempotency-Key on POSTs, and the
// errors any endpoint may answer (400 for a bad header or parameter, 401, 403, 429, 500;
// 404 under a path with an id; 413 and 422 where a body is read: every POST and PATCH). An operation that
// needs no key (security: []) gets none of them.
func addDefaults(doc map[string]any) {
	paths, _ := doc["paths"].(map[string]any)
	for p, item := range paths {
		pi, _ := item.(map[string]any)
		for _, m := range Methods {
			op, ok := pi[m].(map[string]any)
			if !ok || !strings.HasPrefix(p, "/api/v1/") {
				continue
			}
			if sec, ok := op["security"].([]any); ok && len(sec) == 0 {
				continue
			}
			params, _ := op["parameters"].([]any)
			params = append(params, ref("parameters", "KeyInflection"))
			if m == "post" {
				params = append(params, ref("parameters", "IdempotencyKey"))
			}
			op["parameters"] = params
			responses, _ := op["responses"].(map[string]any)
			if responses == nil {
				responses = map[string]any{}
				op["responses"] = responses
			}
			errs := map[string]string{"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden",
				"429": "RateLimited", "500": "InternalError"}
			if strings.Contains(p, "{") {
				errs["404"] = "NotFound"
			}
			if _, ok := op["requestBody"]; ok || m == "post" || m == "patch" {
				errs["413"], errs["422"] = "TooLarge", "Unprocessable"
			}
			for status, name := range errs {
				if _, ok := responses[status]; !ok {
					responses[status] = ref("responses", name)
				}
			}
		}
	}
}

func ref(kind, name string) map[string]any {
	return map[string]any{"$ref": "#/components/" + kind + "/" + name}
}

// Operation is one endpoint of the document.
type Operation struct {
	Method string // upper case, as in routes.go: "GET"
	Path   string // "/api/v1/cases/{id}"
	Op     map[string]any
}

// Operations lists the document's endpoints, by path, then in the order of Methods.
func Operations() ([]Operation, error) {
	doc, err := assembled()
	if err != nil {
		return nil, err
	}
	paths, _ := doc["paths"].(map[string]any)
	var out []Operation
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		pi, _ := paths[p].(map[string]any)
		for _, m := range Methods {
			if op, ok := pi[m].(map[string]any); ok {
				out = append(out, Operation{Method: strings.ToUpper(m), Path: p, Op: op})
			}
		}
	}
	return out, nil
}

// Pattern is the operation as a net/http pattern ("GET /api/v1/cases/{id}"), the form
// routes.go registers.
func (o Operation) Pattern() string { return o.Method + " " + path.Clean(o.Path) }
