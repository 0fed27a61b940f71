package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// This file compiles the comparisons that the search index serves: field comparisons
// over case_field_values (for the keys it holds for every case), reference ids through
// the objects' reference indexes, and case names through their template key and number.

// fieldIndexes reports, for each field key the predicate compares, whether
// case_field_values holds it for every case that may have it: every template declaring
// the key marks it searchable and its backfill is done. A key no template declares is
// not indexed: only an old case of a template that dropped it can hold it.
func fieldIndexes(ctx context.Context, q querier, p *docket.Predicate) (map[string]bool, error) {
	keys := map[string]bool{}
	collectFieldKeys(p, keys)
	if len(keys) == 0 {
		return nil, nil
	}
	schemas, err := queryAll(ctx, q, `SELECT id, field_schemas FROM case_templates`, nil, func(r scanner) (struct {
		id     string
		fields []docket.FieldSchema
	}, error) {
		var x struct {
			id     string
			fields []docket.FieldSchema
		}
		var b []byte
		if err := r.Scan(&x.id, &b); err != nil {
			return x, err
		}
		return x, decodeJSON(b, &x.fields)
	})
	if err != nil {
		return nil, fmt.Errorf("read template fields: %w", err)
	}
	ready, err := queryAll(ctx, q, `SELECT template_id || ' ' || key FROM search_fields WHERE backfill_after IS NULL`, nil, scanString)
	if err != nil {
		return nil, fmt.Errorf("read search fields: %w", err)
	}
	isReady := map[string]bool{}
	for _, r := range ready {
		isReady[r] = true
	}
	declared := map[string]bool{}
	for _, t := range schemas {
		for _, f := range t.fields {
			if _, ok := keys[f.Key]; !ok {
				continue
			}
			if !declared[f.Key] {
				declared[f.Key], keys[f.Key] = true, true
			}
			keys[f.Key] = keys[f.Key] && isReady[t.id+" "+f.Key]
		}
	}
	for k := range keys {
		keys[k] = keys[k] && declared[k]
	}
	return keys, nil
}

func collectFieldKeys(p *docket.Predicate, keys map[string]bool) {
	for _, c := range append(append([]*docket.Predicate{}, p.And...), p.Or...) {
		collectFieldKeys(c, keys)
	}
	if p.Not != nil {
		collectFieldKeys(p.Not, keys)
	}
	if k := p.FieldKey(); k != "" {
		keys[k] = false
	}
}

// UnindexedSearchAttributes lists the attributes of a search that no index serves
// ("fields.<key>" whose key is not searchable on every template declaring it, or whose
// backfill is not done): such a search reads every case. The API reports them.
func (s *Store) UnindexedSearchAttributes(ctx context.Context, p *docket.Predicate) ([]string, error) {
	if p == nil {
		return nil, nil
	}
	idx, err := fieldIndexes(ctx, s.reader(), p)
	if err != nil {
		return nil, err
	}
	var out []string
	for k, ok := range idx {
		if !ok {
			out = append(out, "fields."+k)
		}
	}
	return out, nil
}

// indexedField compares a field through case_field_values. Its rows hold only non-null
// scalars, so "eq null" is the absence of a row, and a comparison matches only values of
// the same JSON type, as the JSON comparison of field does.
func (b *sqlBuilder) indexedField(p *docket.Predicate) string {
	key := p.FieldKey()
	switch {
	case p.Operator == docket.OpIn:
		list := p.Value.([]any)
		parts := make([]string, len(list))
		for i, v := range list {
			parts[i] = b.fieldRows(key, docket.OpEq, v)
		}
		return "c.id IN (" + strings.Join(parts, " UNION ALL ") + ")"
	case p.Value == nil && p.Operator == docket.OpEq:
		return "c.id NOT IN (SELECT case_id FROM case_field_values WHERE key = " + b.arg(key) + ")"
	case p.Value == nil:
		return "c.id IN (SELECT case_id FROM case_field_values WHERE key = " + b.arg(key) + ")"
	case p.Operator == docket.OpNe:
		return "c.id NOT IN (" + b.fieldRows(key, docket.OpEq, p.Value) + ")"
	}
	return "c.id IN (" + b.fieldRows(key, p.Operator, p.Value) + ")"
}

// fieldRows selects the cases whose value of key compares with v.
func (b *sqlBuilder) fieldRows(key, op string, v any) string {
	typ, num, txt, _ := fieldValue(v)
	col, val := "num", num
	if typ == "string" {
		col, val = "txt", txt
	}
	return "SELECT case_id FROM case_field_values WHERE key = " + b.arg(key) + " AND typ = '" + typ + "' AND " + col + " " + sqlOps[op] + " " + b.arg(val)
}

// reference matches the cases holding an account, inquiry or transaction with the
// reference id (case_objects_object, and the objects' reference indexes).
func (b *sqlBuilder) reference(p *docket.Predicate) string {
	values := []any{p.Value}
	if p.Operator == docket.OpIn {
		values = p.Value.([]any)
	}
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = referenceCasesSQL
		b.args = append(b.args, v, v, v)
	}
	not := ""
	if p.Operator == docket.OpNe {
		not = "NOT "
	}
	return "c.id " + not + "IN (" + strings.Join(parts, " UNION ALL ") + ")"
}

// name matches a case name (KYC-12) in any letter case through the template's key and
// the case's number (cases' UNIQUE (template_id, number)). ok is false for what is not
// a case name or not an equality; the plain column comparison serves those.
func (b *sqlBuilder) name(p *docket.Predicate) (string, bool) {
	values := []any{p.Value}
	if p.Operator == docket.OpIn {
		values = p.Value.([]any)
	}
	if p.Operator != docket.OpEq && p.Operator != docket.OpIn && p.Operator != docket.OpNe {
		return "", false
	}
	type caseName struct {
		key    string
		number int64
	}
	names := make([]caseName, len(values))
	for i, v := range values {
		str, _ := v.(string)
		key, number, ok := docket.ParseCaseName(str)
		if !ok {
			return "", false
		}
		names[i] = caseName{key, number}
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "SELECT n.id FROM cases n JOIN case_templates nt ON nt.id = n.template_id WHERE nt.key = " + b.arg(n.key) + " AND n.number = " + b.arg(n.number)
	}
	not := ""
	if p.Operator == docket.OpNe {
		not = "NOT "
	}
	return "c.id " + not + "IN (" + strings.Join(parts, " UNION ALL ") + ")", true
}

// and compiles an "and", reading the indexed range comparisons of one field (amount gte
// 10 and amount lt 20) as one range of the index rather than two half-tables.
func (b *sqlBuilder) and(ps []*docket.Predicate) string {
	type bounds struct {
		key, typ string
		ps       []*docket.Predicate
	}
	var rest []*docket.Predicate
	var ranges []*bounds
	for _, c := range ps {
		switch c.Operator {
		case docket.OpGt, docket.OpGte, docket.OpLt, docket.OpLte:
			if c.Kind() == docket.AttrField && b.indexed[c.FieldKey()] {
				typ, _, _, _ := fieldValue(c.Value)
				i := slices.IndexFunc(ranges, func(r *bounds) bool { return r.key == c.FieldKey() && r.typ == typ })
				if i < 0 {
					ranges, i = append(ranges, &bounds{key: c.FieldKey(), typ: typ}), len(ranges)
				}
				ranges[i].ps = append(ranges[i].ps, c)
				continue
			}
		}
		rest = append(rest, c)
	}
	var parts []string
	for _, c := range rest {
		parts = append(parts, "("+b.predicate(c)+")")
	}
	for _, r := range ranges {
		q := b.fieldRows(r.key, r.ps[0].Operator, r.ps[0].Value)
		for _, c := range r.ps[1:] {
			_, num, txt, _ := fieldValue(c.Value)
			col, val := "num", num
			if r.typ == "string" {
				col, val = "txt", txt
			}
			q += " AND " + col + " " + sqlOps[c.Operator] + " " + b.arg(val)
		}
		parts = append(parts, "(c.id IN ("+q+"))")
	}
	return strings.Join(parts, " AND ")
}
