package store_test

import (
	"slices"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// TestSeedCases: seeded cases read back as given (tags, assignee, resolution), and cases
// created afterwards get numbers past the seeded ones.
func TestSeedCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := openStore(t, dbURL)
		tm := &docket.CaseTemplate{Name: "Seeded", Key: "SEED"}
		noErr(t, s.CreateTemplate(ctx, userActor, tm))
		u := &docket.User{Email: "ada@example.com", Role: "reviewer", Available: true}
		noErr(t, s.CreateUser(ctx, userActor, u))
		at := epoch
		approved := "Approved"
		var cases []*docket.Case
		for i := range 1200 { // more than one INSERT's worth of rows
			c := &docket.Case{ID: docket.NewID(docket.PrefixCase), TemplateID: tm.ID, Number: int64(i + 1),
				Name: "SEED-" + string(rune('a'+i%26)), Status: "Open", Fields: map[string]any{}, CreatedAt: at, UpdatedAt: at,
				Version: 1, Tags: []string{"seeded"}}
			if i%3 == 0 {
				c.AssigneeID, c.AssignedAt = &u.ID, &at
			}
			if i%4 == 0 {
				c.Status, c.Resolution, c.ResolvedAt = approved, &approved, &at
			}
			cases = append(cases, c)
		}
		noErr(t, s.SeedCases(ctx, cases))
		if n := must[int](t)(s.CountAllCases(ctx)); n != len(cases) {
			t.Fatalf("%d cases, want %d", n, len(cases))
		}
		got := caseOK(t)(s.FindCase(ctx, cases[0].ID))
		if got.Resolution == nil || *got.Resolution != approved || got.ResolvedAt == nil || !got.ResolvedAt.Equal(at) ||
			got.AssigneeID == nil || *got.AssigneeID != u.ID || !slices.Equal(got.Tags, []string{"seeded"}) {
			t.Fatalf("seeded case reads back as %+v", got)
		}
		if open := caseOK(t)(s.FindCase(ctx, cases[1].ID)); open.ResolvedAt != nil || open.AssigneeID != nil {
			t.Fatalf("an open, unassigned seeded case reads back as %+v", open)
		}
		c := caseOK(t)(s.CreateCase(ctx, userActor, docket.NewCase{TemplateID: tm.ID}))
		if c.Number != int64(len(cases)+1) {
			t.Fatalf("a case created after seeding is number %d, want %d", c.Number, len(cases)+1)
		}
	})
}
