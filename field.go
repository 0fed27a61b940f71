package docket

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Field types shared by case templates and transaction types.
const (
	FieldString   = "string"
	FieldInteger  = "integer"
	FieldFloat    = "float"
	FieldBoolean  = "boolean"
	FieldDate     = "date"
	FieldDatetime = "datetime"
	FieldChoices  = "choices"
	FieldHash     = "hash"
	FieldArray    = "array"
	FieldJSON     = "json"
)

var fieldTypes = []string{FieldString, FieldInteger, FieldFloat, FieldBoolean, FieldDate, FieldDatetime, FieldChoices, FieldHash, FieldArray, FieldJSON}

// FieldConfig bounds a field's values. Which bounds apply depends on the type.
type FieldConfig struct {
	Options   []string `json:"options,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	MaxLength *int     `json:"max-length,omitempty"`
}

// FieldSchema declares one typed field of a case template or transaction type.
type FieldSchema struct {
	Key      string      `json:"key"`
	Type     string      `json:"type"`
	Label    string      `json:"label"`
	Required bool        `json:"required"`
	Config   FieldConfig `json:"config"`
	// EditableByRoles, on a case template's field, lists the roles whose people may change
	// the field once the case exists (Principal.CanEditField); empty means every role that
	// works cases. Other schemas (transaction types, workflow inputs) do not take it.
	EditableByRoles []string `json:"editable-by-roles,omitempty"`
	// Searchable, on a case template's scalar field, has the store keep the field's values
	// in an index, so that a search on fields.<key> seeks instead of reading every case
	// (docs/decisions.md "Search"). Setting it on a template with cases starts a
	// background backfill; until it ends, searches on the key still work, unindexed.
	Searchable bool `json:"searchable,omitempty"`
}

// searchableTypes are the field types whose values the search index can hold: scalars.
var searchableTypes = []string{FieldString, FieldInteger, FieldFloat, FieldBoolean, FieldDate, FieldDatetime, FieldChoices}

// Field keys are used as JSON object keys and in search expressions (fields.amount),
// so they are restricted to a safe alphabet.
var fieldKeyRe = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_-]{0,63}$`)

// MaxStringField bounds any string field without its own max-length.
const MaxStringField = 65536

// ValidateFieldSchemas checks a list of field schemas; field is the list's path (see Error).
// Only a case template's fields may say who edits them (see CaseTemplate.Validate).
func ValidateFieldSchemas(schemas []FieldSchema, field string) error {
	for i, f := range schemas {
		if len(f.EditableByRoles) > 0 {
			return Invalid(FieldIndex(field, i)+".editable-by-roles", "editable-by-roles applies only to the fields of case templates")
		}
		if f.Searchable {
			return Invalid(FieldIndex(field, i)+".searchable", "searchable applies only to the fields of case templates")
		}
	}
	return validateFieldSchemas(schemas, field)
}

func validateFieldSchemas(schemas []FieldSchema, field string) error {
	seen := map[string]bool{}
	for i, f := range schemas {
		p := FieldIndex(field, i)
		if !fieldKeyRe.MatchString(f.Key) {
			return Invalid(p+".key", "field key must start with a letter and hold at most 64 letters, digits, - or _")
		}
		if seen[f.Key] {
			return Invalid(p+".key", "field %q is declared twice", f.Key)
		}
		seen[f.Key] = true
		if !contains(fieldTypes, f.Type) {
			return Invalid(p+".type", "unknown field type %q (one of %s)", f.Type, strings.Join(fieldTypes, ", "))
		}
		if f.Searchable && !contains(searchableTypes, f.Type) {
			return Invalid(p+".searchable", "only fields of type %s can be searchable", strings.Join(searchableTypes, ", "))
		}
		if err := validateFieldConfig(f, p+".config"); err != nil {
			return err
		}
		for j, r := range f.EditableByRoles {
			if !contains(Roles, r) || contains(f.EditableByRoles[:j], r) {
				return Invalid(FieldIndex(p+".editable-by-roles", j), "%q is not a role or appears twice (roles: %s)", r, strings.Join(Roles, ", "))
			}
		}
	}
	return nil
}

func validateFieldConfig(f FieldSchema, p string) error {
	c := f.Config
	if f.Type == FieldChoices {
		if len(c.Options) == 0 {
			return Invalid(p+".options", "a choices field needs at least one option")
		}
		seen := map[string]bool{}
		for i, o := range c.Options {
			if o == "" || seen[o] {
				return Invalid(FieldIndex(p+".options", i), "options must be non-empty and distinct")
			}
			seen[o] = true
		}
	} else if len(c.Options) > 0 {
		return Invalid(p+".options", "options apply only to choices fields")
	}
	numeric := f.Type == FieldInteger || f.Type == FieldFloat
	if (c.Min != nil || c.Max != nil) && !numeric {
		return Invalid(p, "min and max apply only to integer and float fields")
	}
	if c.Min != nil && c.Max != nil && *c.Min > *c.Max {
		return Invalid(p+".min", "min must not exceed max")
	}
	if c.MaxLength != nil {
		if f.Type != FieldString {
			return Invalid(p+".max-length", "max-length applies only to string fields")
		}
		if *c.MaxLength < 1 || *c.MaxLength > MaxStringField {
			return Invalid(p+".max-length", "max-length must be between 1 and %d", MaxStringField)
		}
	}
	return nil
}

// ValidateFields checks values against schemas and returns them normalised (integers as
// int64, floats as float64, dates and datetimes in canonical form). Keys without a schema
// are refused: a template's fields are its contract. With partial set (a PATCH), required
// fields may be absent but not set to null. field is the path of the values (see Error).
func ValidateFields(schemas []FieldSchema, values map[string]any, partial bool, field string) (map[string]any, error) {
	out := make(map[string]any, len(values))
	byKey := make(map[string]FieldSchema, len(schemas))
	for _, s := range schemas {
		byKey[s.Key] = s
	}
	for k, v := range values {
		s, ok := byKey[k]
		if !ok {
			return nil, Invalid(FieldKey(field, k), "unknown field %q: the schema declares no such field", k)
		}
		if v == nil {
			if s.Required {
				return nil, Invalid(FieldKey(field, k), "field %q is required and cannot be null", k)
			}
			out[k] = nil
			continue
		}
		nv, err := validateValue(s, v)
		if err != nil {
			return nil, Invalid(FieldKey(field, k), "field %q: %s", k, err.Error())
		}
		out[k] = nv
	}
	if !partial {
		for _, s := range schemas {
			if _, ok := out[s.Key]; s.Required && !ok {
				return nil, Invalid(FieldKey(field, s.Key), "field %q is required", s.Key)
			}
		}
	}
	return out, nil
}

func validateValue(s FieldSchema, v any) (any, error) {
	switch s.Type {
	case FieldString:
		str, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("must be a string")
		}
		limit := MaxStringField
		if s.Config.MaxLength != nil {
			limit = *s.Config.MaxLength
		}
		if utf8.RuneCountInString(str) > limit {
			return nil, fmt.Errorf("must be at most %d characters", limit)
		}
		return str, nil
	case FieldInteger, FieldFloat:
		return validateNumber(s, v)
	case FieldBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("must be true or false")
	case FieldDate:
		str, ok := v.(string)
		if t, err := time.Parse(time.DateOnly, str); ok && err == nil {
			return t.Format(time.DateOnly), nil
		}
		return nil, fmt.Errorf("must be a date like 2006-01-02")
	case FieldDatetime:
		str, ok := v.(string)
		if t, err := time.Parse(time.RFC3339Nano, str); ok && err == nil {
			return Time(t).Format(TimeFormat), nil
		}
		return nil, fmt.Errorf("must be an RFC 3339 datetime like 2006-01-02T15:04:05Z")
	case FieldChoices:
		str, ok := v.(string)
		if ok && contains(s.Config.Options, str) {
			return str, nil
		}
		return nil, fmt.Errorf("must be one of %s", strings.Join(s.Config.Options, ", "))
	case FieldHash:
		if m, ok := v.(map[string]any); ok {
			return m, nil
		}
		return nil, fmt.Errorf("must be an object")
	case FieldArray:
		if a, ok := v.([]any); ok {
			return a, nil
		}
		return nil, fmt.Errorf("must be an array")
	default: // json: anything that decoded
		return v, nil
	}
}

func validateNumber(s FieldSchema, v any) (any, error) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		x, err := n.Float64()
		if err != nil {
			return nil, fmt.Errorf("must be a number")
		}
		f = x
	case float64:
		f = n
	case int64:
		f = float64(n)
	case int:
		f = float64(n)
	default:
		return nil, fmt.Errorf("must be a number")
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("must be a finite number")
	}
	if s.Config.Min != nil && f < *s.Config.Min {
		return nil, fmt.Errorf("must be at least %v", *s.Config.Min)
	}
	if s.Config.Max != nil && f > *s.Config.Max {
		return nil, fmt.Errorf("must be at most %v", *s.Config.Max)
	}
	if s.Type == FieldInteger {
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, fmt.Errorf("must be a whole number")
		}
		return int64(f), nil
	}
	return f, nil
}

// TimeFormat is how every timestamp is shown: RFC 3339, UTC, milliseconds.
const TimeFormat = "2006-01-02T15:04:05.000Z"
