package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminKeyRevokeConfirm serves GET /admin/api-keys/{id}/revoke: the page that asks for
// confirmation.
func (h *Handler) adminKeyRevokeConfirm(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageAPIKeys); err != nil {
		return err
	}
	k, err := h.store.FindAPIKey(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if k.RevokedAt != nil {
		return h.adminDone(w, r, "/admin/api-keys", "The key "+k.Name+" is already revoked.")
	}
	return h.render(w, r, http.StatusOK, "admin_api_key_revoke", &View{Title: "Revoke " + k.Name, Nav: "admin", Data: k})
}

// adminKeyRevoke serves POST /admin/api-keys/{id}/revoke, the confirmed revocation (POST
// /api/v1/api-keys/{id}/revoke): the key's next request is refused, in every process.
func (h *Handler) adminKeyRevoke(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermManageAPIKeys); err != nil {
		return err
	}
	k, err := h.store.RevokeAPIKey(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	h.log.InfoContext(r.Context(), "api key revoked", "api_key_id", k.ID, "actor", h.actorID(r))
	return h.adminDone(w, r, "/admin/api-keys", "The key "+k.Name+" is revoked: its next request is refused.")
}
