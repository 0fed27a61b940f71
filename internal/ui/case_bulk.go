package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/docket-hq/docket"
)

// caseBulk applies one change to the cases selected on the case list, through
// docket.RunBulk (as the API's POST /cases/bulk does): each case in its own transaction,
// by the method that changes one case. Only those allowed bulk actions get here: anyone
// else, a forged form included, is refused before anything is read. The outcome comes
// back as a flash message on the list: "12 updated, 2 refused: KYC-3 (...)".
func (h *Handler) caseBulk(w http.ResponseWriter, r *http.Request) error {
	a, err := h.access(r)
	if err != nil {
		return err
	}
	p := a.P
	if !p.Can(docket.PermBulkActions) {
		return docket.Errorf(docket.EForbidden, "%s", p.Refusal(docket.PermBulkActions))
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	ret := caseListReturn(r.PostFormValue("return"))
	b := docket.BulkAction{Action: r.PostFormValue("action"), Status: r.PostFormValue("status"), Tag: r.PostFormValue("tag-name"),
		CaseIDs: r.PostForm["case-id"]}
	if r.PostFormValue("all-on-page") != "" {
		b.CaseIDs = r.PostForm["page-case-id"]
	}
	var results []docket.BulkResult
	err = caseBulkAssignee(&b, r.PostFormValue("assignee"))
	if err == nil {
		results, err = docket.RunBulk(r.Context(), h.store, p, a.Vis, b)
	}
	if field, msg := docket.ErrorField(err); msg != "" && docket.ErrorCode(err) == docket.EInvalid {
		return h.caseBulkRefused(w, r, ret, field, msg)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, r, secretFrom(r.Context()), caseBulkSummary(results, 10))
	http.Redirect(w, r, ret, http.StatusSeeOther)
	return nil
}

// caseBulkNobody is the assignee choice that unassigns the cases.
const caseBulkNobody = "nobody"

// caseBulkAssignee reads the assignee choice of an assign: a person's email address,
// or caseBulkNobody. No choice is refused rather than read as "nobody", so that a
// slip of the Enter key never unassigns a page of cases.
func caseBulkAssignee(b *docket.BulkAction, choice string) error {
	if b.Action != docket.BulkAssign {
		return nil
	}
	switch choice {
	case "":
		return docket.Invalid("assignee", "Choose who gets the cases.")
	case caseBulkNobody:
		b.UserEmail = ""
	default:
		b.UserEmail = choice
	}
	return nil
}

// caseBulkRefused shows the list again, as the form came from, with the message beside
// the bulk form.
func (h *Handler) caseBulkRefused(w http.ResponseWriter, r *http.Request, ret, field, msg string) error {
	key := "bulk"
	switch field {
	case "assignee", "user-email-address":
		key = "bulk-assignee"
	case "status":
		key = "bulk-status"
	case "tag-name":
		key = "bulk-tag"
	}
	q := url.Values{}
	if _, raw, ok := strings.Cut(ret, "?"); ok {
		q, _ = url.ParseQuery(raw)
	}
	v := &View{Title: "Cases", Nav: "cases", Errors: map[string]string{key: msg}, Form: map[string]string{
		"action": r.PostFormValue("action"), "assignee": r.PostFormValue("assignee"),
		"status": r.PostFormValue("status"), "tag-name": r.PostFormValue("tag-name")}}
	d, err := h.loadCaseList(r, q, v)
	if err != nil {
		return err
	}
	if len(d.Rows) == 0 {
		v.Errors[""] = msg // the bulk form shows only beside rows
	}
	v.Data = d
	return h.render(w, r, http.StatusUnprocessableEntity, "case_list", v)
}

// caseBulkSummary says what a bulk action did: "12 updated, 2 refused: KYC-3, KYC-5
// (reason); KYC-9 (other reason)". Refusals with the same reason are listed together;
// at most limit cases are named, so that the message stays short.
func caseBulkSummary(results []docket.BulkResult, limit int) string {
	updated, proposed := 0, 0
	var reasons []string
	byReason := map[string][]string{}
	for _, r := range results {
		if r.Proposed {
			proposed++
			continue
		}
		if r.Err == nil {
			updated++
			continue
		}
		_, msg := docket.ErrorField(r.Err)
		if docket.ErrorCode(r.Err) == docket.ENotFound {
			msg = "no such case" // the case is named by its id already
		}
		if _, seen := byReason[msg]; !seen {
			reasons = append(reasons, msg)
		}
		byReason[msg] = append(byReason[msg], r.Name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d updated", updated)
	if proposed > 0 {
		// Four-eyes statuses: proposed, for a second reviewer to confirm on each case.
		fmt.Fprintf(&b, ", %d proposed (a second reviewer must confirm)", proposed)
	}
	if updated+proposed == len(results) {
		return b.String() + "."
	}
	fmt.Fprintf(&b, ", %d refused:", len(results)-updated-proposed)
	named := 0
	for i, msg := range reasons {
		if i > 0 {
			b.WriteString(";")
		}
		names := byReason[msg]
		shown := names[:min(len(names), max(0, limit-named))]
		named += len(shown)
		if len(shown) > 0 {
			b.WriteString(" " + strings.Join(shown, ", "))
		}
		if extra := len(names) - len(shown); extra > 0 {
			fmt.Fprintf(&b, " and %d more", extra)
		}
		fmt.Fprintf(&b, " (%s)", strings.TrimSuffix(msg, "."))
	}
	return b.String() + "."
}
