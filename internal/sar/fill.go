// Package sar holds what Docket knows about Suspicious Activity Reports beyond storing
// them: auto-filling a draft from a case (Fill), the checks a report must pass before it
// can be approved and filed (Rules), FinCEN's code lists, and the FinCEN SAR batch XML
// file (Batch).
package sar

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// Fill drafts a report from a case: subjects from its accounts and inquiries, the
// activity's dates and amount from its transactions, categories from the transactions'
// category field through the settings' mapping. Sources says where each value came from,
// by its path in the report.
func Fill(d *docket.CaseDetail, settings *docket.SARSettings) (docket.SARReport, map[string]string) {
	f := filler{sources: map[string]string{}, settings: settings}
	f.subjects(d)
	f.activity(d.Transactions)
	f.categories(d.Transactions)
	if f.report.Subjects == nil {
		f.report.Subjects = []docket.SARSubject{}
	}
	if f.report.Activity.Categories == nil {
		f.report.Activity.Categories = []docket.SARCategory{}
	}
	return f.report, f.sources
}

type filler struct {
	report   docket.SARReport
	sources  map[string]string
	settings *docket.SARSettings
}

func (f *filler) set(path string, dst *string, v, source string) {
	if v == "" || *dst != "" {
		return
	}
	*dst = v
	f.sources[path] = source
}

// subjects makes one subject per account, completed by the inquiries made for it; an
// inquiry of no attached account is a subject of its own.
func (f *filler) subjects(d *docket.CaseDetail) {
	byAccount := map[string]int{}
	for _, a := range d.Accounts {
		i := len(f.report.Subjects)
		f.report.Subjects = append(f.report.Subjects, docket.SARSubject{Identifiers: []docket.SARIdentifier{}, AccountNumbers: []string{}})
		byAccount[a.ID] = i
		f.identity(i, "account "+a.ID, identityOf(a.Identity, a.Fields))
		if a.ReferenceID != nil {
			f.report.Subjects[i].AccountNumbers = append(f.report.Subjects[i].AccountNumbers, *a.ReferenceID)
			f.sources[docket.FieldIndex(subjectPath(i)+".account-numbers", 0)] = "account " + a.ID + " reference-id"
		}
	}
	for _, q := range d.Inquiries {
		i, ok := -1, false
		if q.AccountID != nil {
			i, ok = byAccount[*q.AccountID]
		}
		if !ok {
			i = len(f.report.Subjects)
			f.report.Subjects = append(f.report.Subjects, docket.SARSubject{Identifiers: []docket.SARIdentifier{}, AccountNumbers: []string{}})
		}
		f.identity(i, "inquiry "+q.ID, identityOf(q.Identity, q.Fields))
	}
}

func subjectPath(i int) string { return docket.FieldIndex("subjects", i) }

// identity fills subject i's empty values from one object's identity.
func (f *filler) identity(i int, object string, id identity) {
	s, p := &f.report.Subjects[i], subjectPath(i)
	for _, v := range []struct {
		key string
		dst *string
	}{{"last-name", &s.LastName}, {"first-name", &s.FirstName}, {"middle-name", &s.MiddleName}, {"birth-date", &s.BirthDate},
		{"address.street", &s.Address.Street}, {"address.city", &s.Address.City}, {"address.state", &s.Address.State},
		{"address.zip", &s.Address.ZIP}, {"address.country", &s.Address.Country}} {
		if val, ok := id.values[v.key]; ok {
			f.set(p+"."+v.key, v.dst, val.value, object+" "+val.from)
		}
	}
	for _, x := range id.ids {
		if slices.ContainsFunc(s.Identifiers, func(e docket.SARIdentifier) bool { return e.Number == x.Number }) {
			continue
		}
		f.sources[docket.FieldIndex(p+".identifiers", len(s.Identifiers))] = object + " " + x.from
		s.Identifiers = append(s.Identifiers, x.SARIdentifier)
	}
}

// activity sets the dates (earliest and latest transaction) and the total amount.
func (f *filler) activity(txns []*docket.Transaction) {
	if len(txns) == 0 {
		return
	}
	a := &f.report.Activity
	first, last := txns[0], txns[0]
	var total float64
	currencies := map[string]bool{}
	var amountFrom []string
	for _, t := range txns {
		if when(t).Before(when(first)) {
			first = t
		}
		if when(t).After(when(last)) {
			last = t
		}
		if v, ok := number(t.Fields["amount"]); ok {
			total += v
			amountFrom = append(amountFrom, t.ID)
		}
		if c, ok := t.Fields["currency"].(string); ok && c != "" {
			currencies[c] = true
		}
	}
	a.From, a.To = when(first).Format(time.DateOnly), when(last).Format(time.DateOnly)
	f.sources["activity.from"] = "transaction " + first.ID + " " + whenSource(first)
	f.sources["activity.to"] = "transaction " + last.ID + " " + whenSource(last)
	if len(amountFrom) > 0 {
		n := int64(math.Ceil(total))
		a.Amount = &n
		f.sources["activity.amount"] = fmt.Sprintf("sum of fields.amount of %d transactions (%s), rounded up to whole dollars", len(amountFrom), strings.Join(amountFrom, ", "))
	}
	if len(currencies) > 0 {
		cs := make([]string, 0, len(currencies))
		for c := range currencies {
			cs = append(cs, c)
		}
		sort.Strings(cs)
		a.Currency = strings.Join(cs, ",")
		f.sources["activity.currency"] = "fields.currency of the transactions"
	}
}

// when is the transaction's date: its "date" field (YYYY-MM-DD or RFC 3339) if it has
// one, else when it was recorded.
func when(t *docket.Transaction) time.Time {
	if s, ok := t.Fields["date"].(string); ok {
		for _, layout := range []string{time.RFC3339, time.DateOnly} {
			if d, err := time.Parse(layout, s); err == nil {
				return d.UTC()
			}
		}
	}
	return t.CreatedAt.UTC()
}

func whenSource(t *docket.Transaction) string {
	if _, ok := t.Fields["date"].(string); ok && !when(t).Equal(t.CreatedAt.UTC()) {
		return "fields.date"
	}
	return "created-at"
}

// categories maps the values of the settings' category field through the mapping.
func (f *filler) categories(txns []*docket.Transaction) {
	field := f.settings.CategoryField
	if field == "" {
		field = "rules-violated"
	}
	cats := &f.report.Activity.Categories
	for _, t := range txns {
		for _, v := range strs(t.Fields[field]) {
			for _, m := range f.settings.CategoryMap {
				if m.Value != v || slices.ContainsFunc(*cats, func(c docket.SARCategory) bool { return c.Subtype == m.Subtype }) {
					continue
				}
				f.sources[docket.FieldIndex("activity.categories", len(*cats))] = fmt.Sprintf("transaction %s fields.%s %q, mapped in the SAR settings", t.ID, field, v)
				*cats = append(*cats, docket.SARCategory{Type: m.Type, Subtype: m.Subtype})
			}
		}
	}
}

// number reads a field's number, as decoded from a JSON column (json.Number) or built in Go.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}
