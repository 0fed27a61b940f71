package store

// Redaction (GDPR erasure) must reach every copy Docket made of a person's data, not only
// the object's row and its own events. The copies live in tables that features fill in
// reaction to events (workflow runs and their events, notifications) and in the API's
// stored responses; the store knows them all, so each Redact* method erases them here,
// in its own transaction, through eraseCopies.

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/docket-hq/docket"
)

// carriedID finds the ids of the objects that hold personal data (cases, accounts,
// inquiries, reports, transactions) in a run's JSON: a run that holds such an id may hold
// the object's data (its trigger object, a step's input or output), so the run is
// erased with the object. Ids are TypeIDs: a prefix, "_", then 26 base32 characters.
var carriedID = regexp.MustCompile(`\b(?:case|act|inq|rep|txn)_[0-7][0-9a-hjkmnp-tv-z]{25}\b`)

// notificationID finds the notifications a run's send-email steps wrote (their ids are
// in the steps' outputs).
var notificationID = regexp.MustCompile(`\b` + docket.PrefixNotification + `_[0-7][0-9a-hjkmnp-tv-z]{25}\b`)

// erasedText replaces the text of an error that a redaction erased: an error message may
// quote the values that failed (an address, a field).
const erasedText = "[erased with a redacted object's personal data]"

// erasedResponse replaces a stored idempotent response that held a redacted object: a
// replay still answers with the original status, and this JSON:API document says why
// the body is gone.
const erasedResponse = `{"meta":{"redacted":true,"detail":"this response held personal data that has since been redacted"}}`

// linkRunObjects records which objects' ids the run's JSON documents hold, so that a
// redaction finds the run (see workflow_run_objects in the migrations).
func linkRunObjects(ctx context.Context, tx *Tx, runID string, docs ...string) error {
	seen := map[string]bool{}
	var args []any
	for _, d := range docs {
		for _, id := range carriedID.FindAllString(d, -1) {
			if !seen[id] {
				seen[id] = true
				args = append(args, id, runID)
			}
		}
	}
	for len(args) > 0 {
		chunk := args[:min(len(args), 2*500)]
		args = args[len(chunk):]
		if _, err := tx.exec(ctx, `INSERT INTO workflow_run_objects (object_id, run_id) VALUES `+rows(len(chunk)/2, 2)+`
			ON CONFLICT DO NOTHING`, chunk...); err != nil {
			return fmt.Errorf("link workflow run %s to its objects: %w", runID, err)
		}
	}
	return nil
}

// lockRunsHolding locks the workflow runs that hold any of the ids, in id order. A
// redaction takes them before the object it redacts: the engine locks a run before the
// objects its step changes, so taking them in the same order keeps a redaction and a step
// on the same object from deadlocking (on PostgreSQL; SQLite's writers take turns).
func lockRunsHolding(ctx context.Context, tx *Tx, ids ...string) error {
	if !tx.s.pg {
		return nil
	}
	_, err := queryAll(ctx, tx.reader(), `SELECT id FROM workflow_runs WHERE id IN (SELECT run_id FROM workflow_run_objects
		WHERE object_id IN (`+placeholders(len(ids))+`)) ORDER BY id`+tx.s.forUpdate(), anys(ids), func(row scanner) (string, error) {
		var id string
		return id, row.Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("lock workflow runs holding %v: %w", ids, err)
	}
	return nil
}

// eraseCopies erases, in a redaction's transaction, the copies of the objects' personal
// data kept outside their own rows and events: the workflow runs that hold any of the
// objects (their records, events and the notifications they wrote), the stored idempotent responses that show them, the saved
// views whose query names them, and what webhook endpoints
// answered to the objects' events. texts are further values to look for in stored
// responses (an account's reference id).
func eraseCopies(ctx context.Context, tx *Tx, ids []string, texts ...string) error {
	if len(ids) == 0 {
		return nil
	}
	runs, err := queryAll(ctx, tx.reader(), `SELECT DISTINCT run_id FROM workflow_run_objects WHERE object_id IN (`+placeholders(len(ids))+`)
		ORDER BY run_id`, anys(ids), func(row scanner) (string, error) {
		var id string
		return id, row.Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("find workflow runs holding %v: %w", ids, err)
	}
	for _, id := range runs {
		if err := eraseRun(ctx, tx, id); err != nil {
			return err
		}
	}
	if err := eraseResponses(ctx, tx, append(append([]string{}, ids...), texts...)); err != nil {
		return err
	}
	if err := eraseSavedViews(ctx, tx, append(append([]string{}, ids...), texts...)); err != nil {
		return err
	}
	return eraseDeliveryAnswers(ctx, tx, append(ids, runs...))
}

// eraseRun erases a run's data (see eraseRunData) in its record and its events, and the
// notifications its send-email steps wrote. The run is marked redacted, so that what the
// engine records on it later is erased too (SaveWorkflowRun). Its jobs' error messages
// need nothing: the errors a step hands to River for a retry quote no values (an
// https-request's names the host only).
func eraseRun(ctx context.Context, tx *Tx, id string) error {
	r, err := findRun(ctx, tx.reader(), id, tx.s.forUpdate())
	if err != nil {
		return err
	}
	steps, err := jsonArg(r.Steps)
	if err != nil {
		return err
	}
	notes := notificationID.FindAllString(steps, -1)
	eraseRunData(r)
	trig, input, err := jsonArgs(r.Trigger, r.Input)
	if err != nil {
		return err
	}
	if steps, err = jsonArg(r.Steps); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE workflow_runs SET trigger = ?, input = ?, steps = ?, error = ?, redacted_at = ? WHERE id = ?`,
		trig, input, steps, strPtrArg(r.Error), ms(tx.now), r.ID); err != nil {
		return fmt.Errorf("erase workflow run %s: %w", id, err)
	}
	if err := scrubEvents(ctx, tx, r.ID, func() any { return &docket.WorkflowRun{} }, func(v any) {
		eraseRunData(v.(*docket.WorkflowRun))
	}); err != nil {
		return err
	}
	if len(notes) > 0 {
		if err := eraseNotifications(ctx, tx, `id IN (`+placeholders(len(notes))+`)`, anys(notes)...); err != nil {
			return err
		}
	}
	return nil
}

// eraseRunData keeps of a run's data only what the engine and an auditor need to follow
// it: ids (of the trigger object and its relations, of what the steps created or
// changed, of a wait's object), with the statuses, step ids, attempts and times of the
// record. Everything else in the trigger object, the input and the steps' inputs and
// outputs goes, because any value there may come from the redacted object (a send-email
// body built from its fields); error messages go too, as they may quote values.
func eraseRunData(r *docket.WorkflowRun) {
	var trig any
	if len(r.Trigger.Object) > 0 && json.Unmarshal(r.Trigger.Object, &trig) == nil {
		r.Trigger.Object, _ = json.Marshal(orEmptyObject(idsOnly(trig)))
	}
	r.Input, _ = orEmptyObject(idsOnly(map[string]any(r.Input))).(map[string]any)
	for i := range r.Steps {
		s := &r.Steps[i]
		s.Input, s.Output, s.Error = idsOnly(s.Input), idsOnly(s.Output), erased(s.Error)
	}
	r.Error = erased(r.Error)
}

func erased(msg *string) *string {
	if msg == nil {
		return nil
	}
	s := erasedText
	return &s
}

func orEmptyObject(v any) any {
	if v == nil {
		return map[string]any{}
	}
	return v
}

// idsOnly keeps of a JSON value only the Docket ids it holds, with the keys and lists
// that lead to them; nil if none.
func idsOnly(v any) any {
	switch x := v.(type) {
	case string:
		if p := docket.IDPrefix(x); p != "" && docket.ValidID(p, x) {
			return x
		}
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if kept := idsOnly(e); kept != nil {
				out[k] = kept
			}
		}
		if len(out) > 0 {
			return out
		}
	case []any:
		var out []any
		for _, e := range x {
			if kept := idsOnly(e); kept != nil {
				out = append(out, kept)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// eraseNotifications erases the text of the notifications that where selects, and the
// address of those that went to no user (a workflow's send-email may write to anyone,
// the person themselves included). A pending email of an erased notification is not
// sent (notify.Worker).
func eraseNotifications(ctx context.Context, tx *Tx, where string, args ...any) error {
	if _, err := tx.exec(ctx, `UPDATE notifications SET subject = '', body = '',
		email = CASE WHEN user_id IS NULL THEN '' ELSE email END WHERE `+where, args...); err != nil {
		return fmt.Errorf("erase notifications: %w", err)
	}
	return nil
}

// eraseResponses replaces the stored idempotent responses that hold any of the texts
// (the redacted objects' ids, which every response showing one of them holds, and
// values such as a reference id).
func eraseResponses(ctx context.Context, tx *Tx, texts []string) error {
	var conds []string
	var args []any
	for _, t := range texts {
		for _, v := range responseForms(t) {
			conds, args = append(conds, tx.s.contains("response")), append(args, v)
		}
	}
	if _, err := tx.exec(ctx, `UPDATE idempotency_keys SET response = ? WHERE status_code <> 0 AND (`+strings.Join(conds, " OR ")+`)`,
		append([]any{erasedResponse}, args...)...); err != nil {
		return fmt.Errorf("erase stored responses: %w", err)
	}
	return nil
}

// responseForms is how a value appears in a JSON response: an id as it is (ids need no
// escaping), any other text as a JSON string, quotes included, with and without the
// escaping of <, > and & that encoding/json applies by default.
func responseForms(text string) []string {
	if p := docket.IDPrefix(text); p != "" && docket.ValidID(p, text) {
		return []string{text}
	}
	plain, _ := json.Marshal(text)
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(text)
	raw := strings.TrimSuffix(b.String(), "\n")
	if raw == string(plain) {
		return []string{raw}
	}
	return []string{raw, string(plain)}
}

// eraseDeliveryAnswers erases what webhook endpoints answered to the events of the
// objects: a receiver may echo the payload it got.
func eraseDeliveryAnswers(ctx context.Context, tx *Tx, objectIDs []string) error {
	if _, err := tx.exec(ctx, `UPDATE webhook_deliveries SET response_snippet = '' WHERE response_snippet <> ''
		AND event_id IN (SELECT id FROM events WHERE object_id IN (`+placeholders(len(objectIDs))+`))`, anys(objectIDs)...); err != nil {
		return fmt.Errorf("erase webhook answers: %w", err)
	}
	return nil
}

// contains is the SQL condition that col holds the text of the next placeholder.
func (s *Store) contains(col string) string {
	if s.pg {
		return "strpos(" + col + ", ?) > 0"
	}
	return "instr(" + col + ", ?) > 0"
}

// linkedKinds are the objects that may carry an account's reference id.
var linkedKinds = []struct {
	table string
	snap  func() any
	clear func(any)
}{
	{"inquiries", func() any { return &docket.Inquiry{} }, func(v any) { v.(*docket.Inquiry).ReferenceID = nil }},
	{"reports", func() any { return &docket.Report{} }, func(v any) { v.(*docket.Report).ReferenceID = nil }},
	{"transactions", func() any { return &docket.Transaction{} }, func(v any) { v.(*docket.Transaction).ReferenceID = nil }},
}

// unlinkReference erases a redacted account's reference id (the person's id in the
// customer's systems) from the inquiries, reports and transactions linked to the account
// or carrying the same reference, rows and events alike, so that nothing, not even
// GET /cases?filter[reference-id]=, finds the person by it any more. The objects keep
// their account-id: an id says nothing about the person. It returns the objects' ids.
func unlinkReference(ctx context.Context, tx *Tx, accountID string, ref *string) ([]string, error) {
	var unlinked []string
	for _, k := range linkedKinds {
		where, args := `account_id = ?`, []any{accountID}
		if ref != nil {
			where, args = where+` OR reference_id = ?`, append(args, *ref)
		}
		ids, err := queryAll(ctx, tx.reader(), `SELECT id FROM `+k.table+` WHERE reference_id IS NOT NULL AND (`+where+`) ORDER BY id`+tx.s.forUpdate(),
			args, func(row scanner) (string, error) {
				var id string
				return id, row.Scan(&id)
			})
		if err != nil {
			return nil, fmt.Errorf("find %s linked to account %s: %w", k.table, accountID, err)
		}
		unlinked = append(unlinked, ids...)
		for _, id := range ids {
			if _, err := tx.exec(ctx, `UPDATE `+k.table+` SET reference_id = NULL WHERE id = ?`, id); err != nil {
				return nil, fmt.Errorf("unlink %s from account %s: %w", id, accountID, err)
			}
			if err := scrubEvents(ctx, tx, id, k.snap, k.clear); err != nil {
				return nil, err
			}
		}
	}
	return unlinked, nil
}
