package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminWatchlistsPage is the watch lists and the report templates that screen against them.
type adminWatchlistsPage struct {
	Lists     []adminWatchlistRow
	Templates []adminReportTemplateRow
}

type adminWatchlistRow struct {
	*docket.Watchlist
	Updated when
}

type adminReportTemplateRow struct {
	*docket.ReportTemplate
	// Lists names the template's lists ("all lists" when it names none).
	Lists []string
}

// adminWatchlists serves GET /admin/watchlists: the lists with their entry counts,
// versions and last imports (GET /api/v1/watchlists), and the report templates with
// their thresholds (GET /api/v1/report-templates). Imports are `docket lists import`
// or POST /api/v1/watchlists/{id}/import: a list's files are too large for a form.
func (h *Handler) adminWatchlists(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageWatchlists); err != nil {
		return err
	}
	lists, err := h.store.ListWatchlists(r.Context())
	if err != nil {
		return err
	}
	tmpls, err := h.store.ListReportTemplates(r.Context())
	if err != nil {
		return err
	}
	d := adminWatchlistsPage{}
	names := map[string]string{}
	now := h.now()
	for _, l := range lists {
		d.Lists = append(d.Lists, adminWatchlistRow{Watchlist: l, Updated: whenOf(now, l.UpdatedAt)})
		names[l.ID] = l.Name
	}
	for _, t := range tmpls {
		row := adminReportTemplateRow{ReportTemplate: t}
		for _, id := range t.ListIDs {
			row.Lists = append(row.Lists, names[id])
		}
		d.Templates = append(d.Templates, row)
	}
	return h.render(w, r, http.StatusOK, "admin_watchlists", &View{Title: "Watch lists", Nav: "admin", Data: d})
}
