package store

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// This file holds the store's side of template visibility. Who may see what is decided
// by docket.Principal; the store applies the decision as a filter on its case queries
// (visibilitySQL in case.go) and on the queries below.

// hiddenEventSQL returns the condition that leaves out the events of hidden cases and of
// their comments, and every workflow run's events: a run's payload copies the cases and
// objects it touched, and a reader from whom any template is hidden sees no run's data
// (docket.Principal.CanSeeRunData). It is correlated (one primary-key lookup per event
// considered), so a page of events costs a page of lookups however many cases are hidden.
func hiddenEventSQL(v docket.Visibility) (string, []any) {
	in := placeholders(len(v.HiddenTemplateIDs))
	cond := `events.object_type <> 'workflow-run'
		AND NOT EXISTS (SELECT 1 FROM cases hc WHERE events.object_type = 'case' AND hc.id = events.object_id
			AND hc.template_id IN (` + in + `))
		AND NOT EXISTS (SELECT 1 FROM case_comments hcc JOIN cases hc ON hc.id = hcc.case_id
			WHERE events.object_type = 'case-comment' AND hcc.id = events.object_id AND hc.template_id IN (` + in + `))`
	ids := anys(v.HiddenTemplateIDs)
	return cond, append(ids, ids...)
}

// templateRoles returns every template with only its id and roles filled in: what
// docket.Principal.Visibility needs.
func templateRoles(ctx context.Context, q querier) ([]*docket.CaseTemplate, error) {
	return queryAll(ctx, q, `SELECT id, visible_to_roles FROM case_templates`, nil, func(r scanner) (*docket.CaseTemplate, error) {
		var t docket.CaseTemplate
		var roles []byte
		if err := r.Scan(&t.ID, &roles); err != nil {
			return nil, err
		}
		if err := decodeJSON(roles, &t.VisibleToRoles); err != nil {
			return nil, fmt.Errorf("template %s: %w", t.ID, err)
		}
		return &t, nil
	})
}

// userVisibility returns what user u may not see, read in the caller's transaction.
func userVisibility(ctx context.Context, q querier, u *docket.User) (docket.Visibility, error) {
	templates, err := templateRoles(ctx, q)
	if err != nil {
		return docket.Visibility{}, fmt.Errorf("visibility for %s: %w", u.ID, err)
	}
	return docket.UserPrincipal(u).Visibility(templates), nil
}
