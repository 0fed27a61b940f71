package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/sar"
)

// sarPrint serves GET /sars/{id}/print: the report as a page to print or save as PDF
// for the file, with the filing institution and the codes' meanings spelt out.
func (h *Handler) sarPrint(w http.ResponseWriter, r *http.Request) error {
	_, x, err := h.visibleSAR(r)
	if err != nil {
		return err
	}
	c, settings, err := h.sarContext(r, x)
	if err != nil {
		return err
	}
	var cats []string
	for _, k := range x.Report.Activity.Categories {
		label := sar.Categories[k.Type] + ": " + sar.Subcategories[k.Subtype]
		if k.Other != "" {
			label += " (" + k.Other + ")"
		}
		cats = append(cats, label)
	}
	ids := map[string]string{}
	for k, v := range sar.IdentifierTypes {
		ids[k] = v
	}
	return h.render(w, r, http.StatusOK, "sar_print", &View{Title: "SAR " + x.ID, Nav: "sars", Data: map[string]any{
		"SAR": x, "Case": c, "Settings": settings, "Categories": cats, "IDTypes": ids,
		"Regulator": sar.Regulators[settings.Institution.Regulator], "Printed": h.now(),
		"Filed": x.Status == docket.SARFiled}})
}
