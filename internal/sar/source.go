package sar

import (
	"encoding/json"
	"reflect"
	"strconv"

	"github.com/docket-hq/docket"
)

// Reconcile keeps the sources of the values an edit left as they were and drops the
// others: a value changed by hand no longer comes from where it was auto-filled.
func Reconcile(old, next docket.SARReport, sources map[string]string) map[string]string {
	before, after := flatten(old), flatten(next)
	out := make(map[string]string, len(sources))
	for path, src := range sources {
		if v, ok := after[path]; ok && reflect.DeepEqual(v, before[path]) {
			out[path] = src
		}
	}
	return out
}

// flatten maps every field path of a report to its value; a path's parent's paths are
// listed too, so a source on a whole item ("subjects[0].identifiers[0]") is kept only
// while the whole item is.
func flatten(r docket.SARReport) map[string]any {
	b, _ := json.Marshal(r)
	var v any
	_ = json.Unmarshal(b, &v)
	out := map[string]any{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		if path != "" {
			out[path] = v
		}
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(docket.FieldKey(path, k), e)
			}
		case []any:
			for i, e := range x {
				walk(path+"["+strconv.Itoa(i)+"]", e)
			}
		}
	}
	walk("", v)
	return out
}
