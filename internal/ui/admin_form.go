package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// formRefused shows an admin form again after the store refused its input: a message about
// an input goes beside it (inputs maps the domain's field paths, such as "scopes" or
// "email-address", to the form's input names), any other at the top of the form; v keeps
// what was typed. Errors that are not about the input (not found, forbidden, internal)
// are passed on to be shown as a page.
func (h *Handler) formRefused(w http.ResponseWriter, r *http.Request, err error, page string, v *View, inputs map[string]string) error {
	status := refusedStatus(err)
	if status == 0 {
		return err
	}
	field, msg := docket.ErrorField(err)
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Errors[inputFor(field, inputs)] = sentence(msg)
	return h.render(w, r, status, page, v)
}

// adminDone ends a successful admin form: a message on the next page and a redirect
// (303) to target.
func (h *Handler) adminDone(w http.ResponseWriter, r *http.Request, target, msg string) error {
	h.setFlash(w, r, secretFrom(r.Context()), msg)
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
