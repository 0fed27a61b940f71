package store_test

import (
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// TestTemplateStatusRemoval: a status that open cases are in cannot be removed or
// renamed away, and the refusal names the status and how many open cases it holds;
// resolved and redacted cases do not hold a status back, and a resolved case whose
// status is gone reopens as any resolved case does.
func TestTemplateStatusRemoval(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC",
			Statuses: statuses("Open", "initial", "Pending", "intermediate", "Escalated", "intermediate", "Approved", "end", "Declined", "end")})
		for range 2 {
			c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
			caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, "Pending"))
		}
		approved := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, approved.ID, "Approved"))
		gone := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, gone.ID, "Escalated"))
		caseOK(t)(s.RedactCase(ctx, apiActor, gone.ID))

		refused := []struct {
			name     string
			statuses []docket.Status
			field    string
		}{
			{"removed", statuses("Open", "initial", "Escalated", "intermediate", "Approved", "end"), "statuses"},
			{"renamed in place", statuses("Open", "initial", "Waiting", "intermediate", "Escalated", "intermediate", "Approved", "end"), "statuses[1].name"},
			{"moved and renamed", statuses("Waiting", "intermediate", "Open", "initial", "Approved", "end"), "statuses"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{Statuses: &tc.statuses})
				wantErr(t, err, docket.EInvalid, tc.field)
				if _, msg := docket.ErrorField(err); !strings.Contains(msg, `status "Pending" holds 2 open cases`) {
					t.Fatalf("message %q does not name the status and its open cases", msg)
				}
			})
		}
		got := must[*docket.CaseTemplate](t)(s.FindTemplate(ctx, tm.ID))
		if len(got.Statuses) != 5 {
			t.Fatalf("refused updates changed the statuses: %+v", got.Statuses)
		}

		// Approved holds a resolved case only, Escalated a redacted one: both may go.
		next := statuses("Open", "initial", "Pending", "intermediate", "Done", "end")
		got = must[*docket.CaseTemplate](t)(s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{Statuses: &next}))
		wantJSON(t, "statuses", got.Statuses, jsonText(t, next))
		c := caseOK(t)(s.FindCase(ctx, approved.ID))
		if c.Status != "Approved" || c.ResolvedAt == nil {
			t.Fatalf("resolved case changed with its template: %s resolved %v", c.Status, c.ResolvedAt)
		}
		c = caseOK(t)(s.SetCaseStatus(ctx, apiActor, approved.ID, "Pending"))
		if c.ResolvedAt != nil || c.Resolution != nil {
			t.Fatalf("a case leaving a removed end status stays resolved: %v %v", c.ResolvedAt, c.Resolution)
		}
	})
}
