package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// adminKeysPage is a page of API keys for the admin's list.
type adminKeysPage struct {
	Keys  []adminKeyRow
	Pager pager
}

// adminKeyRow is one key as a line of the list.
type adminKeyRow struct {
	*docket.APIKey
	// Owner is the user the key belongs to (nil: nobody, or a user since deleted).
	Owner *docket.User
	// State is "active", "expired" or "revoked".
	State    string
	Created  when
	Expires  *when
	LastUsed *when
}

// ScopeList shows the scopes as one line.
func (k adminKeyRow) ScopeList() string { return strings.Join(k.Scopes, ", ") }

// adminKeyListSize is the number of keys a page of the list shows.
const adminKeyListSize = 50

// adminKeyList serves GET /admin/api-keys: every key, newest first (GET
// /api/v1/api-keys), revoked and expired ones too.
func (h *Handler) adminKeyList(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageAPIKeys); err != nil {
		return err
	}
	p, err := pageParams(r, docket.PrefixAPIKey, adminKeyListSize)
	if err != nil {
		return err
	}
	list, pr, err := h.store.ListAPIKeysPage(r.Context(), p)
	if err != nil {
		return err
	}
	owners, err := h.keyOwners(r, list)
	if err != nil {
		return err
	}
	d := adminKeysPage{}
	now := h.now()
	for _, k := range list {
		row := adminKeyRow{APIKey: k, State: keyState(k, now), Created: whenOf(now, k.CreatedAt),
			Expires: whenPtr(now, k.ExpiresAt), LastUsed: whenPtr(now, k.LastUsedAt)}
		if k.UserID != nil {
			row.Owner = owners[*k.UserID]
		}
		d.Keys = append(d.Keys, row)
	}
	d.Pager = listPager("/admin/api-keys", list, pr, func(k *docket.APIKey) string { return k.ID })
	return h.render(w, r, http.StatusOK, "admin_api_keys", &View{Title: "API keys", Nav: "admin", Data: d})
}

// keyOwners reads, in one query, the users the keys belong to, by id.
func (h *Handler) keyOwners(r *http.Request, keys []*docket.APIKey) (map[string]*docket.User, error) {
	var ids []string
	for _, k := range keys {
		if k.UserID != nil {
			ids = append(ids, *k.UserID)
		}
	}
	users, err := h.store.FindUsers(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := map[string]*docket.User{}
	for _, u := range users {
		out[u.ID] = u
	}
	return out, nil
}

// keyState says whether a key works at now.
func keyState(k *docket.APIKey, now time.Time) string {
	switch {
	case k.RevokedAt != nil:
		return "revoked"
	case k.Expired(now):
		return "expired"
	}
	return "active"
}

func whenPtr(now time.Time, t *time.Time) *when {
	if t == nil {
		return nil
	}
	w := whenOf(now, *t)
	return &w
}
