package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// Store is what actions change. Every write joins the step's transaction (the engine runs
// a step inside Atomically), so a step's changes and its record commit together: an
// action is applied once, however often its job runs.
type Store interface {
	CreateCase(ctx context.Context, actor docket.Actor, nc docket.NewCase) (*docket.Case, error)
	AssignCase(ctx context.Context, actor docket.Actor, id, email string) (*docket.Case, error)
	SetCaseStatus(ctx context.Context, actor docket.Actor, id, status string) (*docket.Case, error)
	UpdateCase(ctx context.Context, actor docket.Actor, id string, u docket.CaseUpdate) (*docket.Case, error)
	AddCaseObjects(ctx context.Context, actor docket.Actor, id string, objectIDs []string) (*docket.Case, error)
	ChangeCaseTags(ctx context.Context, actor docket.Actor, id, op string, tags []string) (*docket.Case, error)
	FindInquiry(ctx context.Context, id string) (*docket.Inquiry, error)
	UpdateInquiry(ctx context.Context, actor docket.Actor, id string, u docket.InquiryUpdate) (*docket.Inquiry, error)
	InquiryAction(ctx context.Context, actor docket.Actor, id, action string, comment *string) (*docket.Inquiry, error)
	FindTransaction(ctx context.Context, id string) (*docket.Transaction, error)
	UpdateTransaction(ctx context.Context, actor docket.Actor, id string, u docket.TransactionUpdate) (*docket.Transaction, error)
	FindAccount(ctx context.Context, id string) (*docket.Account, error)
	UpdateAccount(ctx context.Context, actor docket.Actor, id string, u docket.AccountUpdate) (*docket.Account, error)
	CreateReport(ctx context.Context, actor docket.Actor, n docket.NewReport) (*docket.Report, error)
	// QueueEmail stores and queues a mail, returning the notification's id.
	QueueEmail(ctx context.Context, to, subject, body, caseID string) (string, error)
}

// Exec is one step's context: who acts, the run, and the evaluated parameters.
type Exec struct {
	Store  Store
	Actor  docket.Actor
	Run    *docket.WorkflowRun
	Params map[string]any
	// HTTP sends https-request actions (the webhook client, with its address checks).
	HTTP Doer
}

type action struct {
	required []string
	optional []string
	// types of the parameters that are not text (paramtype.go).
	types map[string]paramType
	// external actions reach outside the database: they run before the step's
	// transaction opens, and are repeated if the process dies before it commits.
	external bool
	run      func(ctx context.Context, x *Exec) (any, error)
}

func (a action) has(name string) bool {
	return slices.Contains(a.required, name) || slices.Contains(a.optional, name)
}

// check refuses a parameter value of the wrong type: when the workflow is saved (saving:
// literal values) and when the step runs (every value, expressions evaluated). A null
// optional parameter is as good as none. params is the field path of the step's params.
func (a action) check(name string, v any, saving bool, allowHTTP func(string) bool, params string) error {
	typ := a.types[name]
	if v == nil && (typ == seconds || !slices.Contains(a.required, name)) {
		return nil
	}
	if pb := typ.check(v, saving, allowHTTP); pb != nil {
		field := docket.FieldKey(params, name)
		if pb.sub != nil {
			field = pb.sub(field)
		}
		return docket.Invalid(field, "%s %s", name, pb.msg)
	}
	return nil
}

var actions map[string]action

func init() {
	inquiryAction := func(name string) action {
		return action{optional: []string{"inquiry-id", "comment"}, types: map[string]paramType{"inquiry-id": texts}, run: func(ctx context.Context, x *Exec) (any, error) {
			return x.inquiries(ctx, name)
		}}
	}
	actions = map[string]action{
		"create-case": {required: []string{"case-template-id"},
			optional: []string{"fields", "object-ids", "tags", "case-queue-id", "sla-expires-in-seconds", "creator-email-address"},
			types:    map[string]paramType{"fields": object, "object-ids": texts, "tags": texts, "sla-expires-in-seconds": seconds},
			run:      createCase},
		"assign-case": {required: []string{"user-email-address"}, optional: []string{"case-id"}, run: func(ctx context.Context, x *Exec) (any, error) {
			return x.onCase(ctx, func(id string) (*docket.Case, error) {
				return x.Store.AssignCase(ctx, x.Actor, id, x.str("user-email-address"))
			})
		}},
		"set-case-status": {required: []string{"status"}, optional: []string{"case-id"}, run: func(ctx context.Context, x *Exec) (any, error) {
			return x.onCase(ctx, func(id string) (*docket.Case, error) { return x.Store.SetCaseStatus(ctx, x.Actor, id, x.str("status")) })
		}},
		"set-case-sla": {required: []string{"expires-in-seconds"}, optional: []string{"case-id"},
			types: map[string]paramType{"expires-in-seconds": seconds}, run: setCaseSLA},
		"add-case-to-queue": {required: []string{"case-queue-id"}, optional: []string{"case-id"}, run: addCaseToQueue},
		"attach-object": {required: []string{"object-ids"}, optional: []string{"case-id"}, types: map[string]paramType{"object-ids": texts}, run: func(ctx context.Context, x *Exec) (any, error) {
			return x.onCase(ctx, func(id string) (*docket.Case, error) {
				return x.Store.AddCaseObjects(ctx, x.Actor, id, x.strs("object-ids"))
			})
		}},
		"tag-object":              {required: []string{"tags"}, optional: []string{"object-id"}, types: map[string]paramType{"tags": texts}, run: tagObject},
		"mark-inquiry-for-review": inquiryAction("mark-for-review"),
		"approve-inquiry":         inquiryAction("approve"),
		"decline-inquiry":         inquiryAction("decline"),
		"set-transaction-status":  {required: []string{"status"}, optional: []string{"transaction-id"}, types: map[string]paramType{"transaction-id": texts}, run: setTransactionStatus},
		"create-report": {required: []string{"report-type"}, optional: []string{"account-id", "inquiry-id", "reference-id", "case-id", "tags"},
			types: map[string]paramType{"tags": texts}, run: createReport},
		"send-email": {required: []string{"to", "subject", "body"}, optional: []string{"case-id"}, run: sendEmail},
		"https-request": {required: []string{"url"}, optional: []string{"method", "headers", "body"}, external: true,
			types: map[string]paramType{"url": httpURL, "method": httpMethod, "headers": headers, "body": anyJSON}, run: httpsRequest},
	}
	// The hosted product calls create-report run-report; both names work.
	actions["run-report"] = actions["create-report"]
}

// ActionNames lists the actions, sorted.
func ActionNames() []string {
	var names []string
	for n := range actions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (x *Exec) str(name string) string {
	s, _ := x.Params[name].(string)
	return s
}

// strs reads a parameter given as one string or a list of strings.
func (x *Exec) strs(name string) []string {
	switch v := x.Params[name].(type) {
	case string:
		return []string{v}
	case []string:
		return v
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func (x *Exec) fail(name, format string, args ...any) error {
	return docket.Invalid(docket.FieldKey("params", name), format, args...)
}

// caseID is the case-id parameter, else the case the run created last, else the trigger
// object if it is a case.
func (x *Exec) caseID() (string, error) {
	if id := x.str("case-id"); id != "" {
		return id, nil
	}
	for i := len(x.Run.Steps) - 1; i >= 0; i-- {
		if out, ok := x.Run.Steps[i].Output.(map[string]any); ok {
			if id, _ := out["id"].(string); docket.IDPrefix(id) == docket.PrefixCase {
				return id, nil
			}
		}
	}
	if x.Run.Trigger.ObjectType == "case" {
		return x.Run.Trigger.ObjectID, nil
	}
	return "", x.fail("case-id", "no case-id given, and the run has no case (none created, and its trigger is not a case)")
}

func (x *Exec) onCase(ctx context.Context, fn func(id string) (*docket.Case, error)) (any, error) {
	id, err := x.caseID()
	if err != nil {
		return nil, err
	}
	c, err := fn(id)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", id, err)
	}
	return Snapshot(c), nil
}

func createCase(ctx context.Context, x *Exec) (any, error) {
	nc := docket.NewCase{TemplateID: x.str("case-template-id"), Tags: x.strs("tags"), CreatorEmail: x.str("creator-email-address")}
	if f, ok := x.Params["fields"].(map[string]any); ok {
		nc.Fields = f
	}
	if _, ok := x.Params["object-ids"]; ok {
		nc.ObjectIDs = x.strs("object-ids")
	} else {
		nc.ObjectIDs = triggerObjects(x.Run)
	}
	if q := x.str("case-queue-id"); q != "" {
		nc.QueueID = &q
	}
	if n, ok := asInt(x.Params["sla-expires-in-seconds"]); ok { // null or absent: the template's SLA
		nc.SLAExpiresInSecond = &n
	}
	c, err := x.Store.CreateCase(ctx, x.Actor, nc)
	if err != nil {
		return nil, err
	}
	return Snapshot(c), nil
}

// triggerObjects are what a created case gathers by default: the trigger object if a case
// can hold it, and its account.
func triggerObjects(r *docket.WorkflowRun) []string {
	var ids []string
	if _, ok := docket.KindOf(r.Trigger.ObjectID); ok {
		ids = append(ids, r.Trigger.ObjectID)
		if acc := accountOf(r); acc != "" && !slices.Contains(ids, acc) {
			ids = append(ids, acc)
		}
	}
	return ids
}

func accountOf(r *docket.WorkflowRun) string {
	obj := map[string]any{}
	if err := decode(r.Trigger.Object, &obj); err != nil {
		return ""
	}
	id, _ := obj["account-id"].(string)
	return id
}

func setCaseSLA(ctx context.Context, x *Exec) (any, error) {
	var secs *int64 // null clears the SLA
	if n, ok := asInt(x.Params["expires-in-seconds"]); ok {
		secs = &n
	}
	return x.onCase(ctx, func(id string) (*docket.Case, error) {
		return x.Store.UpdateCase(ctx, x.Actor, id, docket.CaseUpdate{SLA: &secs, SetSLA: true})
	})
}

func addCaseToQueue(ctx context.Context, x *Exec) (any, error) {
	q := x.str("case-queue-id")
	qp := &q
	return x.onCase(ctx, func(id string) (*docket.Case, error) {
		return x.Store.UpdateCase(ctx, x.Actor, id, docket.CaseUpdate{QueueID: &qp, SetQueue: true})
	})
}

// related lists the trigger's related objects of one kind: the trigger itself if it is
// one, else those attached to the trigger case.
func (x *Exec) related(kind docket.ObjectKind) []string {
	if x.Run.Trigger.ObjectType == kind.Type {
		return []string{x.Run.Trigger.ObjectID}
	}
	obj := map[string]any{}
	if err := decode(x.Run.Trigger.Object, &obj); err != nil {
		return nil
	}
	var ids []string
	list, _ := obj[kind.Plural].([]any)
	for _, o := range list {
		if m, ok := o.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// inquiries applies an inquiry action to the inquiry-id parameter, else to the trigger
// inquiry, else to every inquiry attached to the trigger case.
func (x *Exec) inquiries(ctx context.Context, action string) (any, error) {
	ids := x.strs("inquiry-id")
	if len(ids) == 0 {
		ids = x.related(docket.KindInquiry)
	}
	if len(ids) == 0 {
		return nil, x.fail("inquiry-id", "no inquiry-id given, and the trigger has no inquiry")
	}
	var comment *string
	if c := x.str("comment"); c != "" {
		comment = &c
	}
	var out []any
	for _, id := range ids {
		q, err := x.Store.InquiryAction(ctx, x.Actor, id, action, comment)
		if err != nil {
			return nil, fmt.Errorf("inquiry %s: %w", id, err)
		}
		out = append(out, Snapshot(q))
	}
	return map[string]any{"inquiries": out}, nil
}

func setTransactionStatus(ctx context.Context, x *Exec) (any, error) {
	ids := x.strs("transaction-id")
	if len(ids) == 0 {
		ids = x.related(docket.KindTransaction)
	}
	if len(ids) == 0 {
		return nil, x.fail("transaction-id", "no transaction-id given, and the trigger has no transaction")
	}
	status := x.str("status")
	var out []any
	for _, id := range ids {
		t, err := x.Store.UpdateTransaction(ctx, x.Actor, id, docket.TransactionUpdate{Status: &status})
		if err != nil {
			return nil, fmt.Errorf("transaction %s: %w", id, err)
		}
		out = append(out, Snapshot(t))
	}
	return map[string]any{"transactions": out}, nil
}

func tagObject(ctx context.Context, x *Exec) (any, error) {
	id := x.str("object-id")
	if id == "" {
		id = x.Run.Trigger.ObjectID
	}
	tags := x.strs("tags")
	union := func(old []string) *[]string {
		out := slices.Clone(old)
		for _, t := range tags {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		return &out
	}
	var obj any
	var err error
	switch docket.IDPrefix(id) {
	case docket.PrefixCase:
		obj, err = x.Store.ChangeCaseTags(ctx, x.Actor, id, "add", tags)
	case docket.PrefixInquiry:
		var q *docket.Inquiry
		if q, err = x.Store.FindInquiry(ctx, id); err == nil {
			obj, err = x.Store.UpdateInquiry(ctx, x.Actor, id, docket.InquiryUpdate{Tags: union(q.Tags)})
		}
	case docket.PrefixTransaction:
		var t *docket.Transaction
		if t, err = x.Store.FindTransaction(ctx, id); err == nil {
			obj, err = x.Store.UpdateTransaction(ctx, x.Actor, id, docket.TransactionUpdate{Tags: union(t.Tags)})
		}
	case docket.PrefixAccount:
		var a *docket.Account
		if a, err = x.Store.FindAccount(ctx, id); err == nil {
			obj, err = x.Store.UpdateAccount(ctx, x.Actor, id, docket.AccountUpdate{Tags: union(a.Tags)})
		}
	default:
		return nil, x.fail("object-id", "%q is not a case, inquiry, transaction or account id", id)
	}
	if err != nil {
		return nil, fmt.Errorf("tag %s: %w", id, err)
	}
	return Snapshot(obj), nil
}

func createReport(ctx context.Context, x *Exec) (any, error) {
	n := docket.NewReport{Type: x.str("report-type"), Tags: x.strs("tags")}
	opt := func(name string) *string {
		if s := x.str(name); s != "" {
			return &s
		}
		return nil
	}
	n.AccountID, n.InquiryID, n.ReferenceID = opt("account-id"), opt("inquiry-id"), opt("reference-id")
	if n.AccountID == nil && n.ReferenceID == nil {
		if acc := x.related(docket.KindAccount); len(acc) > 0 {
			n.AccountID = &acc[0]
		} else if acc := accountOf(x.Run); acc != "" {
			n.AccountID = &acc
		}
	}
	r, err := x.Store.CreateReport(ctx, x.Actor, n)
	if err != nil {
		return nil, err
	}
	// The report joins the run's case (the case-id parameter, the case created, or the
	// trigger case), if there is one.
	if caseID, err := x.caseID(); err == nil {
		if _, err := x.Store.AddCaseObjects(ctx, x.Actor, caseID, []string{r.ID}); err != nil {
			return nil, fmt.Errorf("attach report to case %s: %w", caseID, err)
		}
	}
	return Snapshot(r), nil
}

func sendEmail(ctx context.Context, x *Exec) (any, error) {
	to := strings.TrimSpace(x.str("to"))
	if !docket.ValidEmail(to) {
		return nil, x.fail("to", "%q is not an email address", to)
	}
	caseID, _ := x.caseID()
	id, err := x.Store.QueueEmail(ctx, to, x.str("subject"), x.str("body"), caseID)
	if err != nil {
		return nil, err
	}
	// The notification's id ties the mail to the run: a redaction that erases the run's
	// data erases the mail's text too.
	return map[string]any{"to": to, "subject": x.str("subject"), "notification-id": id}, nil
}
