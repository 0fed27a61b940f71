package ui

import (
	"net/http"
	"sort"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// homeData is the "My work" page: the signed-in user's open cases, most urgent first.
type homeData struct {
	Cases []homeCase
	// More says that only the newest assigned cases were looked at.
	More bool
}

type homeCase struct {
	*docket.Case
	Breached bool
}

// homeScan bounds how many assigned cases the page reads. The case list page (to come)
// pages through everything; this page shows what needs attention now.
const homeScan = docket.MaxPageSize

func (h *Handler) home(w http.ResponseWriter, r *http.Request) error {
	u := auth.UserFrom(r.Context())
	// A case of a template the user's role may not see stays hidden, even assigned to them.
	vis, err := docket.LoadVisibility(r.Context(), docket.UserPrincipal(u), h.store)
	if err != nil {
		return err
	}
	list, pr, err := h.store.ListCases(r.Context(), docket.CaseFilter{AssigneeID: u.ID, Visibility: vis, Page: docket.Page{Size: homeScan}})
	if err != nil {
		return err
	}
	now := h.auth.Config().Now()
	d := homeData{More: pr.HasNext}
	for _, c := range list {
		if c.ResolvedAt == nil && c.RedactedAt == nil {
			d.Cases = append(d.Cases, homeCase{Case: c, Breached: c.SLAExpiresAt != nil && !now.Before(*c.SLAExpiresAt)})
		}
	}
	sort.SliceStable(d.Cases, func(i, j int) bool { return urgent(d.Cases[i].Case, d.Cases[j].Case) })
	return h.render(w, r, http.StatusOK, "home", &View{Title: "My work", Nav: "home", Data: d})
}

// urgent orders cases by SLA deadline (cases with one first), then oldest first.
func urgent(a, b *docket.Case) bool {
	switch {
	case a.SLAExpiresAt != nil && b.SLAExpiresAt != nil && !a.SLAExpiresAt.Equal(*b.SLAExpiresAt):
		return a.SLAExpiresAt.Before(*b.SLAExpiresAt)
	case (a.SLAExpiresAt == nil) != (b.SLAExpiresAt == nil):
		return a.SLAExpiresAt != nil
	}
	return a.CreatedAt.Before(b.CreatedAt)
}
