package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// chainPage is the event chain's page: its head, and a verification's report once one ran.
type chainPage struct {
	Head    docket.ChainHead
	Updated when
	Anchor  string // the anchor field as typed
	Report  *docket.ChainReport
	// CanReadEvents links the events a fault names to the event browser.
	CanReadEvents bool
}

// chainBatch is how many links a verification or an export reads at a time (the API's).
const chainBatch = 500

// adminAuditChain serves GET /admin/audit/chain: the chain's head, the Verify button, the
// anchor's download and the export.
func (h *Handler) adminAuditChain(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermAudit)
	if err != nil {
		return err
	}
	head, err := h.store.ChainHead(r.Context())
	if err != nil {
		return err
	}
	d := &chainPage{Head: head, Updated: whenOf(h.now(), head.UpdatedAt), CanReadEvents: a.P.Can(docket.PermReadEvents)}
	return h.render(w, r, http.StatusOK, "admin_audit_chain", &View{Title: "Event chain", Nav: "admin", Data: d})
}

// adminAuditVerify serves POST /admin/audit/chain/verify: it walks the whole chain as GET
// /api/v1/audit/verify does (docket.VerifyChain), checking an anchor if one is given, and
// shows the report. It changes nothing; it is a POST because it reads every event.
func (h *Handler) adminAuditVerify(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermAudit)
	if err != nil {
		return err
	}
	d := &chainPage{Anchor: strings.TrimSpace(r.PostFormValue("anchor")), CanReadEvents: a.P.Can(docket.PermReadEvents)}
	v := &View{Title: "Event chain", Nav: "admin", Data: d, Form: map[string]string{"anchor": d.Anchor}}
	var anchor *docket.Anchor
	if d.Anchor != "" {
		an, err := docket.ParseAnchor(d.Anchor)
		if err != nil {
			_, msg := docket.ErrorField(err)
			v.Errors = map[string]string{"anchor": sentence(msg) + "."}
		} else {
			anchor = &an
		}
	}
	status := http.StatusOK
	if v.Errors == nil {
		rep, err := docket.VerifyChain(r.Context(), h.store, anchor, chainBatch)
		if err != nil {
			return err
		}
		d.Report, d.Head = &rep, rep.Head
	} else if d.Head, err = h.store.ChainHead(r.Context()); err != nil {
		return err
	} else {
		status = http.StatusBadRequest
	}
	d.Updated = whenOf(h.now(), d.Head.UpdatedAt)
	return h.render(w, r, status, "admin_audit_chain", v)
}

// adminAuditAnchor serves GET /admin/audit/anchor: the chain's head as a file to keep
// elsewhere, the body of GET /api/v1/audit/anchor.
func (h *Handler) adminAuditAnchor(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.needAdmin(r, docket.PermAudit); err != nil {
		return err
	}
	head, err := h.store.ChainHead(r.Context())
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(map[string]any{"meta": jsonapi.ChainHead(head)}, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="docket-anchor-%d.json"`, head.Seq))
	_, err = w.Write(append(body, '\n'))
	return err
}

// adminAuditExport serves GET /admin/audit/export: the whole chain as NDJSON, the lines
// of GET /api/v1/events/export, leaving out what the reader may not see.
func (h *Handler) adminAuditExport(w http.ResponseWriter, r *http.Request) error {
	a, err := h.needAdmin(r, docket.PermAudit)
	if err != nil {
		return err
	}
	if !a.P.Can(docket.PermReadEvents) {
		return docket.Errorf(docket.EForbidden, "This export is not open to you: %s.", a.P.Refusal(docket.PermReadEvents))
	}
	head, err := h.store.ChainHead(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="docket-events-%d.ndjson"`, head.Seq))
	f := docket.ChainFilter{Visibility: a.Vis, HiddenObjectTypes: a.P.HiddenObjectTypes()}
	if err := jsonapi.WriteChainExport(r.Context(), w, h.store, head, f, chainBatch); err != nil && r.Context().Err() == nil {
		// The status is sent: the download ends early, and GET /api/v1/events/export
		// resumes from its last line.
		h.log.ErrorContext(r.Context(), "export events", "error", err)
	}
	return nil
}
