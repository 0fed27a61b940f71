package ui

import (
	"strconv"

	"github.com/docket-hq/docket"
)

// tmplTopInputs maps the first segment of a template's field paths to the form's input
// for the inputs that are not rows.
var tmplTopInputs = map[string]string{
	"name": "name", "key": "key", "statuses": "statuses", "field-schemas": "fields",
	"notification-policy": "notification-emails", "sla-seconds": "sla", "visible-to-roles": "visible-to-roles",
}

// tmplFieldInputs maps what a field schema's path names after its index to the row's input.
var tmplFieldInputs = map[string]string{
	"key": "key", "label": "label", "type": "type", "required": "required", "options": "options",
	"min": "min", "max": "max", "max-length": "max-length", "editable-by-roles": "editable",
}

// inputFor returns the name of the input beside which to show a message about the
// domain field path (docket.Error.Field): "statuses[2].name" is the name input of the
// form row the third status came from. "" means the form as a whole.
func (in *tmplInput) inputFor(path string) string {
	segs, ok := docket.FieldSegments(path)
	if !ok {
		return ""
	}
	switch segs[0] {
	case "statuses":
		if row, ok := rowOf(segs, in.statusRow); ok {
			return "status." + row + "." + pick(segs, 2, map[string]string{"type": "type"}, "name")
		}
	case "field-schemas":
		if row, ok := rowOf(segs, in.fieldRow); ok {
			last := ""
			if len(segs) > 2 {
				last = segs[2]
			}
			if last == "config" {
				last = pick(segs, 3, nil, "min") // "min and max apply only to integer and float fields"
			}
			return "field." + row + "." + pick([]string{last}, 0, tmplFieldInputs, "key")
		}
	case "four-eyes-statuses":
		if row, ok := rowOf(segs, in.fourEyesRow); ok {
			return "status." + row + ".four-eyes"
		}
	case "assignment-policy":
		if len(segs) > 1 && segs[1] == "user-ids" {
			return "assignment-user"
		}
		return "assignment-type"
	}
	return tmplTopInputs[segs[0]]
}

// rowOf returns the form row of the list item that segs names (segs[1] is its index in
// the template), or false when segs names the list itself.
func rowOf(segs []string, rows []int) (string, bool) {
	if len(segs) < 2 {
		return "", false
	}
	i, err := strconv.Atoi(segs[1])
	if err != nil || i < 0 || i >= len(rows) {
		return "", false
	}
	return strconv.Itoa(rows[i]), true
}

// pick returns segs[i] translated by names (as is when names is nil), or def when segs
// has no such segment or names does not know it.
func pick(segs []string, i int, names map[string]string, def string) string {
	if i >= len(segs) {
		return def
	}
	if names == nil {
		return segs[i]
	}
	if n, ok := names[segs[i]]; ok {
		return n
	}
	return def
}
