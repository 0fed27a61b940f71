package ui

import (
	"context"

	"github.com/docket-hq/docket"
)

// maxPickerUsers bounds the people a page's pickers offer (the case list's assignee
// filter and bulk assign, the case page's assign suggestions). Reviewing teams are tens
// to hundreds of people; the bound keeps a page's HTML in check on a site with more.
const maxPickerUsers = 1000

// pickerUsers reads the people the pickers offer, up to maxPickerUsers, page by page
// (one API page holds at most docket.MaxPageSize).
func (h *Handler) pickerUsers(ctx context.Context) ([]*docket.User, error) {
	var out []*docket.User
	p := docket.Page{Size: docket.MaxPageSize}
	for len(out) < maxPickerUsers {
		list, pr, err := h.store.ListUsers(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
		if !pr.HasNext || len(list) == 0 {
			break
		}
		p.After = list[len(list)-1].ID
	}
	return out[:min(len(out), maxPickerUsers)], nil
}

// assignableUsers returns the people a case of template t may be given to (see
// docket.CheckAssignee).
func assignableUsers(users []*docket.User, t *docket.CaseTemplate) []*docket.User {
	var out []*docket.User
	for _, u := range users {
		if docket.CheckAssignee(u, t, "") == nil {
			out = append(out, u)
		}
	}
	return out
}
