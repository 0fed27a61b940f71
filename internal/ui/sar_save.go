package ui

import (
	"net/http"
	"net/url"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// sarSave serves POST /sars/{id}: the form saved as the draft (as PATCH /sars/{id}).
// Values changed by hand lose their auto-fill source. With validate set (the "Save and
// validate" button), the report is then validated (as POST /sars/{id}/ready).
func (h *Handler) sarSave(w http.ResponseWriter, r *http.Request) error {
	a, x, err := h.visibleSAR(r)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermManageSARs) {
		return refusal(a.P, docket.PermManageSARs)
	}
	if err := r.ParseForm(); err != nil {
		return docket.Errorf(docket.EBadRequest, "The form could not be read.")
	}
	rep, errs := parseSARForm(r.PostForm, x.Report)
	if len(errs) > 0 {
		return h.renderSAR(w, r, a, x, http.StatusUnprocessableEntity, errs)
	}
	saved, err := h.store.UpdateSAR(r.Context(), a.P.Actor(), x.ID, docket.SARUpdate{Report: &rep, Sources: sar.Reconcile(x.Report, rep, x.Sources)})
	if docket.ErrorCode(err) == docket.EConflict {
		_, msg := docket.ErrorField(err)
		return h.renderSAR(w, r, a, x, http.StatusConflict, map[string]string{"": sentence(msg) + "."})
	}
	if err != nil {
		return err
	}
	msg := "Saved the draft."
	if r.PostFormValue("validate") != "" {
		if _, err := h.store.MarkSARReady(r.Context(), a.P.Actor(), saved.ID); err != nil {
			return h.sarRefused(w, r, a, saved, err)
		}
		msg = "Saved and validated: the report is ready for a second person's approval."
	}
	return h.sarDone(w, r, saved.ID, msg)
}

// sarDone ends a successful change on the SAR's page, with a message.
func (h *Handler) sarDone(w http.ResponseWriter, r *http.Request, id, msg string) error {
	h.setFlash(w, r, secretFrom(r.Context()), msg)
	http.Redirect(w, r, "/sars/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

// sarRefused shows the SAR again after a refusal: problems beside their inputs (the page
// shows them all anyway), a conflict at the top; a forbidden one is the 403 page.
func (h *Handler) sarRefused(w http.ResponseWriter, r *http.Request, a *access, x *docket.SAR, err error) error {
	var probs *docket.SARProblems
	switch {
	case errorsAs(err, &probs):
		return h.renderSAR(w, r, a, x, http.StatusUnprocessableEntity,
			map[string]string{"": "The report is not complete: each problem is shown beside its value, or under Filing institution for the settings."})
	case docket.ErrorCode(err) == docket.EConflict || docket.ErrorCode(err) == docket.EInvalid:
		_, msg := docket.ErrorField(err)
		return h.renderSAR(w, r, a, x, http.StatusConflict, map[string]string{"": sentence(msg) + "."})
	case docket.ErrorCode(err) == docket.EForbidden:
		_, msg := docket.ErrorField(err)
		return docket.Errorf(docket.EForbidden, "%s.", sentence(msg))
	}
	return err
}
