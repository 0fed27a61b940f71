package docket

import (
	"encoding/json"
	"strings"
	"time"
)

// Search operators. eq with a null value matches a missing value.
const (
	OpEq  = "eq"
	OpNe  = "ne"
	OpGt  = "gt"
	OpGte = "gte"
	OpLt  = "lt"
	OpLte = "lte"
	OpIn  = "in"
)

var searchOps = []string{OpEq, OpNe, OpGt, OpGte, OpLt, OpLte, OpIn}

// Searchable attribute kinds.
const (
	AttrText  = "text"
	AttrTime  = "time"
	AttrTag   = "tag"
	AttrField = "field"
	// AttrReference is "reference-id": the reference id of an account, inquiry or
	// transaction attached to the case.
	AttrReference = "reference"
)

// SearchAttributes lists the case attributes a search may test, with their kind.
var SearchAttributes = map[string]string{
	"status":           AttrText,
	"resolution":       AttrText,
	"name":             AttrText,
	"case-template-id": AttrText,
	"assignee-id":      AttrText,
	"case-queue-id":    AttrText,
	"tag":              AttrTag,
	"reference-id":     AttrReference,
	"created-at":       AttrTime,
	"updated-at":       AttrTime,
	"assigned-at":      AttrTime,
	"resolved-at":      AttrTime,
	"sla-expires-at":   AttrTime,
}

// Limits that keep one search from costing more than a page of work.
const (
	MaxSearchDepth      = 8
	MaxSearchPredicates = 64
)

// Predicate is one node of a search: exactly one of And, Or, Not, or a comparison.
type Predicate struct {
	And       []*Predicate
	Or        []*Predicate
	Not       *Predicate
	Attribute string // "status", "created-at", "fields.amount", ...
	Operator  string
	Value     any // string, float64, bool, nil, time.Time, or []any for "in"
}

// FieldKey returns the field key of a "fields.<key>" attribute, or "".
func (p *Predicate) FieldKey() string {
	if k, ok := strings.CutPrefix(p.Attribute, "fields."); ok {
		return k
	}
	return ""
}

// Kind returns the attribute's kind (text, time, tag or field).
func (p *Predicate) Kind() string {
	if p.FieldKey() != "" {
		return AttrField
	}
	return SearchAttributes[p.Attribute]
}

// SearchSortRank orders a free-text search's results best match first.
const SearchSortRank = "rank"

// SearchSort orders search results; the default is newest first, and a free-text
// search's is by rank.
type SearchSort struct {
	Attribute string // "created-at", "updated-at", or SearchSortRank with a Text
	Desc      bool
}

// SearchQuery is a parsed POST /cases/search body.
type SearchQuery struct {
	Where *Predicate
	Sort  SearchSort
	// Text, when not empty, keeps the cases whose words match it (SearchWords: every
	// word, as a word or the start of one) and orders them by rank unless Sort is set.
	Text string
	// Visibility leaves out the cases the reader may not see (Principal.Visibility).
	Visibility Visibility
	Page       Page
}

// ParsePredicate turns the decoded JSON of a search query into a checked predicate tree.
// now resolves the value "now" of time attributes. field is the path of raw (see Error).
func ParsePredicate(raw any, now time.Time, field string) (*Predicate, error) {
	n := 0
	return parsePredicate(raw, now, field, 0, &n)
}

func parsePredicate(raw any, now time.Time, field string, depth int, n *int) (*Predicate, error) {
	*n++
	if depth > MaxSearchDepth || *n > MaxSearchPredicates {
		return nil, Invalid(field, "query too complex: at most %d levels and %d predicates", MaxSearchDepth, MaxSearchPredicates)
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, Invalid(field, "a query must be an object")
	}
	for _, k := range []string{"and", "or"} {
		if v, ok := m[k]; ok {
			if len(m) != 1 {
				return nil, Invalid(field, "%q must be the only key of its object", k)
			}
			list, ok := v.([]any)
			if !ok || len(list) == 0 {
				return nil, Invalid(FieldKey(field, k), "%q takes a non-empty list of queries", k)
			}
			p := &Predicate{}
			for i, item := range list {
				c, err := parsePredicate(item, now, FieldIndex(FieldKey(field, k), i), depth+1, n)
				if err != nil {
					return nil, err
				}
				if k == "and" {
					p.And = append(p.And, c)
				} else {
					p.Or = append(p.Or, c)
				}
			}
			return p, nil
		}
	}
	if v, ok := m["not"]; ok {
		if len(m) != 1 {
			return nil, Invalid(field, `"not" must be the only key of its object`)
		}
		c, err := parsePredicate(v, now, FieldKey(field, "not"), depth+1, n)
		if err != nil {
			return nil, err
		}
		return &Predicate{Not: c}, nil
	}
	return parseComparison(m, now, field)
}

func parseComparison(m map[string]any, now time.Time, field string) (*Predicate, error) {
	attr, _ := m["attribute"].(string)
	op, _ := m["operator"].(string)
	p := &Predicate{Attribute: attr, Operator: op}
	if p.Kind() == "" {
		return nil, Invalid(FieldKey(field, "attribute"), "unknown attribute %q: use and, or, not, or one of status, resolution, name, case-template-id, assignee-id, case-queue-id, tag, reference-id, created-at, updated-at, assigned-at, resolved-at, sla-expires-at, fields.<key>", attr)
	}
	if k := p.FieldKey(); k != "" && !fieldKeyRe.MatchString(k) {
		return nil, Invalid(FieldKey(field, "attribute"), "invalid field key %q", k)
	}
	if !contains(searchOps, op) {
		return nil, Invalid(FieldKey(field, "operator"), "operator must be one of %s", strings.Join(searchOps, ", "))
	}
	for k := range m {
		if k != "attribute" && k != "operator" && k != "value" {
			return nil, Invalid(FieldKey(field, k), "unexpected key %q", k)
		}
	}
	v, err := searchValue(p, m["value"], now, FieldKey(field, "value"))
	if err != nil {
		return nil, err
	}
	p.Value = v
	return p, nil
}

func searchValue(p *Predicate, raw any, now time.Time, field string) (any, error) {
	if p.Operator == OpIn {
		list, ok := raw.([]any)
		if !ok || len(list) == 0 || len(list) > MaxPageSize {
			return nil, Invalid(field, `"in" takes a list of 1 to %d values`, MaxPageSize)
		}
		out := make([]any, len(list))
		for i, item := range list {
			v, err := scalarValue(p, item, now, FieldIndex(field, i))
			if err != nil {
				return nil, err
			}
			if v == nil {
				return nil, Invalid(FieldIndex(field, i), "null is not allowed in a list")
			}
			out[i] = v
		}
		return out, nil
	}
	v, err := scalarValue(p, raw, now, field)
	if err != nil {
		return nil, err
	}
	if v == nil && p.Kind() == AttrReference {
		return nil, Invalid(field, "reference-id takes a string")
	}
	if v == nil && p.Operator != OpEq && p.Operator != OpNe {
		return nil, Invalid(field, "null can only be compared with eq or ne")
	}
	return v, nil
}

func scalarValue(p *Predicate, raw any, now time.Time, field string) (any, error) {
	if raw == nil {
		return nil, nil
	}
	switch p.Kind() {
	case AttrTime:
		s, ok := raw.(string)
		if ok && s == "now" {
			return Time(now), nil
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil {
			return nil, Invalid(field, "%s takes an RFC 3339 time or \"now\"", p.Attribute)
		}
		return Time(t), nil
	case AttrText, AttrTag, AttrReference:
		s, ok := raw.(string)
		if !ok {
			return nil, Invalid(field, "%s takes a string", p.Attribute)
		}
		if p.Kind() != AttrText && p.Operator != OpEq && p.Operator != OpNe && p.Operator != OpIn {
			return nil, Invalid(field, "%s supports eq, ne and in", p.Attribute)
		}
		return s, nil
	default:
		switch v := raw.(type) {
		case string, bool, float64:
			return v, nil
		case json.Number:
			f, err := v.Float64()
			if err != nil {
				return nil, Invalid(field, "not a number")
			}
			return f, nil
		}
		return nil, Invalid(field, "a field can be compared with a string, number, boolean or null")
	}
}
