package docket

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzParsePredicate feeds arbitrary JSON to the search query parser. It must never
// panic, must refuse with a 422 *Error pointing into the query, and every tree it accepts
// must be one the store can compile: bounded, with known attributes and operators and
// values of the types the store expects.
func FuzzParsePredicate(f *testing.F) {
	for _, seed := range []string{
		`{"attribute":"status","operator":"eq","value":"Open"}`,
		`{"and":[{"attribute":"tag","operator":"in","value":["a","b"]},{"not":{"attribute":"resolution","operator":"eq","value":null}}]}`,
		`{"or":[{"attribute":"fields.amount","operator":"gte","value":10.5},{"attribute":"fields.ok","operator":"ne","value":true}]}`,
		`{"attribute":"created-at","operator":"lt","value":"now"}`,
		`{"attribute":"sla-expires-at","operator":"in","value":["2026-01-02T15:04:05.123+02:00","now"]}`,
		`{"attribute":"fields.","operator":"eq","value":1}`, `{"attribute":"tag","operator":"gt","value":"x"}`,
		`{"and":[]}`, `{"not":null}`, `{"and":[{}],"or":[]}`, `[]`, `"status"`, `{"attribute":"fields.x","operator":"eq","value":1e999}`,
		`{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"attribute":"name","operator":"eq","value":"x"}}}}}}}}}}`,
	} {
		f.Add([]byte(seed))
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 678999999, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var raw any
		if d.Decode(&raw) != nil {
			return
		}
		p, err := ParsePredicate(raw, now, "query")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EInvalid || !strings.HasPrefix(e.Field, "query") {
				t.Fatalf("error %v (%T) is not a 422 *Error about a field of the query", err, err)
			}
			if segs, ok := FieldSegments(e.Field); !ok || segs[0] != "query" {
				t.Fatalf("error field %q is not a field path below query", e.Field)
			}
			return
		}
		n := 0
		checkPredicate(t, p, 0, &n, now)
		if again, err := ParsePredicate(raw, now, "query"); err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("parsing twice differs: %v", err)
		}
	})
}

// checkPredicate verifies that p is a tree the store can compile.
func checkPredicate(t *testing.T, p *Predicate, depth int, n *int, now time.Time) {
	t.Helper()
	*n++
	if depth > MaxSearchDepth || *n > MaxSearchPredicates {
		t.Fatalf("tree beyond the limits: depth %d, %d predicates", depth, *n)
	}
	kinds := 0
	for _, set := range []bool{p.And != nil, p.Or != nil, p.Not != nil, p.Attribute != ""} {
		if set {
			kinds++
		}
	}
	if kinds != 1 {
		t.Fatalf("node %+v is not exactly one of and, or, not, comparison", p)
	}
	for _, c := range append(append(p.And, p.Or...), p.Not) {
		if c != nil {
			checkPredicate(t, c, depth+1, n, now)
		}
	}
	if (p.And != nil && len(p.And) == 0) || (p.Or != nil && len(p.Or) == 0) {
		t.Fatalf("empty list in %+v", p)
	}
	if p.Attribute == "" {
		return
	}
	if p.Kind() == "" || !contains(searchOps, p.Operator) {
		t.Fatalf("unknown attribute or operator in %+v", p)
	}
	if k := p.FieldKey(); k != "" && !fieldKeyRe.MatchString(k) {
		t.Fatalf("unsafe field key %q", k)
	}
	values := []any{p.Value}
	if p.Operator == OpIn {
		list, ok := p.Value.([]any)
		if !ok || len(list) == 0 || len(list) > MaxPageSize {
			t.Fatalf("in takes %T %v", p.Value, p.Value)
		}
		values = list
	}
	for _, v := range values {
		if v == nil {
			if p.Operator != OpEq && p.Operator != OpNe {
				t.Fatalf("null with %s", p.Operator)
			}
			continue
		}
		ok := false
		switch p.Kind() {
		case AttrTime:
			tm, isTime := v.(time.Time)
			ok = isTime && tm.Equal(Time(tm)) && tm.Location() == time.UTC
		case AttrText:
			_, ok = v.(string)
		case AttrTag:
			_, ok = v.(string)
			ok = ok && contains([]string{OpEq, OpNe, OpIn}, p.Operator)
		case AttrField:
			switch v.(type) {
			case string, bool, float64:
				ok = true
			}
		}
		if !ok {
			t.Fatalf("%s %s takes %T %v", p.Attribute, p.Operator, v, v)
		}
	}
}

func TestParsePredicateNow(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 678999999, time.FixedZone("x", 3600))
	p, err := ParsePredicate(map[string]any{"attribute": "created-at", "operator": "lt", "value": "now"}, now, "query")
	if err != nil || p.Value != Time(now) {
		t.Fatalf("now parsed as %v, %v; want %v", p, err, Time(now))
	}
}
