package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// caseTags serves POST /cases/{id}/tags/add and /remove, each with one tag, through the
// store method of the API's add-tag and remove-tag.
func (h *Handler) caseTags(op string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		cc, err := h.caseFor(r)
		if err != nil {
			return err
		}
		if err := cc.need(docket.PermWorkCases); err != nil {
			return err
		}
		tag := r.PostFormValue("tag")
		c, err := h.store.ChangeCaseTags(r.Context(), cc.p.Actor(), cc.c.ID, op, []string{tag})
		if err != nil {
			var form map[string]string
			if op == "add" {
				form = map[string]string{"tag": tag}
			}
			return h.caseRefused(w, r, cc, err, "tags-form", form, map[string]string{"tags": "tag"})
		}
		msg := "Tag “" + tag + "” added."
		switch {
		case op == "remove":
			msg = "Tag “" + tag + "” removed."
		case len(c.Tags) == len(cc.c.Tags):
			msg = "The case is already tagged “" + tag + "”."
		}
		return h.caseDone(w, r, c.ID, msg, nil, "")
	}
}
