package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// sarPanel is the case page's SAR panel, shown to those with SAR access only: the SARs
// of a SAR case, "Prepare SAR" on any other case, "Draft a SAR" on a SAR case.
type sarPanel struct {
	IsSARCase  bool
	CanPrepare bool
	CanDraft   bool
	SARs       []sarRow
}

// sarRow is one SAR in a list, with its filing deadline.
type sarRow struct {
	SAR     *docket.SAR
	Due     when
	DueSoon bool
}

// sarPanelOf builds the panel, or nil for a user without SAR access.
func (h *Handler) sarPanelOf(r *http.Request, cc *caseCtx, d *casePage) (*sarPanel, error) {
	if !cc.p.Can(docket.PermReadSARs) {
		return nil, nil
	}
	p := &sarPanel{IsSARCase: d.Template != nil && d.Template.SAR}
	manage := cc.p.Can(docket.PermManageSARs) && cc.p.Can(docket.PermWorkCases) && !d.Redacted
	p.CanPrepare, p.CanDraft = manage && !p.IsSARCase, manage && p.IsSARCase
	if !p.IsSARCase {
		return p, nil
	}
	list, _, err := h.store.ListSARs(r.Context(), docket.SARFilter{CaseID: cc.c.ID, Page: docket.Page{Size: docket.MaxPageSize}})
	if err != nil {
		return nil, err
	}
	p.SARs = h.sarRows(list)
	return p, nil
}

func (h *Handler) sarRows(list []*docket.SAR) []sarRow {
	now := h.now()
	out := make([]sarRow, len(list))
	for i, x := range list {
		out[i] = sarRow{SAR: x, Due: whenOf(now, x.DueAt), DueSoon: x.DueSoon(now)}
	}
	return out
}
