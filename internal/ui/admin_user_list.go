package ui

import (
	"net/http"
	"net/url"

	"github.com/docket-hq/docket"
)

// adminUsersPage is a page of users for the admin's list.
type adminUsersPage struct {
	Users []adminUserRow
	Pager pager
}

// adminUserRow is one user as a line of the list.
type adminUserRow struct {
	*docket.User
	// LastSignIn is nil for someone who never signed in.
	LastSignIn *when
	// Self marks the signed-in admin's own row.
	Self bool
}

// adminUserListSize is the number of users a page of the list shows.
const adminUserListSize = 50

// adminUserList serves GET /admin/users: everyone, newest first (GET /api/v1/users), with
// their role, availability, whether they are deactivated and when they last signed in.
func (h *Handler) adminUserList(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermManageUsers)
	if err != nil {
		return err
	}
	p, err := pageParams(r, docket.PrefixUser, adminUserListSize)
	if err != nil {
		return err
	}
	list, pr, err := h.store.ListUsers(r.Context(), p)
	if err != nil {
		return err
	}
	ids := make([]string, len(list))
	for i, u := range list {
		ids[i] = u.ID
	}
	signIns, err := h.store.LastSignIns(r.Context(), ids)
	if err != nil {
		return err
	}
	d := adminUsersPage{}
	now := h.now()
	for _, u := range list {
		row := adminUserRow{User: u, Self: u.ID == a.P.User.ID}
		if at, ok := signIns[u.ID]; ok {
			w := whenOf(now, at)
			row.LastSignIn = &w
		}
		d.Users = append(d.Users, row)
	}
	d.Pager = listPager("/admin/users", list, pr, func(u *docket.User) string { return u.ID })
	return h.render(w, r, http.StatusOK, "admin_users", &View{Title: "Users", Nav: "admin", Data: d})
}

// listPager links the pages before and after a page of items of the list at base, which
// pages by ?after= and ?before= ids.
func listPager[T any](base string, items []T, pr docket.PageResult, id func(T) string) pager {
	var p pager
	if len(items) == 0 {
		return p
	}
	if pr.HasPrev {
		p.Prev = base + "?before=" + url.QueryEscape(id(items[0]))
	}
	if pr.HasNext {
		p.Next = base + "?after=" + url.QueryEscape(id(items[len(items)-1]))
	}
	return p
}
