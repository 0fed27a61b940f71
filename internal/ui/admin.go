package ui

import (
	"net/http"

	"github.com/docket-hq/docket"
)

// adminSection is one area of the administration pages: where it lives and the
// permission that opens it (docket.Principal.Can decides, as for every API route).
type adminSection struct {
	Path, Title, Blurb string
	Perm               docket.Permission
}

// adminSections lists the administration areas in the order the index shows them.
var adminSections = []adminSection{
	{"/admin/templates", "Case templates", "Statuses, fields, assignment, notifications, SLA and who may see the cases.", docket.PermManageTemplates},
	{"/admin/queues", "Queues", "Which cases each queue holds, and how many are waiting.", docket.PermManageQueues},
	{"/admin/users", "Users", "Invite people, set roles and availability, reset passwords, deactivate.", docket.PermManageUsers},
	{"/admin/api-keys", "API keys", "Keys for systems that call the API: scopes, expiry, last use, revoke.", docket.PermManageAPIKeys},
	{"/admin/webhooks", "Webhooks", "Where events are sent, signing secrets, and the delivery log.", docket.PermManageWebhooks},
	{"/admin/workflows", "Workflows", "Automations that react to events: definitions, versions and runs.", docket.PermManageWorkflows},
	{"/admin/sar-settings", "SAR filing", "The filing institution, transmitter and contact for FinCEN, and alert rules' categories.", docket.PermManageSARs},
	{"/admin/watchlists", "Watch lists", "Sanctions and watch lists that reports screen against, and report templates' thresholds.", docket.PermManageWatchlists},
	{"/admin/events", "Events", "Every change Docket recorded, with its payload.", docket.PermReadEvents},
	{"/admin/audit", "Audit", "Who opened and changed what (the access log), and the check that no event was altered.", docket.PermAudit},
}

// adminSectionsFor returns the sections p may open.
func adminSectionsFor(p docket.Principal) []adminSection {
	var out []adminSection
	for _, s := range adminSections {
		if p.Can(s.Perm) {
			out = append(out, s)
		}
	}
	return out
}

// canAdmin reports whether p may open any administration page other than the event
// browser (which every reader of events may use): it decides whether the header shows
// the Admin link.
func canAdmin(p docket.Principal) bool {
	for _, s := range adminSectionsFor(p) {
		if s.Perm != docket.PermReadEvents {
			return true
		}
	}
	return false
}

// adminIndex serves GET /admin: the areas the signed-in user may administer. Someone
// who may administer nothing gets the 403 page.
func (h *Handler) adminIndex(w http.ResponseWriter, r *http.Request) error {
	a, err := h.access(r)
	if err != nil {
		return err
	}
	if !canAdmin(a.P) {
		return docket.Errorf(docket.EForbidden, "Administration is for admins (and managers, for queues).")
	}
	return h.render(w, r, http.StatusOK, "admin", &View{Title: "Administration", Nav: "admin", Data: adminSectionsFor(a.P)})
}

// needAdmin returns the 403 error unless the signed-in user holds perm; every admin
// handler, GET and POST alike, starts with it.
func (h *Handler) needAdmin(r *http.Request, perm docket.Permission) (*access, error) {
	a, err := h.access(r)
	if err != nil {
		return nil, err
	}
	if !a.P.Can(perm) {
		return nil, docket.Errorf(docket.EForbidden, "This page is not open to you: %s.", a.P.Refusal(perm))
	}
	return a, nil
}
