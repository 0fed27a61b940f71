package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

const caseCols = `c.id, c.template_id, c.number, c.name, c.status, c.resolution, c.fields, c.queue_id, c.assignee_id,
	c.created_at, c.updated_at, c.assigned_at, c.resolved_at, c.redacted_at, c.sla_expires_at,
	c.creator_type, c.creator_id, c.assigner_type, c.assigner_id, c.resolver_type, c.resolver_id,
	c.updater_type, c.updater_id, c.version,
	c.proposed_status, c.proposed_by_type, c.proposed_by_id, c.proposed_by_user_id, c.proposed_at, c.proposal_comment_id`

func scanCase(row scanner) (*docket.Case, error) {
	var c docket.Case
	var resolution, queue, assignee sql.NullString
	var fields []byte
	var created, updated int64
	var assigned, resolved, redacted, sla sql.NullInt64
	var ct, ci, at, ai, rt, ri, ut, ui sql.NullString
	var p proposalCols
	if err := row.Scan(&c.ID, &c.TemplateID, &c.Number, &c.Name, &c.Status, &resolution, &fields, &queue, &assignee,
		&created, &updated, &assigned, &resolved, &redacted, &sla,
		&ct, &ci, &at, &ai, &rt, &ri, &ut, &ui, &c.Version,
		&p.status, &p.byType, &p.byID, &p.byUser, &p.at, &p.comment); err != nil {
		return nil, err
	}
	c.Proposal = p.proposal()
	if err := decodeJSON(fields, &c.Fields); err != nil {
		return nil, fmt.Errorf("case %s: %w", c.ID, err)
	}
	c.Resolution, c.QueueID, c.AssigneeID = nullString(resolution), nullString(queue), nullString(assignee)
	c.CreatedAt, c.UpdatedAt = fromMS(created), fromMS(updated)
	c.AssignedAt, c.ResolvedAt, c.RedactedAt, c.SLAExpiresAt = fromNullMS(assigned), fromNullMS(resolved), fromNullMS(redacted), fromNullMS(sla)
	c.Creator, c.Assigner, c.Resolver, c.Updater = actorFrom(ct, ci), actorFrom(at, ai), actorFrom(rt, ri), actorFrom(ut, ui)
	c.Tags, c.ObjectIDs, c.CommentIDs = []string{}, []string{}, []string{}
	return &c, nil
}

// insertCases writes new cases with one multi-row INSERT per chunk.
func insertCases(ctx context.Context, tx *Tx, cases []*docket.Case) error {
	const cols = 17
	for len(cases) > 0 {
		chunk := cases[:min(len(cases), 500)]
		cases = cases[len(chunk):]
		args := make([]any, 0, len(chunk)*cols)
		for _, c := range chunk {
			fields, err := jsonArg(c.Fields)
			if err != nil {
				return err
			}
			ct, ci := actorArgs(c.Creator)
			at, ai := actorArgs(c.Assigner)
			args = append(args, c.ID, c.TemplateID, c.Number, c.Name, c.Status, fields, strPtrArg(c.QueueID),
				ms(c.CreatedAt), ms(c.UpdatedAt), msPtr(c.SLAExpiresAt), ct, ci, c.Version,
				strPtrArg(c.AssigneeID), msPtr(c.AssignedAt), at, ai)
		}
		_, err := tx.exec(ctx, `INSERT INTO cases (id, template_id, number, name, status, fields, queue_id,
			created_at, updated_at, sla_expires_at, creator_type, creator_id, version,
			assignee_id, assigned_at, assigner_type, assigner_id) VALUES `+rows(len(chunk), cols), args...)
		if err != nil {
			return fmt.Errorf("insert cases: %w", err)
		}
	}
	return nil
}

func insertTags(ctx context.Context, tx *Tx, caseID string, tags []string) error {
	for _, tag := range tags {
		if _, err := tx.exec(ctx, `INSERT INTO case_tags (case_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`, caseID, tag); err != nil {
			return fmt.Errorf("tag case %s: %w", caseID, err)
		}
	}
	return nil
}

// FindCase returns one case with its tags, objects and comment ids.
func (s *Store) FindCase(ctx context.Context, id string) (*docket.Case, error) {
	return findCase(ctx, s.reader(), id, "")
}

func findCase(ctx context.Context, q querier, id, lock string) (*docket.Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, `SELECT `+caseCols+` FROM cases c WHERE c.id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("case", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find case %s: %w", id, err)
	}
	if err := loadCaseRelations(ctx, q, []*docket.Case{c}); err != nil {
		return nil, err
	}
	return c, nil
}

// FindCases returns the cases with the given ids, in no particular order.
func (s *Store) FindCases(ctx context.Context, ids []string) ([]*docket.Case, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cases, err := queryAll(ctx, s.reader(), `SELECT `+caseCols+` FROM cases c WHERE c.id IN (`+placeholders(len(ids))+`)`, anys(ids), scanCase)
	if err != nil {
		return nil, fmt.Errorf("find cases: %w", err)
	}
	return cases, loadCaseRelations(ctx, s.reader(), cases)
}

// loadCaseRelations fills tags, object ids and comment ids with one query each for all cases.
func loadCaseRelations(ctx context.Context, q querier, cases []*docket.Case) error {
	if len(cases) == 0 {
		return nil
	}
	byID := make(map[string]*docket.Case, len(cases))
	ids := make([]any, len(cases))
	for i, c := range cases {
		byID[c.ID], ids[i] = c, c.ID
	}
	in := placeholders(len(ids))
	loads := []struct {
		query string
		add   func(c *docket.Case, v, typ string)
	}{
		{`SELECT case_id, tag, '' FROM case_tags WHERE case_id IN (` + in + `) ORDER BY tag`,
			func(c *docket.Case, v, _ string) { c.Tags = append(c.Tags, v) }},
		{`SELECT case_id, object_id, object_type FROM case_objects WHERE case_id IN (` + in + `) ORDER BY created_at, object_id`,
			addObject},
		{`SELECT case_id, id, '' FROM case_comments WHERE case_id IN (` + in + `) ORDER BY id`,
			func(c *docket.Case, v, _ string) { c.CommentIDs = append(c.CommentIDs, v) }},
	}
	for _, l := range loads {
		rows, err := queryAll(ctx, q, l.query, ids, func(r scanner) ([3]string, error) {
			var p [3]string
			return p, r.Scan(&p[0], &p[1], &p[2])
		})
		if err != nil {
			return fmt.Errorf("load case relations: %w", err)
		}
		for _, p := range rows {
			l.add(byID[p[0]], p[1], p[2])
		}
	}
	// Sort tags here rather than trust ORDER BY: PostgreSQL orders text by the database's
	// collation, which may differ from SQLite's and Go's byte order.
	for _, c := range cases {
		slices.Sort(c.Tags)
	}
	return nil
}

// ListCases returns a page of cases matching the filter, newest first, or most urgent
// first with f.Sort CaseSortSLA (see listCasesBySLA in case_list.go). With a queue id and
// no sort it returns what that queue holds in queue order (see listQueueCases in queue.go).
func (s *Store) ListCases(ctx context.Context, f docket.CaseFilter) ([]*docket.Case, docket.PageResult, error) {
	if f.QueueID != "" && f.Sort == "" {
		return s.listQueueCases(ctx, f)
	}
	if f.Query != "" && f.Sort == "" {
		return s.listCasesByRank(ctx, f)
	}
	var cases []*docket.Case
	var r docket.PageResult
	if f.Sort == docket.CaseSortSLA {
		where, args, none, err := s.caseConditions(ctx, f)
		if err != nil || none {
			return nil, docket.PageResult{}, err
		}
		cases, r, err = s.listCasesBySLA(ctx, where, args, f.Page)
		if err != nil {
			return nil, r, fmt.Errorf("list cases: %w", err)
		}
		return cases, r, loadCaseRelations(ctx, s.reader(), cases)
	}
	src, err := s.newestFirst(ctx, f)
	if err != nil || src.none {
		return nil, docket.PageResult{}, err
	}
	q, qargs := listSQL(`SELECT `+caseCols+` FROM `+src.from, src.where, src.args, src.idCol, f.Page)
	cases, r, err = queryPage(ctx, s.reader(), q, qargs, f.Page, scanCase)
	if err != nil {
		return nil, r, fmt.Errorf("list cases: %w", err)
	}
	return cases, r, loadCaseRelations(ctx, s.reader(), cases)
}

// caseSource is what a newest-first list or a count of cases reads: the tables (cases
// as c), the conditions, and the column that orders by case id.
type caseSource struct {
	from, idCol string
	where       []string
	args        []any
	// none reports a queue that does not exist: it holds nothing.
	none bool
}

// newestFirst returns where a newest-first list or a count of f's cases reads. With a
// tag, the query walks case_tags_tag (tag, case_id) backwards and looks each case up by
// id, ordering by the tag row's case id: a page reads about as many tag rows as it takes
// to find a page of matches. As "c.id IN (SELECT ... tag = ?)", SQLite (which keeps no
// statistics) instead read every case of a chosen template through
// cases_template_status and sorted them (943 ms at 1,000,000 cases, bench dashboard).
// CROSS JOIN fixes that order on SQLite; PostgreSQL plans the join as it sees fit.
func (s *Store) newestFirst(ctx context.Context, f docket.CaseFilter) (caseSource, error) {
	tag := f.Tag
	f.Tag = ""
	where, args, none, err := s.caseConditions(ctx, f)
	src := caseSource{from: "cases c", idCol: "c.id", where: where, args: args, none: none}
	if tag != "" {
		src.from, src.idCol = "case_tags tg CROSS JOIN cases c", "tg.case_id"
		src.where = append([]string{"tg.tag = ?", "c.id = tg.case_id"}, where...)
		src.args = append([]any{tag}, args...)
	}
	return src, err
}

// caseConditions returns the conditions that select f's cases (alias c), with what a
// queue holds when f names one. none reports a queue that does not exist: it holds
// nothing.
func (s *Store) caseConditions(ctx context.Context, f docket.CaseFilter) (where []string, args []any, none bool, err error) {
	now := s.clock()
	if f.QueueID == "" {
		where, args = caseFilterSQL(f, now, s.pg)
		return where, args, false, nil
	}
	q, err := findQueue(ctx, s.reader(), f.QueueID, "")
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, nil, true, nil
	} else if err != nil {
		return nil, nil, false, err
	}
	f.QueueID = ""
	where, args = caseFilterSQL(f, now, s.pg)
	holds, hargs := queueHolds(q, now)
	return append(where, holds), append(args, hargs...), false, nil
}

// caseFilterSQL returns the conditions of f (but its queue: see caseConditions); now
// decides which SLAs have expired; pg chooses the search box's free-text dialect.
func caseFilterSQL(f docket.CaseFilter, now time.Time, pg bool) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, v ...any) { where, args = append(where, cond), append(args, v...) }
	for _, col := range []struct{ col, v string }{
		{"c.status", f.Status}, {"c.template_id", f.TemplateID}, {"c.assignee_id", f.AssigneeID}, {"c.queue_id", f.QueueID},
	} {
		if col.v != "" {
			add(col.col+" = ?", col.v)
		}
	}
	for _, obj := range []string{f.AccountID, f.InquiryID, f.TransactionID, f.ReportID} {
		if obj != "" {
			add("c.id IN (SELECT case_id FROM case_objects WHERE object_id = ?)", obj)
		}
	}
	if f.ReferenceID != "" {
		// A reference id names an end user: match cases holding their account or any
		// inquiry or transaction carrying that reference.
		add(`c.id IN (`+referenceCasesSQL+`)`, f.ReferenceID, f.ReferenceID, f.ReferenceID)
	}
	if f.Tag != "" {
		add("c.id IN (SELECT case_id FROM case_tags WHERE tag = ?)", f.Tag)
	}
	if f.CreatedAtStart != nil {
		add("c.created_at >= ?", ms(*f.CreatedAtStart))
	}
	if f.CreatedAtEnd != nil {
		add("c.created_at <= ?", ms(*f.CreatedAtEnd))
	}
	if f.Unassigned {
		add("c.assignee_id IS NULL")
	}
	switch f.SLA {
	case docket.QueueSLABreached:
		add(`c.resolved_at IS NULL AND c.redacted_at IS NULL AND c.sla_expires_at <= ?`, ms(now))
	case docket.QueueSLADue:
		add(`c.resolved_at IS NULL AND c.redacted_at IS NULL AND c.sla_expires_at > ?`, ms(now))
	case docket.QueueSLANone:
		add(`c.sla_expires_at IS NULL`)
	}
	if f.Query != "" {
		cond, qargs := caseQuerySQL(f.Query, pg)
		add(cond, qargs...)
	}
	if cond, vargs := visibilitySQL(f.Visibility); cond != "" {
		add(cond, vargs...)
	}
	return where, args
}

// referenceCasesSQL selects the ids of the cases holding an end user's account, or an
// inquiry or transaction carrying their reference id (given three times).
const referenceCasesSQL = `SELECT case_id FROM case_objects WHERE object_id IN (
			SELECT id FROM accounts WHERE reference_id = ? UNION SELECT id FROM inquiries WHERE reference_id = ?
			UNION SELECT id FROM transactions WHERE reference_id = ?)`

// nameCasesSQL selects the ids of the cases holding an account or an inquiry of the person
// named (docket.SearchNameOf of a first and last name, given twice).
const nameCasesSQL = `SELECT case_id FROM case_objects WHERE object_id IN (
			SELECT id FROM accounts WHERE identity_name = ? UNION SELECT id FROM inquiries WHERE identity_name = ?)`

// visibilitySQL returns the condition that leaves out the cases (alias c) that v hides,
// or "" when it hides nothing. Whom to hide from is the caller's decision (see
// docket.Principal.Visibility); the store only filters.
func visibilitySQL(v docket.Visibility) (string, []any) {
	if !v.Restricted() {
		return "", nil
	}
	return "c.template_id NOT IN (" + placeholders(len(v.HiddenTemplateIDs)) + ")", anys(v.HiddenTemplateIDs)
}

// CountCases counts, up to limit, the cases ListCases would list for f over all pages.
// A count that reaches limit stops, so a capped count ("1,000+") stays cheap on a large
// table; a count of few matches among many cases may still read many, so it also stops
// at ctx's deadline (see withDeadline).
func (s *Store) CountCases(ctx context.Context, f docket.CaseFilter, limit int) (int, error) {
	src, err := s.newestFirst(ctx, f)
	if err != nil || src.none {
		return 0, err
	}
	return s.countCases(ctx, src.from, src.where, src.args, limit)
}

func (s *Store) countCases(ctx context.Context, from string, where []string, args []any, limit int) (int, error) {
	q, args := countSQL(from, where, args, limit)
	var n int
	err := s.withDeadline(ctx, func(ctx context.Context, db querier) error {
		return db.QueryRowContext(ctx, q, args...).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}

// countSQL counts the cases matching where over from, reading at most limit of them.
func countSQL(from string, where []string, args []any, limit int) (string, []any) {
	q := `SELECT 1 FROM ` + from
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return `SELECT COUNT(*) FROM (` + q + ` LIMIT ?) counted`, append(slices.Clip(args), limit)
}

// checkObjects verifies that every id names an existing object of an attachable kind.
// Kinds not stored yet are refused as unknown objects.
func checkObjects(ctx context.Context, tx *Tx, ids []string, field string) error {
	for i, id := range ids {
		kind, ok := docket.KindOf(id)
		exists := false
		if ok && kind.Stored() {
			var one int
			err := tx.queryRow(ctx, `SELECT 1 FROM `+kind.Table+` WHERE id = ?`, id).Scan(&one)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("check object %s: %w", id, err)
			}
			exists = err == nil
		}
		if !exists {
			return docket.Invalid(docket.FieldIndex(field, i), "object %s does not exist", id)
		}
	}
	return nil
}

// addObject records an attached object on a case. Reports keep their report type
// ("report/watchlist"), which is their resource type in the API.
func addObject(c *docket.Case, id, typ string) {
	c.ObjectIDs = append(c.ObjectIDs, id)
	if docket.IDPrefix(id) == docket.PrefixReport && typ != docket.PrefixReport {
		if c.ReportTypes == nil {
			c.ReportTypes = map[string]string{}
		}
		c.ReportTypes[id] = typ
	}
}

// objectType is what case_objects records for an object: the report type for reports,
// the id prefix for everything else.
func objectType(ctx context.Context, tx *Tx, id string) (string, error) {
	prefix := docket.IDPrefix(id)
	if prefix != docket.PrefixReport {
		return prefix, nil
	}
	var typ string
	if err := tx.queryRow(ctx, `SELECT report_type FROM reports WHERE id = ?`, id).Scan(&typ); err != nil {
		return "", fmt.Errorf("report type of %s: %w", id, err)
	}
	return typ, nil
}

// linkObjects attaches checked objects to a case; ones already attached are skipped.
func linkObjects(ctx context.Context, tx *Tx, c *docket.Case, ids []string) error {
	// Objects linked together share created_at, and FindCase orders by (created_at, id):
	// return them in that same order.
	n := len(c.ObjectIDs)
	defer func() { slices.Sort(c.ObjectIDs[n:]) }()
	for _, id := range ids {
		typ, err := objectType(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.exec(ctx, `INSERT INTO case_objects (case_id, object_id, object_type, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, c.ID, id, typ, ms(tx.now))
		if err != nil {
			return fmt.Errorf("attach %s to case %s: %w", id, c.ID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			addObject(c, id, typ)
		}
	}
	return nil
}

// attachObjects checks and attaches objects to an existing case.
func attachObjects(ctx context.Context, tx *Tx, c *docket.Case, ids []string, field string) error {
	if err := checkObjects(ctx, tx, ids, field); err != nil {
		return err
	}
	return linkObjects(ctx, tx, c, ids)
}
