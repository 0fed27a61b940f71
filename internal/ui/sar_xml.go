package ui

import (
	"net/http"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// sarXML serves GET /sars/{id}/fincen.xml: the FinCEN batch file of an approved (or
// filed) report, as the API's endpoint of the same name.
func (h *Handler) sarXML(w http.ResponseWriter, r *http.Request) error {
	a, x, err := h.visibleSAR(r)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermManageSARs) {
		return refusal(a.P, docket.PermManageSARs)
	}
	if x.Status != docket.SARApproved && x.Status != docket.SARFiled {
		return docket.Errorf(docket.EConflict, "This report is %s: only an approved report is exported for filing.", x.Status)
	}
	settings, err := h.store.SARSettings(r.Context())
	if err != nil {
		return err
	}
	doc, err := sar.Batch([]*docket.SAR{x}, settings, time.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sar-`+x.ID+`.xml"`)
	_, err = w.Write(doc)
	return err
}
