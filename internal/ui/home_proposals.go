package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// proposalRow is a case whose decision awaits a second person, as a line of My work.
type proposalRow struct {
	caseRow
	// Proposed is the status awaiting confirmation; By and When say who proposed it and when.
	Proposed string
	By       actorView
	When     when
}

// homeProposals bounds the decisions My work lists; more is rare, and said.
const homeProposals = 10

// homeProposalRows fills in, for someone who may confirm decisions (four-eyes), the
// cases whose decision awaits a second person, oldest first, without those they proposed
// themselves (they may not confirm them) or may not see.
func (h *Handler) homeProposalRows(r *http.Request, a *access, d *homeData) error {
	if !a.P.Can(docket.PermConfirmDecisions) || !a.P.Can(docket.PermReadCases) {
		return nil
	}
	cases, err := h.store.ListProposedCases(r.Context(), a.P.User.ID, a.Vis, homeProposals+1)
	if err != nil {
		return err
	}
	if d.MoreProposals = len(cases) > homeProposals; d.MoreProposals {
		cases = cases[:homeProposals]
	}
	actors := make([]docket.Actor, len(cases))
	for i, c := range cases {
		actors[i] = c.Proposal.By
	}
	names, err := h.store.NameActors(r.Context(), actors)
	if err != nil {
		return err
	}
	now := h.now()
	for i, row := range h.caseRows(a, cases, nil, "") {
		pr := cases[i].Proposal
		d.Proposals = append(d.Proposals, proposalRow{caseRow: row, Proposed: pr.Status, By: actorOf(pr.By, names), When: whenOf(now, pr.At)})
	}
	return nil
}
