package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
)

// sarAction serves POST /sars/{id}/ready, /approve and /file, as the API's endpoints of
// the same names: approving needs a second person (never the preparer), which the store
// checks under the SAR's lock; filing takes the BSA ID when it is known.
func (h *Handler) sarAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, x, err := h.visibleSAR(r)
		if err != nil {
			return err
		}
		if !a.P.Can(docket.PermManageSARs) {
			return refusal(a.P, docket.PermManageSARs)
		}
		var msg string
		switch action {
		case "ready":
			_, err = h.store.MarkSARReady(r.Context(), a.P.Actor(), x.ID)
			msg = "Validated: the report is ready for a second person's approval."
		case "approve":
			_, err = h.store.ApproveSAR(r.Context(), a.P.Confirmer(), x.ID)
			msg = "Approved: download the FinCEN file and submit it, then mark the report filed."
		case "file":
			_, err = h.store.FileSAR(r.Context(), a.P.Actor(), x.ID, strings.TrimSpace(r.PostFormValue("bsa-id")))
			msg = "Marked filed."
		}
		if err != nil {
			return h.sarRefused(w, r, a, x, err)
		}
		return h.sarDone(w, r, x.ID, msg)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
