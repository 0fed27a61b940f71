package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

const caseCols = `c.id, c.template_id, c.number, c.name, c.status, c.resolution, c.fields, c.queue_id, c.assignee_id,
	c.created_at, c.updated_at, c.assigned_at, c.resolved_at, c.redacted_at, c.sla_expires_at,
	c.creator_type, c.creator_id, c.assigner_type, c.assigner_id, c.resolver_type, c.resolver_id,
	c.updater_type, c.updater_id, c.version`

func scanCase(row scanner) (*docket.Case, error) {
	var c docket.Case
	var resolution, queue, assignee sql.NullString
	var fields []byte
	var created, updated int64
	var assigned, resolved, redacted, sla sql.NullInt64
	var ct, ci, at, ai, rt, ri, ut, ui sql.NullString
	if err := row.Scan(&c.ID, &c.TemplateID, &c.Number, &c.Name, &c.Status, &resolution, &fields, &queue, &assignee,
		&created, &updated, &assigned, &resolved, &redacted, &sla,
		&ct, &ci, &at, &ai, &rt, &ri, &ut, &ui, &c.Version); err != nil {
		return nil, err
	}
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

// CreateCase opens a case from a template: the initial status, the next name in the
// template's sequence, validated fields, tags and attached objects, and a case.created event.
func (s *Store) CreateCase(ctx context.Context, actor docket.Actor, nc docket.NewCase) (*docket.Case, error) {
	tags, err := docket.NormalizeTags(nc.Tags, "/data/attributes/tags")
	if err != nil {
		return nil, err
	}
	if err := docket.CheckObjectIDs(nc.ObjectIDs, "/meta/object-ids"); err != nil {
		return nil, err
	}
	var c *docket.Case
	err = s.write(ctx, func(tx *Tx) error {
		var err error
		c, err = createCase(ctx, tx, actor, nc, tags)
		return err
	})
	return c, err
}

func createCase(ctx context.Context, tx *Tx, actor docket.Actor, nc docket.NewCase, tags []string) (*docket.Case, error) {
	t, err := findTemplate(ctx, tx.reader(), nc.TemplateID, "")
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, docket.Invalid("/data/attributes/case-template-id", "case template %s does not exist", nc.TemplateID)
	} else if err != nil {
		return nil, err
	}
	if t.Status != docket.TemplateActive {
		return nil, docket.Invalid("/data/attributes/case-template-id", "case template %s is archived", t.ID)
	}
	fields, err := docket.ValidateFields(t.FieldSchemas, nc.Fields, false, "/data/attributes/fields")
	if err != nil {
		return nil, err
	}
	c := &docket.Case{
		ID: docket.NewID(docket.PrefixCase), TemplateID: t.ID, Status: t.InitialStatus(), Fields: fields,
		Tags: tags, QueueID: nc.QueueID, CreatedAt: tx.now, UpdatedAt: tx.now, Version: 1,
		ObjectIDs: []string{}, CommentIDs: []string{},
	}
	if c.Creator, err = creatorActor(ctx, tx, actor, nc.CreatorEmail); err != nil {
		return nil, err
	}
	if err := setSLA(c, nc.SLAExpiresInSecond, t.SLASeconds, tx.now, "/meta/sla-expires-in-seconds"); err != nil {
		return nil, err
	}
	if c.QueueID != nil {
		if err := checkQueue(ctx, tx, *c.QueueID, "/data/attributes/case-queue-id"); err != nil {
			return nil, err
		}
	}
	// The counter row stays locked until commit, so numbers are gapless and unique even
	// with many processes: a rolled-back transaction gives its number back.
	if err := tx.queryRow(ctx, `UPDATE case_templates SET case_count = case_count + 1 WHERE id = ? RETURNING case_count`, t.ID).Scan(&c.Number); err != nil {
		return nil, fmt.Errorf("next case number for %s: %w", t.ID, err)
	}
	c.Name = fmt.Sprintf("%s-%d", t.Key, c.Number)
	if err := insertCase(ctx, tx, c); err != nil {
		return nil, err
	}
	if err := insertTags(ctx, tx, c.ID, tags); err != nil {
		return nil, err
	}
	if err := attachObjects(ctx, tx, c, nc.ObjectIDs, "/meta/object-ids"); err != nil {
		return nil, err
	}
	_, err = insertEvent(ctx, tx, actor, docket.EventCaseCreated, "case", c.ID, c)
	return c, err
}

// creatorActor names the user given by email as the creator, or else the caller.
func creatorActor(ctx context.Context, tx *Tx, actor docket.Actor, email string) (*docket.Actor, error) {
	if email == "" {
		return &actor, nil
	}
	u, err := findUser(ctx, tx.reader(), "email", docket.NormalizeEmail(email))
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, docket.Invalid("/data/attributes/creator-email-address", "no user has the email address %s", email)
	} else if err != nil {
		return nil, err
	}
	return &docket.Actor{Type: docket.ActorUser, ID: u.ID}, nil
}

// setSLA sets the case's SLA deadline from an explicit number of seconds, else the
// template's default.
func setSLA(c *docket.Case, seconds, templateDefault *int64, now time.Time, pointer string) error {
	if seconds == nil {
		seconds = templateDefault
	}
	if seconds == nil {
		return nil
	}
	if *seconds <= 0 || *seconds > docket.MaxSLASeconds {
		return docket.Invalid(pointer, "the SLA must be between 1 second and 90 days (%d seconds)", docket.MaxSLASeconds)
	}
	t := now.Add(time.Duration(*seconds) * time.Second)
	c.SLAExpiresAt = &t
	return nil
}

func checkQueue(ctx context.Context, tx *Tx, id, pointer string) error {
	var status string
	err := tx.queryRow(ctx, `SELECT status FROM case_queues WHERE id = ?`, id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return docket.Invalid(pointer, "case queue %s does not exist", id)
	}
	if err != nil {
		return fmt.Errorf("check case queue %s: %w", id, err)
	}
	if status != "active" {
		return docket.Invalid(pointer, "case queue %s is archived", id)
	}
	return nil
}

func insertCase(ctx context.Context, tx *Tx, c *docket.Case) error {
	fields, err := jsonArg(c.Fields)
	if err != nil {
		return err
	}
	ct, ci := actorArgs(c.Creator)
	_, err = tx.exec(ctx, `INSERT INTO cases (id, template_id, number, name, status, fields, queue_id,
		created_at, updated_at, sla_expires_at, creator_type, creator_id, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.TemplateID, c.Number, c.Name, c.Status, fields, strPtrArg(c.QueueID),
		ms(c.CreatedAt), ms(c.UpdatedAt), msPtr(c.SLAExpiresAt), ct, ci, c.Version)
	if err != nil {
		return fmt.Errorf("insert case: %w", err)
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
		add   func(c *docket.Case, v string)
	}{
		{`SELECT case_id, tag FROM case_tags WHERE case_id IN (` + in + `) ORDER BY tag`,
			func(c *docket.Case, v string) { c.Tags = append(c.Tags, v) }},
		{`SELECT case_id, object_id FROM case_objects WHERE case_id IN (` + in + `) ORDER BY created_at, object_id`,
			func(c *docket.Case, v string) { c.ObjectIDs = append(c.ObjectIDs, v) }},
		{`SELECT case_id, id FROM case_comments WHERE case_id IN (` + in + `) ORDER BY id`,
			func(c *docket.Case, v string) { c.CommentIDs = append(c.CommentIDs, v) }},
	}
	for _, l := range loads {
		pairs, err := queryAll(ctx, q, l.query, ids, func(r scanner) ([2]string, error) {
			var p [2]string
			return p, r.Scan(&p[0], &p[1])
		})
		if err != nil {
			return fmt.Errorf("load case relations: %w", err)
		}
		for _, p := range pairs {
			l.add(byID[p[0]], p[1])
		}
	}
	return nil
}

// ListCases returns a page of cases matching the filter, newest first.
func (s *Store) ListCases(ctx context.Context, f docket.CaseFilter) ([]*docket.Case, docket.PageResult, error) {
	where, args := caseFilterSQL(f)
	q, args := listSQL(`SELECT `+caseCols+` FROM cases c`, where, args, "c.id", f.Page)
	cases, r, err := queryPage(ctx, s.reader(), q, args, f.Page, scanCase)
	if err != nil {
		return nil, r, fmt.Errorf("list cases: %w", err)
	}
	return cases, r, loadCaseRelations(ctx, s.reader(), cases)
}

func caseFilterSQL(f docket.CaseFilter) ([]string, []any) {
	var where []string
	var args []any
	add := func(cond string, v any) { where, args = append(where, cond), append(args, v) }
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
		add(`c.id IN (SELECT co.case_id FROM case_objects co JOIN accounts a ON a.id = co.object_id WHERE a.reference_id = ?)`, f.ReferenceID)
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
	return where, args
}

// objectTables maps attachable id prefixes to the tables that hold them. Kinds whose
// tables do not exist yet are refused as unknown objects.
var objectTables = map[string]string{
	docket.PrefixAccount: "accounts",
}

// attachObjects links objects to a case; every id must name an existing object.
func attachObjects(ctx context.Context, tx *Tx, c *docket.Case, ids []string, pointer string) error {
	for i, id := range ids {
		prefix := docket.IDPrefix(id)
		table, ok := objectTables[prefix]
		exists := false
		if ok {
			var one int
			err := tx.queryRow(ctx, `SELECT 1 FROM `+table+` WHERE id = ?`, id).Scan(&one)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("check object %s: %w", id, err)
			}
			exists = err == nil
		}
		if !exists {
			return docket.Invalid(fmt.Sprintf("%s/%d", pointer, i), "object %s does not exist", id)
		}
		res, err := tx.exec(ctx, `INSERT INTO case_objects (case_id, object_id, object_type, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, c.ID, id, prefix, ms(tx.now))
		if err != nil {
			return fmt.Errorf("attach %s to case %s: %w", id, c.ID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			c.ObjectIDs = append(c.ObjectIDs, id)
		}
	}
	return nil
}

// caseObjectIDs returns the ids in c of the given kind.
func caseObjectIDs(c *docket.Case, prefix string) []string {
	var out []string
	for _, id := range c.ObjectIDs {
		if strings.HasPrefix(id, prefix+"_") {
			out = append(out, id)
		}
	}
	return out
}
