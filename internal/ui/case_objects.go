package ui

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// objectsView is what the case page shows of the objects attached to the case: each
// with its key facts, read from the case detail read model.
type objectsView struct {
	Accounts     []accountView
	Inquiries    []inquiryView
	Reports      []reportView
	Transactions []txnView
	// Add is what the add form holds (after a refusal).
	Add string
}

// Count is the number of objects shown.
func (o objectsView) Count() int {
	return len(o.Accounts) + len(o.Inquiries) + len(o.Reports) + len(o.Transactions)
}

type accountView struct {
	*docket.Account
	Identity []fact
	Fields   []fact
}

type inquiryView struct {
	*docket.Inquiry
	Status   string
	Identity []fact
	Fields   []fact
}

type reportView struct {
	*docket.Report
	Kind   string
	Result string
	// Matches are a screening report's matched list entries (issue 18), best first.
	Matches []matchView
}

// matchView is one matched list entry as the case page shows it.
type matchView struct {
	Name, Matched, List, EntryID, Score string
}

// screeningMatches reads the matches a screening stored in a report's result.
func screeningMatches(r *docket.Report) []matchView {
	raw, _ := r.Result["matches"].([]any)
	var out []matchView
	for _, m := range raw {
		mm, _ := m.(map[string]any)
		entry, _ := mm["entry"].(map[string]any)
		if entry == nil {
			continue // a result pushed in by a vendor, shown as it is below
		}
		out = append(out, matchView{Name: formatValue(entry["name"]), Matched: formatValue(mm["matched-name"]),
			List: formatValue(mm["watchlist-name"]), EntryID: formatValue(entry["id"]), Score: formatValue(mm["score"])})
	}
	return out
}

type txnView struct {
	*docket.Transaction
	Amount, Currency string
	Fields           []fact
}

// fact is one labelled value of an object.
type fact struct{ Key, Value string }

// facts lists an object's fields by key, leaving out those shown on their own.
func facts(fields map[string]any, skip ...string) []fact {
	var out []fact
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !slices.Contains(skip, k) {
			out = append(out, fact{Key: k, Value: formatValue(fields[k])})
		}
	}
	return out
}

// objectViews shows the case detail's objects to p (identities as p may see them).
func objectViews(d *docket.CaseDetail, v *View, p docket.Principal) objectsView {
	o := objectsView{Add: v.Form["object-ids"]}
	for _, a := range d.Accounts {
		o.Accounts = append(o.Accounts, accountView{Account: a, Identity: identityFacts(p, a.Identity), Fields: facts(a.Fields)})
	}
	for _, q := range d.Inquiries {
		o.Inquiries = append(o.Inquiries, inquiryView{Inquiry: q, Status: strings.ReplaceAll(q.Status, "_", " "),
			Identity: identityFacts(p, q.Identity), Fields: facts(q.Fields)})
	}
	for _, rep := range d.Reports {
		res := ""
		if len(rep.Result) > 0 {
			res = formatValue(rep.Result)
		}
		o.Reports = append(o.Reports, reportView{Report: rep, Kind: strings.TrimPrefix(rep.Type, "report/"), Result: res,
			Matches: screeningMatches(rep)})
	}
	for _, t := range d.Transactions {
		o.Transactions = append(o.Transactions, txnView{Transaction: t, Amount: formatValue(t.Fields["amount"]),
			Currency: formatValue(t.Fields["currency"]), Fields: facts(t.Fields, "amount", "currency")})
	}
	return o
}

// caseObjects serves POST /cases/{id}/objects/add and /remove: add takes one or more
// ids (separated by spaces, commas or lines), remove takes the one id of its button.
func (h *Handler) caseObjects(add bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		cc, err := h.caseFor(r)
		if err != nil {
			return err
		}
		if err := cc.need(docket.PermWorkCases); err != nil {
			return err
		}
		raw := r.PostFormValue("object-ids")
		ids := strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
		form := map[string]string{"object-ids": raw}
		if len(ids) == 0 {
			return h.renderCase(w, r, cc, http.StatusUnprocessableEntity, &View{Form: form,
				Errors: map[string]string{"object-ids": "Enter the id of an account, inquiry, report or transaction."}})
		}
		var c *docket.Case
		if add {
			c, err = h.store.AddCaseObjects(r.Context(), cc.p.Actor(), cc.c.ID, ids)
		} else {
			c, err = h.store.RemoveCaseObjects(r.Context(), cc.p.Actor(), cc.c.ID, ids)
			form = nil // the remove buttons have nothing to keep
		}
		if err != nil {
			return h.caseRefused(w, r, cc, err, "objects-form", form, map[string]string{"object-ids": "object-ids"})
		}
		n := len(c.ObjectIDs) - len(cc.c.ObjectIDs)
		msg := fmt.Sprintf("Attached %d %s.", n, plural(n, "object", "objects"))
		switch {
		case !add:
			msg = fmt.Sprintf("Detached %d %s.", -n, plural(-n, "object", "objects"))
		case n == 0:
			msg = "Nothing to attach: the case holds these objects already."
		}
		return h.caseDone(w, r, c.ID, msg, nil, "#objects")
	}
}
