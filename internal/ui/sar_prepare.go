package ui

import (
	"net/http"
	"net/url"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// sarPrepare serves POST /cases/{id}/prepare-sar (the decision to file on an alert case:
// a SAR case with the same objects, and its SAR drafted) and POST /cases/{id}/sars (a
// SAR drafted on a SAR case), as the API's endpoints of the same names. Both end on the
// SAR's form.
func (h *Handler) sarPrepare(prepare bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		cc, err := h.caseFor(r)
		if err != nil {
			return err
		}
		for _, perm := range []docket.Permission{docket.PermManageSARs, docket.PermWorkCases} {
			if err := cc.need(perm); err != nil {
				return err
			}
		}
		actor := cc.p.Actor()
		x := &docket.SAR{CaseID: cc.c.ID, FilingType: docket.SARInitial}
		msg := "Drafted the SAR from the case: check each section, complete the narrative, then validate."
		if prepare {
			var c *docket.Case
			c, x, err = sar.Prepare(r.Context(), h.store, actor, cc.vis, cc.c.ID, "")
			if err == nil {
				msg = "Opened " + c.Name + " with this case's objects and drafted its SAR: check each section, complete the narrative, then validate."
			}
		} else {
			err = sar.Draft(r.Context(), h.store, actor, cc.vis, x)
		}
		if err != nil {
			return h.caseRefused(w, r, cc, err, "sar", nil, nil)
		}
		h.setFlash(w, r, secretFrom(r.Context()), msg)
		http.Redirect(w, r, "/sars/"+url.PathEscape(x.ID), http.StatusSeeOther)
		return nil
	}
}
