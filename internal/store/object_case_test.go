package store_test

import (
	"slices"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// objCaseIDs lists the ids of the cases matching f, newest first.
func objCaseIDs(t testing.TB, s *store.Store, f docket.CaseFilter) []string {
	t.Helper()
	f.Page = docket.Page{Size: docket.MaxPageSize}
	l, _, err := s.ListCases(objCtx, f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range l {
		out = append(out, c.ID)
	}
	return out
}

func TestObjectCaseAttach(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := objTemplate(t, s, "OBJ")
		acct := &docket.Account{ReferenceID: objPtr("cust-1")}
		if err := s.CreateAccount(objCtx, apiActor, acct); err != nil {
			t.Fatal(err)
		}
		q := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{ReferenceID: objPtr("cust-1")}))
		rep := objOK[*docket.Report](t)(s.CreateReport(objCtx, apiActor, docket.NewReport{Type: "report/watchlist", InquiryID: &q.ID}))
		txn := objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: objTxnType(t, s).ID,
			ReferenceID: objPtr("cust-1"), Fields: map[string]any{"amount": 3}}))
		ids := []string{txn.ID, rep.ID, q.ID, acct.ID}
		c := objOK[*docket.Case](t)(s.CreateCase(objCtx, apiActor, docket.NewCase{TemplateID: tm.ID, ObjectIDs: ids}))
		got := objOK[*docket.Case](t)(s.FindCase(objCtx, c.ID))
		want := slices.Sorted(slices.Values(ids))
		if !slices.Equal(c.ObjectIDs, want) || !slices.Equal(got.ObjectIDs, want) {
			t.Fatalf("object ids %q / %q, want %q", c.ObjectIDs, got.ObjectIDs, want)
		}
		for _, id := range ids {
			if cs := objOK[[]string](t)(s.ObjectCaseIDs(objCtx, id)); !slices.Equal(cs, []string{c.ID}) {
				t.Errorf("cases of %s: %q", id, cs)
			}
		}
		events := len(objEvents(t, s, docket.EventFilter{}))

		missing := func(prefix string) string { return docket.NewID(prefix) }
		tests := []struct {
			name  string
			ids   []string
			field string
		}{
			{"unknown account", []string{acct.ID, missing(docket.PrefixAccount)}, "object-ids[1]"},
			{"unknown inquiry", []string{missing(docket.PrefixInquiry)}, "object-ids[0]"},
			{"unknown report", []string{q.ID, rep.ID, missing(docket.PrefixReport)}, "object-ids[2]"},
			{"unknown transaction", []string{missing(docket.PrefixTransaction), txn.ID}, "object-ids[0]"},
			{"not attachable", []string{acct.ID, c.ID}, "object-ids[1]"},
			{"malformed", []string{"act_nope"}, "object-ids[0]"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateCase(objCtx, apiActor, docket.NewCase{TemplateID: tm.ID, ObjectIDs: tc.ids})
				objWantErr(t, err, docket.EInvalid, tc.field)
				if n := len(objCaseIDs(t, s, docket.CaseFilter{})); n != 1 {
					t.Fatalf("%d cases after a refused create, want 1", n)
				}
				if n := len(objEvents(t, s, docket.EventFilter{})); n != events {
					t.Fatalf("refused create wrote %d events", n-events)
				}
			})
		}
		if cs := objOK[[]string](t)(s.ObjectCaseIDs(objCtx, acct.ID)); len(cs) != 1 {
			t.Fatalf("refused creates attached the account to %d cases", len(cs))
		}
		// Refused creates used no case number.
		next := objOK[*docket.Case](t)(s.CreateCase(objCtx, apiActor, docket.NewCase{TemplateID: tm.ID}))
		if next.Name != "OBJ-2" {
			t.Fatalf("next case is %s, want OBJ-2", next.Name)
		}
	})
}

func TestObjectCaseFilters(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := objTemplate(t, s, "FLT")
		mkCase := func(ids ...string) string {
			return objOK[*docket.Case](t)(s.CreateCase(objCtx, apiActor, docket.NewCase{TemplateID: tm.ID, ObjectIDs: ids})).ID
		}
		acct := &docket.Account{ReferenceID: objPtr("ref-acct")}
		other := &docket.Account{ReferenceID: objPtr("ref-other")}
		for _, a := range []*docket.Account{acct, other} {
			if err := s.CreateAccount(objCtx, apiActor, a); err != nil {
				t.Fatal(err)
			}
		}
		// The inquiry's and the transaction's reference ids name accounts that are not
		// attached, so that the reference filter must look at them directly.
		q := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{ReferenceID: objPtr("ref-inq")}))
		txn := objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor, docket.NewTransaction{TypeID: objTxnType(t, s).ID,
			ReferenceID: objPtr("ref-txn"), Fields: map[string]any{"amount": 3}}))
		rep := objOK[*docket.Report](t)(s.CreateReport(objCtx, apiActor, docket.NewReport{Type: "report/watchlist"}))

		cAcct := mkCase(acct.ID)
		cInq := mkCase(q.ID)
		cTxn := mkCase(txn.ID)
		cRep := mkCase(rep.ID, other.ID)
		cNone := mkCase()
		cBoth := mkCase(acct.ID, txn.ID)

		tests := []struct {
			name string
			f    docket.CaseFilter
			want []string
		}{
			{"account", docket.CaseFilter{AccountID: acct.ID}, []string{cBoth, cAcct}},
			{"inquiry", docket.CaseFilter{InquiryID: q.ID}, []string{cInq}},
			{"transaction", docket.CaseFilter{TransactionID: txn.ID}, []string{cBoth, cTxn}},
			{"report", docket.CaseFilter{ReportID: rep.ID}, []string{cRep}},
			{"reference via account", docket.CaseFilter{ReferenceID: "ref-acct"}, []string{cBoth, cAcct}},
			{"reference via inquiry", docket.CaseFilter{ReferenceID: "ref-inq"}, []string{cInq}},
			{"reference via transaction", docket.CaseFilter{ReferenceID: "ref-txn"}, []string{cBoth, cTxn}},
			{"unknown reference", docket.CaseFilter{ReferenceID: "ref-nobody"}, nil},
			{"account and transaction", docket.CaseFilter{AccountID: acct.ID, TransactionID: txn.ID}, []string{cBoth}},
			{"account of another case", docket.CaseFilter{AccountID: other.ID, ReportID: rep.ID}, []string{cRep}},
			{"no filter", docket.CaseFilter{}, []string{cBoth, cNone, cRep, cTxn, cInq, cAcct}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if got := objCaseIDs(t, s, tc.f); !slices.Equal(got, tc.want) {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			})
		}
		if got := objOK[[]string](t)(s.ObjectCaseIDs(objCtx, acct.ID)); !slices.Equal(got, []string{cBoth, cAcct}) {
			t.Fatalf("cases of the account: %q", got)
		}
		if got := objOK[[]string](t)(s.ObjectCaseIDs(objCtx, docket.NewID(docket.PrefixAccount))); got == nil || len(got) != 0 {
			t.Fatalf("cases of an unknown account: %#v, want an empty list", got)
		}
	})
}

func TestObjectRelatedCases(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := objTemplate(t, s, "REL")
		mkCase := func(ids ...string) string {
			return objOK[*docket.Case](t)(s.CreateCase(objCtx, apiActor, docket.NewCase{TemplateID: tm.ID, ObjectIDs: ids})).ID
		}
		a, b := &docket.Account{ReferenceID: objPtr("a")}, &docket.Account{ReferenceID: objPtr("b")}
		for _, x := range []*docket.Account{a, b} {
			if err := s.CreateAccount(objCtx, apiActor, x); err != nil {
				t.Fatal(err)
			}
		}
		q := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{}))
		c1 := mkCase(a.ID, q.ID)
		c2 := mkCase(a.ID, b.ID)
		c3 := mkCase(b.ID)
		c4 := mkCase(q.ID)
		lone := mkCase()
		tests := []struct {
			name, id string
			want     []string
		}{
			{"shares a", c1, []string{c2}},
			{"shares a and b", c2, []string{c3, c1}},
			{"shares b", c3, []string{c2}},
			{"shares only an inquiry", c4, nil},
			{"no objects", lone, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				d := objOK[*docket.CaseDetail](t)(s.FindCaseDetail(objCtx, tc.id, docket.CaseDetailOptions{RelatedCases: true}))
				got := []string{}
				for _, c := range d.RelatedCases {
					got = append(got, c.ID)
				}
				if got == nil || !slices.Equal(got, tc.want) || slices.Contains(got, tc.id) {
					t.Fatalf("related cases %q, want %q", got, tc.want)
				}
			})
		}
	})
}
