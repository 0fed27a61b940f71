package store_test

import (
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// TestQueueCountsAndOpenAssigned: a queue's counts cover what it lists (open cases put in
// it or matched by its filter), leave out what the visibility hides, and stop at the
// limit; a user's open cases come most urgent first.
func TestQueueCountsAndOpenAssigned(t *testing.T) {
	eachStore(t, func(t *testing.T, s *store.Store) {
		ada := mkUser(t, s, "ada@example.com")
		kyc := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		sar := mkTemplate(t, s, &docket.CaseTemplate{Name: "SAR", Key: "SAR"})
		q := &docket.CaseQueue{Name: "Backlog", Filter: docket.CaseQueueFilter{TemplateIDs: []string{kyc.ID}}}
		noErr(t, s.CreateQueue(ctx, apiActor, q))
		sla := func(n int64) *int64 { return &n }
		mk := func(tm *docket.CaseTemplate, secs *int64, assign bool) *docket.Case {
			c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, SLAExpiresInSecond: secs})
			if assign {
				c = caseOK(t)(s.AssignCase(ctx, apiActor, c.ID, ada.Email))
			}
			return c
		}
		none := mk(kyc, nil, true)
		late := mk(kyc, sla(7200), true)
		soon := mk(kyc, sla(60), true)
		mk(kyc, sla(60), false)
		mk(kyc, nil, false)
		done := mk(kyc, sla(10), true)
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, done.ID, "Approved"))
		qid := q.ID
		hiddenIn := mk(sar, sla(1), true) // put in the queue explicitly, hidden below
		caseOK(t)(s.UpdateCase(ctx, apiActor, hiddenIn.ID, docket.CaseUpdate{SetQueue: true, QueueID: ptr(&qid)}))
		hide := docket.Visibility{HiddenTemplateIDs: []string{sar.ID}}

		for _, tc := range []struct {
			vis   docket.Visibility
			limit int
			want  docket.QueueCount
		}{
			{docket.Visibility{}, 100, docket.QueueCount{Open: 6, Unassigned: 2}},
			{hide, 100, docket.QueueCount{Open: 5, Unassigned: 2}},
			{hide, 3, docket.QueueCount{Open: 3, Unassigned: 2}},
		} {
			got := must[docket.QueueCount](t)(s.CountQueueCases(ctx, q.ID, tc.vis, tc.limit))
			if got != tc.want {
				t.Fatalf("counts (hidden %v, limit %d) = %+v, want %+v", tc.vis.HiddenTemplateIDs, tc.limit, got, tc.want)
			}
		}
		if got := must[docket.QueueCount](t)(s.CountQueueCases(ctx, docket.NewID(docket.PrefixQueue), hide, 100)); got != (docket.QueueCount{}) {
			t.Fatalf("an unknown queue counts %+v", got)
		}

		mine := must[[]*docket.Case](t)(s.ListOpenAssignedCases(ctx, ada.ID, hide, 100))
		wantStrings(t, "open assigned", caseNames(mine), []string{soon.Name, late.Name, none.Name})
		all := must[[]*docket.Case](t)(s.ListOpenAssignedCases(ctx, ada.ID, docket.Visibility{}, 2))
		wantStrings(t, "open assigned, limit 2", caseNames(all), []string{hiddenIn.Name, soon.Name})
		for _, tc := range []struct {
			vis         docket.Visibility
			limit, want int
		}{{hide, 100, 3}, {docket.Visibility{}, 100, 4}, {docket.Visibility{}, 2, 2}} {
			if got := must[int](t)(s.CountOpenAssignedCases(ctx, ada.ID, tc.vis, tc.limit)); got != tc.want {
				t.Fatalf("count open assigned (hidden %v, limit %d) = %d, want %d", tc.vis.HiddenTemplateIDs, tc.limit, got, tc.want)
			}
		}
	})
}
