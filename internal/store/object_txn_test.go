package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestObjectTxnTypeCreate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tt := &docket.TransactionType{Name: "Alert"}
		if err := s.CreateTransactionType(objCtx, apiActor, tt); err != nil {
			t.Fatal(err)
		}
		got := objOK[*docket.TransactionType](t)(s.FindTransactionType(objCtx, tt.ID))
		if !docket.ValidID(docket.PrefixTxnType, got.ID) || got.Name != "Alert" || got.FieldSchemas == nil || len(got.FieldSchemas) != 0 ||
			!slices.Equal(got.Statuses, []string{"created", "needs_review", "approved", "declined"}) {
			t.Fatalf("stored type: %+v", got)
		}
		objWantNames(t, "events", objEventNames(t, s, tt.ID), docket.EventTxnTypeCreated)

		field := func(key, typ string) []docket.FieldSchema { return []docket.FieldSchema{{Key: key, Type: typ}} }
		tests := []struct {
			name  string
			tt    docket.TransactionType
			field string
		}{
			{"no name", docket.TransactionType{Name: " "}, "name"},
			{"long name", docket.TransactionType{Name: strings.Repeat("n", 201)}, "name"},
			{"duplicate status", docket.TransactionType{Name: "x", Statuses: []string{"open", "open"}}, "statuses[1]"},
			{"blank status", docket.TransactionType{Name: "x", Statuses: []string{" "}}, "statuses[0]"},
			{"padded status", docket.TransactionType{Name: "x", Statuses: []string{"ok", " open"}}, "statuses[1]"},
			{"bad field key", docket.TransactionType{Name: "x", FieldSchemas: field("9lives", docket.FieldString)}, "field-schemas[0].key"},
			{"unknown field type", docket.TransactionType{Name: "x", FieldSchemas: field("amount", "money")}, "field-schemas[0].type"},
			{"choices without options", docket.TransactionType{Name: "x", FieldSchemas: field("currency", docket.FieldChoices)}, "field-schemas[0].config.options"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				objWantErr(t, s.CreateTransactionType(objCtx, apiActor, &tc.tt), docket.EInvalid, tc.field)
			})
		}
		if l, _, err := s.ListTransactionTypes(objCtx, docket.Page{Size: 10}); err != nil || len(l) != 1 {
			t.Fatalf("%d types after refused creates (%v), want 1", len(l), err)
		}
	})
}

func TestObjectTxnTypeStatuses(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tt := objTxnType(t, s)
		txn := objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: tt.ID,
			Fields: map[string]any{"amount": 5.0}, Status: "needs_review"}))
		tests := []struct {
			name     string
			statuses []string
			field    string // empty: allowed
		}{
			{"remove a held status", []string{"created", "approved", "declined"}, "statuses"},
			{"remove an unused status", []string{"created", "needs_review", "approved"}, ""},
			{"reorder and add", []string{"needs_review", "created", "escalated"}, ""},
			{"empty list", []string{}, "statuses"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := objOK[*docket.TransactionType](t)(s.FindTransactionType(objCtx, tt.ID))
				got, err := s.UpdateTransactionType(objCtx, apiActor, tt.ID, docket.TransactionTypeUpdate{Statuses: &tc.statuses})
				after := objOK[*docket.TransactionType](t)(s.FindTransactionType(objCtx, tt.ID))
				if tc.field != "" {
					objWantErr(t, err, docket.EInvalid, tc.field)
					if !slices.Equal(after.Statuses, before.Statuses) {
						t.Fatalf("refused update changed statuses to %q", after.Statuses)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got.Statuses, tc.statuses) || !slices.Equal(after.Statuses, tc.statuses) {
					t.Fatalf("statuses %q / %q, want %q", got.Statuses, after.Statuses, tc.statuses)
				}
			})
		}
		// Once no transaction holds it, the status may go.
		objOK[*docket.Transaction](t)(s.UpdateTransaction(objCtx, apiActor, txn.ID, docket.TransactionUpdate{Status: objPtr("escalated")}))
		keep := []string{"created", "escalated"}
		objOK[*docket.TransactionType](t)(s.UpdateTransactionType(objCtx, apiActor, tt.ID, docket.TransactionTypeUpdate{
			Name: objPtr("Payment v2"), Statuses: &keep}))
		got := objOK[*docket.TransactionType](t)(s.FindTransactionType(objCtx, tt.ID))
		if got.Name != "Payment v2" || !slices.Equal(got.Statuses, keep) || len(got.FieldSchemas) != 2 {
			t.Fatalf("type after update: %+v", got)
		}
		_, err := s.UpdateTransactionType(objCtx, apiActor, docket.NewID(docket.PrefixTxnType), docket.TransactionTypeUpdate{})
		objWantErr(t, err, docket.ENotFound, "")
	})
}

func TestObjectTxnCreate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tt := objTxnType(t, s)
		custom := objTxnType(t, s, "open", "closed")
		txn := objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: tt.ID,
			ReferenceID: objPtr("cust-9"), Fields: map[string]any{"amount": 12.5, "currency": "EUR"}, Tags: []string{"wire"}}))
		got := objOK[*docket.Transaction](t)(s.FindTransaction(objCtx, txn.ID))
		accts := objAccounts(t, s, "cust-9")
		if !docket.ValidID(docket.PrefixTransaction, got.ID) || got.Status != "created" || got.TypeID != tt.ID ||
			objJSON(t, got.Fields) != `{"amount":12.5,"currency":"EUR"}` || len(accts) != 1 || got.AccountID == nil || *got.AccountID != accts[0].ID {
			t.Fatalf("stored transaction: %+v (accounts %+v)", got, accts)
		}
		objWantNames(t, "events", objEventNames(t, s, txn.ID), docket.EventTransactionCreated)
		if x := objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: custom.ID,
			Fields: map[string]any{"amount": 1}, Status: "closed"})); x.Status != "closed" || x.AccountID != nil {
			t.Fatalf("transaction with a status: %+v", x)
		}

		tests := []struct {
			name  string
			n     docket.NewTransaction
			field string
		}{
			{"missing required field", docket.NewTransaction{TypeID: tt.ID, Fields: map[string]any{"currency": "USD"}}, "fields.amount"},
			{"wrong field type", docket.NewTransaction{TypeID: tt.ID, Fields: map[string]any{"amount": "lots"}}, "fields.amount"},
			{"null required field", docket.NewTransaction{TypeID: tt.ID, Fields: map[string]any{"amount": nil}}, "fields.amount"},
			{"not a choice", docket.NewTransaction{TypeID: tt.ID, Fields: map[string]any{"amount": 1, "currency": "BTC"}}, "fields.currency"},
			{"undeclared field", docket.NewTransaction{TypeID: tt.ID, Fields: map[string]any{"amount": 1, "extra": true}}, "fields.extra"},
			{"unknown type", docket.NewTransaction{TypeID: docket.NewID(docket.PrefixTxnType), Fields: map[string]any{"amount": 1}}, "transaction-type-id"},
			{"status of another type", docket.NewTransaction{TypeID: custom.ID, Fields: map[string]any{"amount": 1}, Status: "created"}, "status"},
			{"empty tag", docket.NewTransaction{TypeID: tt.ID, Fields: map[string]any{"amount": 1}, Tags: []string{""}}, "tags[0]"},
			{"blank reference", docket.NewTransaction{TypeID: tt.ID, Fields: map[string]any{"amount": 1}, ReferenceID: objPtr("")}, "reference-id"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := len(objEvents(t, s, docket.EventFilter{}))
				_, err := s.CreateTransaction(objCtx, apiActor, tc.n)
				objWantErr(t, err, docket.EInvalid, tc.field)
				if after := len(objEvents(t, s, docket.EventFilter{})); after != before {
					t.Fatalf("refused create wrote %d events", after-before)
				}
			})
		}
	})
}

func TestObjectTxnUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		u            docket.TransactionUpdate
		code, field  string
		events       []string
		status, json string // expected status and fields after
	}{
		{name: "fields", u: docket.TransactionUpdate{Fields: map[string]any{"amount": 20}},
			events: []string{docket.EventTransactionFields}, status: "created", json: `{"amount":20,"currency":"USD"}`},
		{name: "remove optional field", u: docket.TransactionUpdate{Fields: map[string]any{"currency": nil}},
			events: []string{docket.EventTransactionFields}, status: "created", json: `{"amount":10}`},
		{name: "status", u: docket.TransactionUpdate{Status: objPtr("approved")},
			events: []string{docket.EventTransactionStatus}, status: "approved", json: `{"amount":10,"currency":"USD"}`},
		{name: "fields and status", u: docket.TransactionUpdate{Fields: map[string]any{"currency": "EUR"}, Status: objPtr("declined")},
			events: []string{docket.EventTransactionFields, docket.EventTransactionStatus}, status: "declined", json: `{"amount":10,"currency":"EUR"}`},
		{name: "same status is no change", u: docket.TransactionUpdate{Status: objPtr("created")}, status: "created", json: `{"amount":10,"currency":"USD"}`},
		{name: "tags", u: docket.TransactionUpdate{Tags: &[]string{"x"}}, events: []string{docket.EventTransactionTags},
			status: "created", json: `{"amount":10,"currency":"USD"}`},
		{name: "unknown status", u: docket.TransactionUpdate{Status: objPtr("lost")}, code: docket.EInvalid, field: "status"},
		{name: "bad field", u: docket.TransactionUpdate{Fields: map[string]any{"amount": "ten"}}, code: docket.EInvalid, field: "fields.amount"},
		{name: "null required field", u: docket.TransactionUpdate{Fields: map[string]any{"amount": nil}}, code: docket.EInvalid, field: "fields.amount"},
		{name: "bad field with good status", u: docket.TransactionUpdate{Fields: map[string]any{"nope": 1}, Status: objPtr("approved")},
			code: docket.EInvalid, field: "fields.nope"},
	}
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		tt := objTxnType(t, s)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				txn := objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: tt.ID,
					Fields: map[string]any{"amount": 10, "currency": "USD"}}))
				created := txn.UpdatedAt
				at := clock.Add(time.Second)
				_, err := s.UpdateTransaction(objCtx, apiActor, txn.ID, tc.u)
				got := objOK[*docket.Transaction](t)(s.FindTransaction(objCtx, txn.ID))
				if tc.code != "" {
					objWantErr(t, err, tc.code, tc.field)
					if objJSON(t, got) != objJSON(t, txn) {
						t.Fatalf("refused update changed the transaction: %s", objJSON(t, got))
					}
					objWantNames(t, "events", objEventNames(t, s, txn.ID), docket.EventTransactionCreated)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != tc.status || objJSON(t, got.Fields) != tc.json {
					t.Fatalf("after update: %s %s, want %s %s", got.Status, objJSON(t, got.Fields), tc.status, tc.json)
				}
				want := created
				if len(tc.events) > 0 {
					want = at
				}
				if !got.UpdatedAt.Equal(want) {
					t.Fatalf("updated-at %v, want %v", got.UpdatedAt, want)
				}
				objWantNames(t, "events", objEventNames(t, s, txn.ID), append([]string{docket.EventTransactionCreated}, tc.events...)...)
			})
		}
		_, err := s.UpdateTransaction(objCtx, apiActor, docket.NewID(docket.PrefixTransaction), docket.TransactionUpdate{})
		objWantErr(t, err, docket.ENotFound, "")
	})
}

func TestObjectTxnList(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := objUseClock(s)
		a, b := objTxnType(t, s), objTxnType(t, s)
		mk := func(typ *docket.TransactionType, ref string) *docket.Transaction {
			clock.Add(time.Minute)
			n := docket.NewTransaction{TypeID: typ.ID, Fields: map[string]any{"amount": 1}}
			if ref != "" {
				n.ReferenceID = &ref
			}
			return objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, n))
		}
		t1, t2, t3, t4 := mk(a, "r1"), mk(b, "r1"), mk(a, "r2"), mk(a, "")
		objOK[*docket.Transaction](t)(s.UpdateTransaction(objCtx, apiActor, t3.ID, docket.TransactionUpdate{Status: objPtr("approved")}))
		ids := func(l []*docket.Transaction) []string {
			var out []string
			for _, x := range l {
				out = append(out, x.ID)
			}
			return out
		}
		tests := []struct {
			name string
			f    docket.TransactionFilter
			want []string
		}{
			{"all newest first", docket.TransactionFilter{}, []string{t4.ID, t3.ID, t2.ID, t1.ID}},
			{"type", docket.TransactionFilter{TypeID: a.ID}, []string{t4.ID, t3.ID, t1.ID}},
			{"reference", docket.TransactionFilter{ReferenceID: "r1"}, []string{t2.ID, t1.ID}},
			{"account", docket.TransactionFilter{AccountID: *t3.AccountID}, []string{t3.ID}},
			{"status", docket.TransactionFilter{Status: "approved"}, []string{t3.ID}},
			{"created range", docket.TransactionFilter{CreatedAtStart: &t2.CreatedAt, CreatedAtEnd: &t3.CreatedAt}, []string{t3.ID, t2.ID}},
			{"type and reference", docket.TransactionFilter{TypeID: b.ID, ReferenceID: "r2"}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tc.f.Page = docket.Page{Size: 10}
				l, _, err := s.ListTransactions(objCtx, tc.f)
				if err != nil || !slices.Equal(ids(l), tc.want) {
					t.Fatalf("got %q (%v), want %q", ids(l), err, tc.want)
				}
			})
		}
		if l := objOK[[]*docket.Transaction](t)(s.FindTransactions(objCtx, []string{t1.ID, t4.ID, docket.NewID(docket.PrefixTransaction)})); len(l) != 2 {
			t.Fatalf("FindTransactions found %d, want 2", len(l))
		}
	})
}

func TestObjectTxnRedact(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tt := objTxnType(t, s)
		txn := objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: tt.ID,
			ReferenceID: objPtr("secret-ref"), Fields: map[string]any{"amount": 99.5}, Tags: []string{"secret-tag"}}))
		objOK[*docket.Transaction](t)(s.UpdateTransaction(objCtx, apiActor, txn.ID, docket.TransactionUpdate{Status: objPtr("approved")}))
		r := objOK[*docket.Transaction](t)(s.RedactTransaction(objCtx, apiActor, txn.ID))
		for _, x := range []*docket.Transaction{r, objOK[*docket.Transaction](t)(s.FindTransaction(objCtx, txn.ID))} {
			if x.RedactedAt == nil || x.ReferenceID != nil || len(x.Fields) != 0 || len(x.Tags) != 0 || x.Status != "approved" {
				t.Fatalf("redacted transaction: %+v", x)
			}
		}
		objWantNames(t, "events", objEventNames(t, s, txn.ID), docket.EventTransactionCreated, docket.EventTransactionStatus, docket.EventTransactionRedacted)
		for _, e := range objEvents(t, s, docket.EventFilter{ObjectID: txn.ID}) {
			if strings.Contains(string(e.Object), "secret") || strings.Contains(string(e.Object), "99.5") {
				t.Errorf("event %s still holds personal data: %s", e.Name, e.Object)
			}
		}
		_, err := s.UpdateTransaction(objCtx, apiActor, txn.ID, docket.TransactionUpdate{Status: objPtr("declined")})
		objWantErr(t, err, docket.EConflict, "")
		if again := objOK[*docket.Transaction](t)(s.RedactTransaction(objCtx, apiActor, txn.ID)); !again.RedactedAt.Equal(*r.RedactedAt) {
			t.Fatalf("second redaction moved redacted-at")
		}
	})
}
