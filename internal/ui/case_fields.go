package ui

import (
	"bytes"
	"cmp"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/docket-hq/docket"
)

// fieldView is one input built from a field schema: a field of the case's template, or
// an input of a case action. Each type gets the input that suits it; the store's
// validation (docket.ValidateFields) stays the judge, and its message shows beside the
// input.
type fieldView struct {
	Label    string
	Type     string
	Required bool
	// Name is the input's name in its form ("fields.amount", "input.reason"); Key is its
	// key in View.Form and View.Errors, unique on the page; ID is the element id.
	Name, Key, ID string
	// Kind is the input to show: text, number, select, textarea, date or bool.
	Kind string
	// Value is what the input holds (what the user typed, after a refusal); Was is the
	// stored value as the form showed it, so that only changed fields are saved.
	Value, Was string
	// Display is the stored value for reading ("" when not set).
	Display  string
	Options  []string
	Step     string
	Min, Max string
	MaxLen   int
	Error    string
	Editable bool
}

// fieldViews builds the inputs of a case's fields, in the template's order, then any
// value the template no longer declares (read-only). A field the template lets only
// other roles edit is shown read-only to p.
func fieldViews(t *docket.CaseTemplate, c *docket.Case, v *View, editable bool, p docket.Principal) []fieldView {
	var schemas []docket.FieldSchema
	if t != nil {
		schemas = t.FieldSchemas
	}
	out := schemaInputs(schemas, "fields", "", c.Fields, v, editable)
	for i, s := range schemas {
		out[i].Editable = editable && p.CanEditField(s)
	}
	for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
		if t == nil || !slices.ContainsFunc(schemas, func(s docket.FieldSchema) bool { return s.Key == k }) {
			val := formatValue(c.Fields[k])
			out = append(out, fieldView{Label: k, Type: docket.FieldJSON, Display: val, Value: val, Kind: "textarea"})
		}
	}
	return out
}

// schemaInputs builds one input per schema. path is the domain path of the values
// ("fields", "input"), scope makes their keys unique on the page (a case action's id),
// current holds the stored values.
func schemaInputs(schemas []docket.FieldSchema, path, scope string, current map[string]any, v *View, editable bool) []fieldView {
	out := make([]fieldView, 0, len(schemas))
	for _, s := range schemas {
		name := docket.FieldKey(path, s.Key)
		f := fieldView{Label: cmp.Or(s.Label, s.Key), Type: s.Type, Required: s.Required, Name: name, Key: scope + name,
			Options: s.Config.Options, Editable: editable}
		f.ID = "in-" + strings.NewReplacer(".", "-", ":", "-", "[", "-", "]", "-", `"`, "").Replace(f.Key)
		f.Was = formatValue(current[s.Key])
		f.Value, f.Display = f.Was, displayValue(s, current[s.Key])
		if typed, ok := v.Form[f.Key]; ok {
			f.Value = typed
		}
		f.Error = v.Errors[f.Key]
		setKind(&f, s)
		if f.Kind == "text" && strings.ContainsAny(f.Value, "\r\n") {
			// A text input would drop the line breaks, and saving would lose them.
			f.Kind = "textarea"
		}
		out = append(out, f)
	}
	return out
}

// setKind picks the input for a schema's type and carries its bounds over as hints.
func setKind(f *fieldView, s docket.FieldSchema) {
	c := s.Config
	switch s.Type {
	case docket.FieldInteger, docket.FieldFloat:
		f.Kind, f.Step = "number", "any"
		if s.Type == docket.FieldInteger {
			f.Step = "1"
		}
		if c.Min != nil {
			f.Min = strconv.FormatFloat(*c.Min, 'f', -1, 64)
		}
		if c.Max != nil {
			f.Max = strconv.FormatFloat(*c.Max, 'f', -1, 64)
		}
	case docket.FieldBoolean:
		f.Kind = "bool"
	case docket.FieldChoices:
		f.Kind = "select"
	case docket.FieldDate:
		f.Kind = "date"
	case docket.FieldHash, docket.FieldArray, docket.FieldJSON:
		f.Kind = "textarea"
	default:
		f.Kind = "text"
		if c.MaxLength != nil {
			f.MaxLen = *c.MaxLength
		}
	}
}

// formatValue writes a stored value as an input holds it ("" for none).
func formatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}

// displayValue writes a stored value for reading.
func displayValue(s docket.FieldSchema, v any) string {
	if b, ok := v.(bool); ok && s.Type == docket.FieldBoolean {
		if b {
			return "Yes"
		}
		return "No"
	}
	return formatValue(v)
}

// parseInput turns what a form posted for a schema into the value the store checks:
// numbers stay exact (json.Number), an empty input clears the value, and hash, array
// and json inputs must hold JSON. Anything else goes to the store as typed, so that its
// message is the one the API gives.
func parseInput(s docket.FieldSchema, raw, path string) (any, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	switch s.Type {
	case docket.FieldInteger, docket.FieldFloat:
		return json.Number(strings.TrimSpace(raw)), nil
	case docket.FieldBoolean:
		if b, err := strconv.ParseBool(raw); err == nil {
			return b, nil
		}
	case docket.FieldHash, docket.FieldArray, docket.FieldJSON:
		d := json.NewDecoder(bytes.NewReader([]byte(raw)))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil || d.More() {
			return nil, docket.Invalid(docket.FieldKey(path, s.Key), "field %q: must be valid JSON", s.Key)
		}
		return v, nil
	}
	return raw, nil
}

// readSchemaForm reads the inputs of schemas from a posted form. It returns the values
// that changed (all of them when changedOnly is false), what the user typed (keyed for
// View.Form) and the inputs' errors that the store would not see (JSON that does not
// parse), keyed for View.Errors.
func readSchemaForm(r *http.Request, schemas []docket.FieldSchema, path, scope string, changedOnly bool) (vals map[string]any, typed, errs map[string]string) {
	vals, typed, errs = map[string]any{}, map[string]string{}, map[string]string{}
	for _, s := range schemas {
		name := docket.FieldKey(path, s.Key)
		posted, ok := r.PostForm[name]
		if !ok {
			continue // declared after the form was shown
		}
		raw := posted[0]
		typed[scope+name] = raw
		// Browsers send a textarea's line breaks as CRLF.
		if changedOnly && crlf.Replace(raw) == crlf.Replace(r.PostForm.Get("was."+name)) {
			continue
		}
		v, err := parseInput(s, raw, path)
		if err != nil {
			_, msg := docket.ErrorField(err)
			errs[scope+name] = sentence(msg)
			continue
		}
		if v != nil || changedOnly {
			vals[s.Key] = v
		}
	}
	return vals, typed, errs
}

var crlf = strings.NewReplacer("\r\n", "\n")

// schemaInputNames maps the domain paths of schemas' values to their keys on the page.
func schemaInputNames(schemas []docket.FieldSchema, path, scope string) map[string]string {
	out := map[string]string{}
	for _, s := range schemas {
		name := docket.FieldKey(path, s.Key)
		out[name] = scope + name
	}
	return out
}

// caseFields serves POST /cases/{id}/fields: it saves the fields the user changed.
func (h *Handler) caseFields(w http.ResponseWriter, r *http.Request) error {
	cc, err := h.caseFor(r)
	if err != nil {
		return err
	}
	if err := cc.need(docket.PermWorkCases); err != nil {
		return err
	}
	t, err := h.store.FindTemplate(r.Context(), cc.c.TemplateID)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "the form could not be read")
	}
	patch, typed, errs := readSchemaForm(r, t.FieldSchemas, "fields", "", true)
	if err := cc.p.CheckFieldEdits(t, patch); err != nil {
		return err // the page offers no input for such a field: this form was made by hand
	}
	if len(errs) > 0 {
		return h.renderCase(w, r, cc, http.StatusUnprocessableEntity, &View{Form: typed, Errors: errs})
	}
	if len(patch) == 0 {
		return h.caseDone(w, r, cc.c.ID, "Nothing to save: no field was changed.", nil, "#fields")
	}
	if _, err := h.store.UpdateCase(r.Context(), cc.p.Actor(), cc.c.ID, docket.CaseUpdate{Fields: patch}); err != nil {
		return h.caseRefused(w, r, cc, err, "fields-form", typed, schemaInputNames(t.FieldSchemas, "fields", ""))
	}
	return h.caseDone(w, r, cc.c.ID, "Fields saved.", nil, "#fields")
}
