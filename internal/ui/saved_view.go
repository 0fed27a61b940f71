package ui

import (
	"net/http"
	"net/url"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// saveView keeps the case list's current filters (the form's query) under a name, for
// the signed-in user, through the store method the API's POST /saved-views calls. A
// refused name or query re-renders the list with the message beside the name.
func (h *Handler) saveView(w http.ResponseWriter, r *http.Request) error {
	u := auth.UserFrom(r.Context())
	p := docket.UserPrincipal(u)
	if !p.Can(docket.PermSaveViews) {
		return docket.Errorf(docket.EForbidden, "%s", p.Refusal(docket.PermSaveViews))
	}
	query := r.PostFormValue("query")
	v := &docket.SavedView{UserID: u.ID, Name: r.PostFormValue("name"), Query: query}
	err := h.store.CreateSavedView(r.Context(), v)
	if field, msg := docket.ErrorField(err); msg != "" && docket.ErrorCode(err) == docket.EInvalid {
		if field != "query" {
			field = "name"
		}
		q, _ := url.ParseQuery(query)
		view := &View{Title: "Cases", Nav: "cases", Errors: map[string]string{"view-" + field: msg},
			Form: map[string]string{"view-name": r.PostFormValue("name")}}
		d, err := h.loadCaseList(r, q, view)
		if err != nil {
			return err
		}
		view.Data = d
		return h.render(w, r, http.StatusUnprocessableEntity, "case_list", view)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, r, secretFrom(r.Context()), "Saved the view “"+v.Name+"”.")
	http.Redirect(w, r, caseListURL(v.Query), http.StatusSeeOther)
	return nil
}

// deleteView deletes one of the signed-in user's saved views; anyone else's is not
// found. It returns to the page the form was on.
func (h *Handler) deleteView(w http.ResponseWriter, r *http.Request) error {
	u := auth.UserFrom(r.Context())
	p := docket.UserPrincipal(u)
	if !p.Can(docket.PermSaveViews) {
		return docket.Errorf(docket.EForbidden, "%s", p.Refusal(docket.PermSaveViews))
	}
	v, err := h.store.FindSavedView(r.Context(), u.ID, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := h.store.DeleteSavedView(r.Context(), u.ID, v.ID); err != nil {
		return err
	}
	h.setFlash(w, r, secretFrom(r.Context()), "Deleted the saved view “"+v.Name+"”.")
	http.Redirect(w, r, caseListReturn(r.PostFormValue("return")), http.StatusSeeOther)
	return nil
}

// caseListReturn returns where a form on the case list goes back to: the case list
// address it came from, or the case list itself.
func caseListReturn(ret string) string {
	if ret = safeNext(ret); ret == "/cases" || len(ret) > len("/cases?") && ret[:len("/cases?")] == "/cases?" {
		return ret
	}
	return "/cases"
}
