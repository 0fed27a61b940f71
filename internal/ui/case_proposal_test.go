package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// fourEyesWorld is a case world whose template wants Declined confirmed by a second
// person.
func fourEyesWorld(t *testing.T, dbURL string) *caseWorld {
	t.Helper()
	w := newCaseWorld(t, dbURL)
	declined := []string{"Declined"}
	_, err := w.store.UpdateTemplate(ctx, system, w.tmpl.ID, docket.CaseTemplateUpdate{FourEyesStatuses: &declined})
	noErr(t, err)
	return w
}

// TestFourEyesCasePage follows a proposal on the case page: the reviewer's Declined is
// proposed, the banner names it and its reason, only those who may confirm see the
// buttons, forged confirmations are refused (the proposer's, a reviewer's), and a manager
// sends it back, then confirms a second proposal.
func TestFourEyesCasePage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := fourEyesWorld(t, dbURL)
		page := w.path("")
		ada, bob, max, root := w.as(w.ada), w.as(w.bob), w.as(w.max), w.as(w.root)

		p := ada.submit(page, w.path("/status"), "status", "Declined", "comment", "document <mismatch>")
		ada.follow(p).want(t, http.StatusOK, "Proposed Declined with your comment; a second reviewer must confirm.",
			"Declined proposed by ada, awaiting confirmation", "document &lt;mismatch&gt;",
			"A user with the reviewer role may not confirm or send back decisions awaiting a second person.",
			"The status cannot change while Declined awaits confirmation")
		ada.get(page).lacks(t, "Confirm Declined", `action="`+page+`/status"`)
		bob.get(page).lacks(t, "Confirm Declined", "Send back")
		max.get(page).want(t, http.StatusOK, "Confirm Declined", "Send back", `formaction="`+page+`/proposal/reject"`)
		w.as(w.vc).get(page).lacks(t, "Confirm Declined")

		// Forged posts: the proposer, another reviewer, a viewer.
		for _, b := range []*browser{ada, bob, w.as(w.vc)} {
			b.submit(page, w.path("/proposal/confirm"), "status", "Declined").want(t, http.StatusForbidden)
			b.submit(page, w.path("/proposal/reject"), "status", "Declined").want(t, http.StatusForbidden)
		}
		// A status change while the proposal awaits is refused beside the Decide panel.
		max.submit(page, w.path("/status"), "status", "Approved").want(t, http.StatusConflict, "awaits a second person")

		p = max.submit(page, w.path("/proposal/reject"), "status", "Declined", "comment", "ask for a second document")
		max.follow(p).want(t, http.StatusOK, "Sent back Declined; the status stays Open. Your comment is added.",
			"Sent back the proposed Declined", "ask for a second document")
		max.get(page).lacks(t, "awaiting confirmation")
		max.submit(page, w.path("/proposal/confirm"), "status", "Declined").want(t, http.StatusConflict, "has no decision awaiting confirmation")

		// The manager proposes; they may not confirm their own proposal, an admin may.
		max.follow(max.submit(page, w.path("/status"), "status", "Declined")).want(t, http.StatusOK,
			"Proposed Declined; a second reviewer must confirm.", "Declined proposed by max",
			"You proposed Declined yourself: a second person must confirm it or send it back.")
		max.get(page).lacks(t, "Confirm Declined")
		max.submit(page, w.path("/proposal/confirm"), "status", "Declined").want(t, http.StatusForbidden, "You proposed Declined yourself")
		w.as(w.ada).get("/cases").want(t, http.StatusOK, `<span class="proposed">proposed: Declined</span>`)

		p = root.submit(page, w.path("/proposal/confirm"), "status", "Declined")
		root.follow(p).want(t, http.StatusOK, "Confirmed Declined: the status changed from Open to Declined.",
			"Confirmed Declined: status changed from Open to Declined", `<span class="status">Declined</span>`)
		c, err := w.store.FindCase(ctx, w.c.ID)
		noErr(t, err)
		if c.Proposal != nil || c.Resolution == nil || *c.Resolution != "Declined" || *c.Resolver != (docket.Actor{Type: docket.ActorUser, ID: w.root.ID}) {
			t.Fatalf("confirmed case %+v", c)
		}
	})
}

// TestFourEyesStaleConfirm confirms from a page that showed another proposal than the
// one now waiting: the confirmation is refused, not applied to what was not seen.
func TestFourEyesStaleConfirm(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := fourEyesWorld(t, dbURL)
		both := []string{"Approved", "Declined"}
		_, err := w.store.UpdateTemplate(ctx, system, w.tmpl.ID, docket.CaseTemplateUpdate{FourEyesStatuses: &both})
		noErr(t, err)
		_, err = w.store.SetCaseStatus(ctx, docket.Actor{Type: docket.ActorUser, ID: w.ada.ID}, w.c.ID, "Approved")
		noErr(t, err)
		max := w.as(w.max)
		max.submit(w.path(""), w.path("/proposal/confirm"), "status", "Declined").want(t, http.StatusConflict,
			"is now Approved, not Declined", "Approved proposed by ada")
	})
}

// TestFourEyesBulk sets a four-eyes status on several cases from the list: each is
// proposed, and the message says so.
func TestFourEyesBulk(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		w := fourEyesWorld(t, dbURL)
		max := w.as(w.max)
		p := max.submit("/cases", "/cases/bulk", "action", "set-status", "status", "Declined", "case-id", w.c.ID, "case-id", w.related.ID)
		max.follow(p).want(t, http.StatusOK, "0 updated, 2 proposed (a second reviewer must confirm).", "proposed: Declined")
		for _, id := range []string{w.c.ID, w.related.ID} {
			c, err := w.store.FindCase(ctx, id)
			noErr(t, err)
			if c.Proposal == nil || c.Status != "Open" {
				t.Fatalf("bulk did not propose on %s: %+v", c.Name, c)
			}
		}
	})
}

// TestFourEyesTemplateForm: an admin marks an end status four-eyes on the template form;
// marking a working status is refused beside its checkbox, and renaming the status
// keeps the mark.
func TestFourEyesTemplateForm(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		s.user("admin@example.com", docket.RoleAdmin)
		b := s.browser()
		b.signIn("admin@example.com")
		f := onboarding()
		v := f.values()
		v.Set("status.1.four-eyes", "1") // Review: a working status
		b.post("/admin/templates/new", "/admin/templates/new", v).want(t, http.StatusUnprocessableEntity,
			`id="status-1-four-eyes" name="status.1.four-eyes" value="1" checked aria-invalid="true"`, "is not an end status of this template")

		v.Del("status.1.four-eyes")
		v.Set("status.3.four-eyes", "1") // Failed
		p := b.post("/admin/templates/new", "/admin/templates/new", v)
		if p.status != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", p.status, p.body)
		}
		id := strings.TrimPrefix(p.location(), "/admin/templates/")
		tm, err := s.store.FindTemplate(ctx, id)
		noErr(t, err)
		if !tm.NeedsConfirmation("Failed") || tm.NeedsConfirmation("Passed") {
			t.Fatalf("four-eyes statuses %v", tm.FourEyesStatuses)
		}
		b.get(p.location()).want(t, http.StatusOK, `name="status.3.four-eyes" value="1" checked`)
		v.Set("status.3.name", "Rejected")
		v.Del("key")
		b.post(p.location(), p.location(), v).want(t, http.StatusSeeOther)
		tm, err = s.store.FindTemplate(ctx, id)
		noErr(t, err)
		if !tm.NeedsConfirmation("Rejected") || len(tm.FourEyesStatuses) != 1 {
			t.Fatalf("after the rename: %v", tm.FourEyesStatuses)
		}
	})
}
