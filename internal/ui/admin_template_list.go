package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// tmplListRow is a template as a line of /admin/templates.
type tmplListRow struct {
	*docket.CaseTemplate
	// Statuses names the statuses in order; Resolutions those that resolve a case.
	Statuses, Resolutions string
	Archived              bool
}

// adminTemplates serves GET /admin/templates: every template, active ones first, each
// with its statuses and fields, and the link to create one.
func (h *Handler) adminTemplates(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageTemplates)
	if err != nil {
		return err
	}
	rows := make([]tmplListRow, 0, len(a.Templates))
	for _, t := range a.Templates {
		names := make([]string, len(t.Statuses))
		for i, s := range t.Statuses {
			names[i] = s.Name
		}
		rows = append(rows, tmplListRow{CaseTemplate: t, Statuses: strings.Join(names, ", "),
			Resolutions: strings.Join(t.Resolutions(), ", "), Archived: t.Status == docket.TemplateArchived})
	}
	slices.SortFunc(rows, func(x, y tmplListRow) int { return activeFirst(x.Archived, y.Archived, x.Name, y.Name, x.ID, y.ID) })
	return h.render(w, r, http.StatusOK, "admin_templates", &View{Title: "Case templates", Nav: "admin", Data: rows})
}
