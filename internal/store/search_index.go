package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// This file keeps the search index in step with the cases (migration 00024): the free-text
// document of each case (case_text) and the typed values of its searchable fields
// (case_field_values). Both are rebuilt for every case a transaction changed, just before
// it commits, so that a search finds a case the moment its write is acknowledged.
// Which cases changed is read from the events the transaction records: every change to
// what the index holds records one.

// searchEvents are the case events after which a case's entries are rebuilt: the others
// (status, assignee, queue, SLA) change nothing the index holds.
var searchEvents = map[string]bool{
	docket.EventCaseCreated: true, docket.EventCaseUpdatedFields: true, docket.EventCaseUpdatedTags: true,
	docket.EventCaseUpdatedObjects: true, docket.EventCaseRedacted: true,
}

// searchWork is what a transaction must bring into the index before it commits.
type searchWork struct {
	// created are new cases as the events carry them: their entries are written from
	// these values, without reading the case back, unless something else changed them
	// in the same transaction (cases).
	created   []*docket.Case
	cases     []string
	accounts  []string
	templates []*docket.CaseTemplate
}

// noteSearch records which cases, accounts and templates the events changed.
func (t *Tx) noteSearch(events []*docket.Event) {
	if t.s.searchOff.Load() {
		return
	}
	w := &t.search
	for _, e := range events {
		switch {
		case e.Name == docket.EventCaseCreated:
			if c, ok := e.Data.(*docket.Case); ok {
				w.created = append(w.created, c)
			} else {
				w.cases = append(w.cases, e.ObjectID)
			}
		case e.ObjectType == "case" && searchEvents[e.Name]:
			w.cases = append(w.cases, e.ObjectID)
		case e.Name == docket.EventCommentCreated:
			if cm, ok := e.Data.(*docket.Comment); ok {
				w.cases = append(w.cases, cm.CaseID)
			}
		case e.Name == docket.EventAccountUpdated || e.Name == docket.EventAccountRedacted:
			w.accounts = append(w.accounts, e.ObjectID)
		case e.Name == docket.EventTemplateCreated || e.Name == docket.EventTemplateUpdated:
			if tm, ok := e.Data.(*docket.CaseTemplate); ok {
				w.templates = append(w.templates, tm)
			}
		}
	}
}

// flushSearch brings the index up to date with the transaction's changes: templates
// first (which fields are searchable), then the cases.
func (t *Tx) flushSearch(ctx context.Context) error {
	w := t.search
	t.search = searchWork{}
	for _, tm := range w.templates {
		if err := syncSearchFields(ctx, t, tm); err != nil {
			return err
		}
	}
	ids := w.cases
	if len(w.accounts) > 0 {
		more, err := queryAll(ctx, t.reader(), `SELECT case_id FROM case_objects WHERE object_id IN (`+placeholders(len(w.accounts))+`)`,
			anys(w.accounts), scanString)
		if err != nil {
			return fmt.Errorf("cases of changed accounts: %w", err)
		}
		ids = append(ids, more...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var fresh []*docket.Case
	for _, c := range w.created {
		if _, found := slices.BinarySearch(ids, c.ID); !found {
			fresh = append(fresh, c)
		}
	}
	if err := indexNewCases(ctx, t, fresh); err != nil {
		return err
	}
	return reindexCases(ctx, t, ids)
}

// indexNewCases writes the entries of cases just created, from their values: a new case
// has no comments yet, and no entries to replace.
func indexNewCases(ctx context.Context, tx *Tx, cases []*docket.Case) error {
	for len(cases) > 0 {
		chunk := cases[:min(len(cases), 400)]
		cases = cases[len(chunk):]
		docs := make([]*caseDoc, len(chunk))
		byID := make(map[string]*caseDoc, len(chunk))
		var accounts []string
		for i, c := range chunk {
			d := &caseDoc{id: c.ID, templateID: c.TemplateID, fields: c.Fields, words: docket.SearchWords(c.Name)}
			d.words = append(d.words, fieldWords(c.Fields)...)
			for _, tag := range c.Tags {
				d.words = append(d.words, docket.SearchWords(tag)...)
			}
			for _, id := range c.ObjectIDs {
				if docket.IDPrefix(id) == docket.PrefixAccount {
					accounts = append(accounts, id)
				}
			}
			docs[i], byID[c.ID] = d, d
		}
		if len(accounts) > 0 {
			got, err := queryAll(ctx, tx.reader(), `SELECT co.case_id, COALESCE(a.reference_id, ''), a.fields FROM case_objects co
				JOIN accounts a ON a.id = co.object_id WHERE co.case_id IN (`+placeholders(len(chunk))+`)`, caseIDs(chunk), scanTriple)
			if err != nil {
				return fmt.Errorf("read accounts to index: %w", err)
			}
			for _, p := range got {
				d := byID[p[0]]
				d.words = append(d.words, docket.SearchWords(p[1])...)
				d.words = append(d.words, accountNameWords(p[2])...)
			}
		}
		if err := writeFieldValues(ctx, tx, nil, docs); err != nil {
			return err
		}
		if err := writeCaseText(ctx, tx, docs, true); err != nil {
			return err
		}
	}
	return nil
}

func caseIDs(cases []*docket.Case) []any {
	ids := make([]any, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	return ids
}

func scanTriple(r scanner) ([3]string, error) {
	var p [3]string
	return p, r.Scan(&p[0], &p[1], &p[2])
}

// fieldWords returns the words of the string values of fields, in key order.
func fieldWords(fields map[string]any) []string {
	var words []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if s, ok := fields[k].(string); ok {
			words = append(words, docket.SearchWords(s)...)
		}
	}
	return words
}

func scanString(r scanner) (string, error) {
	var s string
	return s, r.Scan(&s)
}

// syncSearchFields makes search_fields match the template's searchable fields. A field
// newly searchable on a template with cases starts unready, its backfill at case number
// 0 (BackfillSearchFields fills the older cases in the background; new writes index it
// at once). A field no longer searchable loses its row and its values.
func syncSearchFields(ctx context.Context, tx *Tx, tm *docket.CaseTemplate) error {
	have, err := queryAll(ctx, tx.reader(), `SELECT key FROM search_fields WHERE template_id = ?`, []any{tm.ID}, scanString)
	if err != nil {
		return fmt.Errorf("read search fields: %w", err)
	}
	var want []string
	for _, f := range tm.FieldSchemas {
		if f.Searchable {
			want = append(want, f.Key)
		}
	}
	var count int64
	if err := tx.queryRow(ctx, `SELECT case_count FROM case_templates WHERE id = ?`, tm.ID).Scan(&count); err != nil {
		return fmt.Errorf("read case count: %w", err)
	}
	var after any // NULL: ready, no case to fill
	if count > 0 {
		after = 0
	}
	for _, k := range want {
		if slices.Contains(have, k) {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO search_fields (template_id, key, backfill_after) VALUES (?, ?, ?)`, tm.ID, k, after); err != nil {
			return fmt.Errorf("add search field %s: %w", k, err)
		}
	}
	for _, k := range have {
		if slices.Contains(want, k) {
			continue
		}
		if _, err := tx.exec(ctx, `DELETE FROM search_fields WHERE template_id = ? AND key = ?`, tm.ID, k); err != nil {
			return fmt.Errorf("drop search field %s: %w", k, err)
		}
		if _, err := tx.exec(ctx, `DELETE FROM case_field_values WHERE key = ? AND case_id IN (SELECT id FROM cases WHERE template_id = ?)`, k, tm.ID); err != nil {
			return fmt.Errorf("drop values of search field %s: %w", k, err)
		}
	}
	return nil
}

// caseDoc is what the index holds of one case.
type caseDoc struct {
	id, templateID string
	words          []string
	fields         map[string]any
}

// maxDocWords bounds a case's document: PostgreSQL's tsvector holds at most 1 MB, and
// a case with thousands of comments is found by its first words as well as by all.
const maxDocWords = 10000

// text is the document the engines index: the words, space-separated.
func (d *caseDoc) text() string { return strings.Join(d.words[:min(len(d.words), maxDocWords)], " ") }

// reindexCases rebuilds the index entries of the cases, a few hundred a statement.
func reindexCases(ctx context.Context, tx *Tx, ids []string) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 400)]
		ids = ids[len(chunk):]
		docs, err := readCaseDocs(ctx, tx, chunk)
		if err != nil {
			return fmt.Errorf("read cases to index: %w", err)
		}
		if err := writeFieldValues(ctx, tx, chunk, docs); err != nil {
			return err
		}
		if err := writeCaseText(ctx, tx, docs, false); err != nil {
			return err
		}
	}
	return nil
}

// readCaseDocs reads the words and fields of the cases: name, tags, comments, string
// field values, and the reference ids and names of their accounts.
func readCaseDocs(ctx context.Context, tx *Tx, ids []string) ([]*caseDoc, error) {
	in, args := placeholders(len(ids)), anys(ids)
	q := tx.reader()
	type row struct {
		id, tid, name string
		fields        []byte
	}
	rows, err := queryAll(ctx, q, `SELECT id, template_id, name, fields FROM cases WHERE id IN (`+in+`)`, args, func(r scanner) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.tid, &x.name, &x.fields)
	})
	if err != nil {
		return nil, err
	}
	docs := make([]*caseDoc, 0, len(rows))
	byID := map[string]*caseDoc{}
	for _, r := range rows {
		d := &caseDoc{id: r.id, templateID: r.tid, words: docket.SearchWords(r.name)}
		if err := decodeJSON(r.fields, &d.fields); err != nil {
			return nil, fmt.Errorf("case %s fields: %w", r.id, err)
		}
		d.words = append(d.words, fieldWords(d.fields)...)
		docs, byID[r.id] = append(docs, d), d
	}
	for _, part := range []string{
		`SELECT case_id, tag, '' FROM case_tags WHERE case_id IN (` + in + `)`,
		`SELECT case_id, body, '' FROM case_comments WHERE case_id IN (` + in + `) ORDER BY id`,
		`SELECT co.case_id, COALESCE(a.reference_id, ''), a.fields FROM case_objects co JOIN accounts a ON a.id = co.object_id
			WHERE co.case_id IN (` + in + `)`,
	} {
		got, err := queryAll(ctx, q, part, args, scanTriple)
		if err != nil {
			return nil, err
		}
		for _, p := range got {
			d := byID[p[0]]
			d.words = append(d.words, docket.SearchWords(p[1])...)
			d.words = append(d.words, accountNameWords(p[2])...)
		}
	}
	return docs, nil
}

// accountNameWords returns the words of an account's name fields (any string field whose
// key holds "name": name, name-first, name-last, ...), given the account's fields JSON.
func accountNameWords(fields string) []string {
	if fields == "" {
		return nil
	}
	var m map[string]any
	if json.Unmarshal([]byte(fields), &m) != nil {
		return nil
	}
	var words []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if s, ok := m[k].(string); ok && strings.Contains(strings.ToLower(k), "name") {
			words = append(words, docket.SearchWords(s)...)
		}
	}
	return words
}

// writeFieldValues replaces the cases' rows in case_field_values (ids: none for new
// cases) with their searchable fields' scalar values.
func writeFieldValues(ctx context.Context, tx *Tx, ids []string, docs []*caseDoc) error {
	if len(ids) > 0 {
		if _, err := tx.exec(ctx, `DELETE FROM case_field_values WHERE case_id IN (`+placeholders(len(ids))+`)`, anys(ids)...); err != nil {
			return fmt.Errorf("clear field values: %w", err)
		}
	}
	searchable, err := searchableKeys(ctx, tx, docs)
	if err != nil {
		return err
	}
	var args []any
	for _, d := range docs {
		for _, k := range searchable[d.templateID] {
			if typ, num, txt, ok := fieldValue(d.fields[k]); ok {
				args = append(args, d.id, k, typ, num, txt)
			}
		}
	}
	for len(args) > 0 {
		chunk := args[:min(len(args), 5*200)]
		args = args[len(chunk):]
		if _, err := tx.exec(ctx, `INSERT INTO case_field_values (case_id, key, typ, num, txt) VALUES `+rows(len(chunk)/5, 5), chunk...); err != nil {
			return fmt.Errorf("write field values: %w", err)
		}
	}
	return nil
}

// searchableKeys returns the searchable field keys of the docs' templates.
func searchableKeys(ctx context.Context, tx *Tx, docs []*caseDoc) (map[string][]string, error) {
	var tids []string
	for _, d := range docs {
		if !slices.Contains(tids, d.templateID) {
			tids = append(tids, d.templateID)
		}
	}
	out := map[string][]string{}
	if len(tids) == 0 {
		return out, nil
	}
	got, err := queryAll(ctx, tx.reader(), `SELECT template_id, key FROM search_fields WHERE template_id IN (`+placeholders(len(tids))+`)`,
		anys(tids), func(r scanner) ([2]string, error) {
			var p [2]string
			return p, r.Scan(&p[0], &p[1])
		})
	if err != nil {
		return nil, fmt.Errorf("read search fields: %w", err)
	}
	for _, p := range got {
		out[p[0]] = append(out[p[0]], p[1])
	}
	return out, nil
}

// fieldValue types a field's value for case_field_values: the JSON type, and the value
// in num (numbers; booleans as 0 or 1) or txt (strings, dates). Null, lists and objects
// have no row.
func fieldValue(v any) (typ string, num, txt any, ok bool) {
	switch x := v.(type) {
	case string:
		return "string", nil, x, true
	case bool:
		if x {
			return "boolean", 1.0, nil, true
		}
		return "boolean", 0.0, nil, true
	case float64:
		return "number", x, nil, true
	case int64:
		return "number", float64(x), nil, true
	case json.Number:
		f, err := x.Float64()
		return "number", f, nil, err == nil
	}
	return "", nil, nil, false
}

// writeCaseText replaces the cases' free-text documents; fresh says they have none yet.
func writeCaseText(ctx context.Context, tx *Tx, docs []*caseDoc, fresh bool) error {
	if len(docs) == 0 {
		return nil
	}
	if tx.s.pg {
		args := make([]any, 0, 2*len(docs))
		for _, d := range docs {
			args = append(args, d.id, d.text())
		}
		_, err := tx.exec(ctx, `INSERT INTO case_text (case_id, words) VALUES `+strings.Repeat("(?, to_tsvector('simple', ?)), ", len(docs)-1)+
			`(?, to_tsvector('simple', ?)) ON CONFLICT (case_id) DO UPDATE SET words = EXCLUDED.words`, args...)
		if err != nil {
			return fmt.Errorf("write case text: %w", err)
		}
		return nil
	}
	return writeCaseTextSQLite(ctx, tx, docs, fresh)
}

// writeCaseTextSQLite numbers the cases' FTS5 rows (case_text_rows), deletes their old
// documents (unless fresh) and inserts the new ones.
func writeCaseTextSQLite(ctx context.Context, tx *Tx, docs []*caseDoc, fresh bool) error {
	ids := make([]any, len(docs))
	for i, d := range docs {
		ids[i] = d.id
	}
	// Every case gets its row: the upsert's DO UPDATE is a no-op that lets RETURNING
	// report the rows that already exist too.
	got, err := queryAll(ctx, tx.reader(), `INSERT INTO case_text_rows (case_id) VALUES `+rows(len(ids), 1)+`
		ON CONFLICT (case_id) DO UPDATE SET case_id = excluded.case_id RETURNING case_id, row`, ids,
		func(r scanner) (struct {
			id  string
			row int64
		}, error) {
			var x struct {
				id  string
				row int64
			}
			return x, r.Scan(&x.id, &x.row)
		})
	if err != nil {
		return fmt.Errorf("number case text rows: %w", err)
	}
	rowOf := map[string]int64{}
	rowIDs := make([]any, len(got))
	for i, x := range got {
		rowOf[x.id], rowIDs[i] = x.row, x.row
	}
	if !fresh {
		if _, err := tx.exec(ctx, `DELETE FROM case_text WHERE rowid IN (`+placeholders(len(rowIDs))+`)`, rowIDs...); err != nil {
			return fmt.Errorf("clear case text: %w", err)
		}
	}
	args := make([]any, 0, 2*len(docs))
	for _, d := range docs {
		args = append(args, rowOf[d.id], d.text())
	}
	if _, err := tx.exec(ctx, `INSERT INTO case_text (rowid, words) VALUES `+rows(len(docs), 2), args...); err != nil {
		return fmt.Errorf("write case text: %w", err)
	}
	return nil
}
