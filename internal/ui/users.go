package ui

import (
	"context"

	"github.com/docket-hq/docket"
)

// maxPickerUsers bounds the people a page's pickers offer (the case list's assignee
// filter and bulk assign, the case page's assign suggestions). Reviewing teams are tens
// to hundreds of people; the bound keeps a page's HTML in check on a site with more.
const maxPickerUsers = 1000

// pickerUsers reads the people the pickers offer, up to maxPickerUsers.
func (h *Handler) pickerUsers(ctx context.Context) ([]*docket.User, error) {
	return everyPage(func(p docket.Page) ([]*docket.User, docket.PageResult, error) {
		return h.store.ListUsers(ctx, p)
	}, func(u *docket.User) string { return u.ID }, maxPickerUsers)
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
