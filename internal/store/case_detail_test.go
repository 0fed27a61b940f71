package store_test

import (
	"slices"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// detailIDs returns the ids of items.
func detailIDs[T any](items []T, id func(T) string) []string {
	if items == nil {
		return nil
	}
	out := []string{}
	for _, x := range items {
		out = append(out, id(x))
	}
	return out
}

// detailParts returns a detail's parts as id lists, by option name; a part not loaded is nil.
func detailParts(d *docket.CaseDetail) map[string][]string {
	one := func(id string, ok bool) []string {
		if !ok {
			return nil
		}
		return []string{id}
	}
	parts := map[string][]string{
		"accounts":     detailIDs(d.Accounts, func(a *docket.Account) string { return a.ID }),
		"inquiries":    detailIDs(d.Inquiries, func(q *docket.Inquiry) string { return q.ID }),
		"reports":      detailIDs(d.Reports, func(r *docket.Report) string { return r.ID }),
		"transactions": detailIDs(d.Transactions, func(t *docket.Transaction) string { return t.ID }),
		"comments":     detailIDs(d.Comments, func(c *docket.Comment) string { return c.ID }),
		"related":      detailIDs(d.RelatedCases, func(c *docket.Case) string { return c.ID }),
	}
	if d.Template != nil {
		parts["template"] = one(d.Template.ID, true)
	}
	if d.Assignee != nil {
		parts["assignee"] = one(d.Assignee.ID, true)
	}
	return parts
}

func TestCaseDetail(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := objTemplate(t, s, "DET")
		u := &docket.User{Email: "ann@example.com", Name: "Ann", Available: true}
		if err := s.CreateUser(objCtx, apiActor, u); err != nil {
			t.Fatal(err)
		}
		a1, a2 := &docket.Account{ReferenceID: objPtr("a")}, &docket.Account{ReferenceID: objPtr("b")}
		for _, a := range []*docket.Account{a1, a2} {
			if err := s.CreateAccount(objCtx, apiActor, a); err != nil {
				t.Fatal(err)
			}
		}
		q1 := objOK[*docket.Inquiry](t)(s.CreateInquiry(objCtx, apiActor, docket.NewInquiry{ReferenceID: objPtr("a")}))
		r1 := objOK[*docket.Report](t)(s.CreateReport(objCtx, apiActor, docket.NewReport{Type: "report/watchlist", ReferenceID: objPtr("a")}))
		tt := objTxnType(t, s)
		newTxn := func() string {
			return objOK[*docket.Transaction](t)(s.CreateTransaction(objCtx, apiActor,
				docket.NewTransaction{TypeID: tt.ID, ReferenceID: objPtr("a"), Fields: map[string]any{"amount": 1.5}})).ID
		}
		t1, t2 := newTxn(), newTxn()
		newCase := func(ids ...string) string {
			return objOK[*docket.Case](t)(s.CreateCase(objCtx, apiActor, docket.NewCase{TemplateID: tm.ID, ObjectIDs: ids})).ID
		}
		// c1 gets its objects out of id order, in three writes: each kind keeps the case's order.
		c1 := newCase(a2.ID)
		objOK[*docket.Case](t)(s.AddCaseObjects(objCtx, apiActor, c1, []string{t2, a1.ID, q1.ID}))
		objOK[*docket.Case](t)(s.AddCaseObjects(objCtx, apiActor, c1, []string{r1.ID, t1}))
		cm1 := objOK[*docket.Comment](t)(s.AddComment(objCtx, apiActor, c1, "first")).ID
		cm2 := objOK[*docket.Comment](t)(s.AddComment(objCtx, apiActor, c1, "second")).ID
		objOK[*docket.Case](t)(s.AssignCase(objCtx, apiActor, c1, u.Email))
		c2 := newCase(a1.ID)
		c3 := newCase(a2.ID, t1)
		lone := newCase()

		all := docket.CaseDetailOptions{Template: true, Assignee: true, Accounts: true, Inquiries: true, Reports: true,
			Transactions: true, Comments: true, RelatedCases: true}
		// Objects attached in one millisecond keep id order (case_objects sorts by time, then id),
		// so the expected order is read from the case rather than assumed from the calls.
		c1Case := objOK[*docket.Case](t)(s.FindCase(objCtx, c1))
		inCaseOrder := func(ids ...string) []string {
			return slices.DeleteFunc(slices.Clone(c1Case.ObjectIDs), func(id string) bool { return !slices.Contains(ids, id) })
		}
		full := map[string][]string{"template": {tm.ID}, "assignee": {u.ID}, "accounts": inCaseOrder(a2.ID, a1.ID), "inquiries": {q1.ID},
			"reports": {r1.ID}, "transactions": inCaseOrder(t2, t1), "comments": {cm1, cm2}, "related": {c3, c2}}
		tests := []struct {
			name string
			id   string
			o    docket.CaseDetailOptions
			want map[string][]string
		}{
			{"everything", c1, all, full},
			{"nothing", c1, docket.CaseDetailOptions{}, map[string][]string{}},
			{"some parts", c1, docket.CaseDetailOptions{Accounts: true, Comments: true},
				map[string][]string{"accounts": full["accounts"], "comments": full["comments"]}},
			{"empty parts are empty lists", lone, all, map[string][]string{"template": {tm.ID}, "accounts": {}, "inquiries": {},
				"reports": {}, "transactions": {}, "comments": {}, "related": {}}},
			{"related through a shared account", c3, docket.CaseDetailOptions{RelatedCases: true, Transactions: true},
				map[string][]string{"related": {c1}, "transactions": {t1}}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				d := objOK[*docket.CaseDetail](t)(s.FindCaseDetail(objCtx, tc.id, tc.o))
				if d.Case.ID != tc.id {
					t.Fatalf("detail of %s, want %s", d.Case.ID, tc.id)
				}
				got := detailParts(d)
				for _, part := range []string{"template", "assignee", "accounts", "inquiries", "reports", "transactions", "comments", "related"} {
					if g, w := got[part], tc.want[part]; (g == nil) != (w == nil) || !slices.Equal(g, w) {
						t.Errorf("%s: %q, want %q", part, g, w)
					}
				}
			})
		}

		// Every kind a case can hold is loaded: c1 holds one of each stored kind, and the
		// detail's lists hold all of them.
		d := objOK[*docket.CaseDetail](t)(s.FindCaseDetail(objCtx, c1, all))
		for _, k := range docket.ObjectKinds {
			if k.Stored() && !slices.ContainsFunc(d.Case.ObjectIDs, func(id string) bool { return docket.IDPrefix(id) == k.Prefix }) {
				t.Errorf("the test attaches no %s to its case: add one", k.Type)
			}
		}
		if n := len(d.Accounts) + len(d.Inquiries) + len(d.Reports) + len(d.Transactions); n != len(d.Case.ObjectIDs) {
			t.Errorf("detail holds %d of the case's %d objects", n, len(d.Case.ObjectIDs))
		}
		if d.Reports[0].Type != "report/watchlist" || len(d.RelatedCases[0].ObjectIDs) != 2 {
			t.Errorf("report %+v, related case %+v: want them whole", d.Reports[0], d.RelatedCases[0])
		}

		// Several cases at once: each gets its own parts.
		var cases []*docket.Case
		for _, id := range []string{c2, c1, lone} {
			cases = append(cases, objOK[*docket.Case](t)(s.FindCase(objCtx, id)))
		}
		details := objOK[[]*docket.CaseDetail](t)(s.CaseDetails(objCtx, cases,
			docket.CaseDetailOptions{Accounts: true, Assignee: true, RelatedCases: true}))
		for i, want := range []map[string][]string{
			{"accounts": {a1.ID}, "related": {c1}},
			{"accounts": full["accounts"], "assignee": {u.ID}, "related": {c3, c2}},
			{"accounts": {}, "related": {}},
		} {
			if details[i].Case != cases[i] {
				t.Fatalf("detail %d is of %s, want %s", i, details[i].Case.ID, cases[i].ID)
			}
			got := detailParts(details[i])
			for _, part := range []string{"accounts", "assignee", "related"} {
				if !slices.Equal(got[part], want[part]) || (got[part] == nil) != (want[part] == nil) {
					t.Errorf("case %s %s: %q, want %q", cases[i].ID, part, got[part], want[part])
				}
			}
		}

		if _, err := s.FindCaseDetail(objCtx, docket.NewID(docket.PrefixCase), all); docket.ErrorCode(err) != docket.ENotFound {
			t.Errorf("unknown case: %v, want not found", err)
		}
		if got := objOK[[]*docket.CaseDetail](t)(s.CaseDetails(objCtx, nil, all)); len(got) != 0 {
			t.Errorf("details of no cases: %v", got)
		}
	})
}
