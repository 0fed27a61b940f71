package ui

import (
	"net/http"
	"slices"

	"github.com/docket-hq/docket"
)

// sarList serves GET /sars: the SARs the user may see, those still to file first,
// soonest deadline first, with the ones approaching their deadline marked. To a user
// without SAR access the page does not exist.
func (h *Handler) sarList(w http.ResponseWriter, r *http.Request) error {
	a, err := h.access(r)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermReadSARs) {
		return docket.NotFound("page", r.URL.Path)
	}
	list, _, err := h.store.ListSARs(r.Context(), docket.SARFilter{Visibility: a.Vis, Page: docket.Page{Size: docket.MaxPageSize}})
	if err != nil {
		return err
	}
	slices.SortStableFunc(list, func(x, y *docket.SAR) int {
		if fx, fy := x.Status == docket.SARFiled, y.Status == docket.SARFiled; fx != fy {
			if fx {
				return 1
			}
			return -1
		}
		return x.DueAt.Compare(y.DueAt)
	})
	rows := h.sarRows(list)
	soon := 0
	for _, row := range rows {
		if row.DueSoon {
			soon++
		}
	}
	return h.render(w, r, http.StatusOK, "sar_list", &View{Title: "SARs", Nav: "sars", Data: map[string]any{"Rows": rows, "DueSoon": soon}})
}
