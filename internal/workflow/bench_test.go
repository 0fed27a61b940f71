package workflow_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// BenchmarkInquiryToCase measures the seed 003 path: from inquiry.completed committed to
// the KYC case created and assigned (round robin) by the workflow run. It reports p50 and
// p99 of that latency. Run with:
//
//	DOCKET_TEST_POSTGRES_URL=... go test ./internal/workflow -run '^$' -bench InquiryToCase -benchtime 300x
func BenchmarkInquiryToCase(b *testing.B) {
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			var dbURL string
			if name == "sqlite" {
				dbURL = storetest.SQLiteURL(b)
			} else {
				dbURL = storetest.PostgresURL(b)
			}
			benchInquiryToCase(b, dbURL)
		})
	}
}

func benchInquiryToCase(b *testing.B, dbURL string) {
	ctx := context.Background()
	t := b
	s := startStore(t, dbURL)
	u := &docket.User{Email: "ada@example.com", Name: "Ada", Role: "reviewer", Available: true}
	noErr(t, s.CreateUser(ctx, admin, u))
	tmpl := &docket.CaseTemplate{Name: "KYC review", Key: "KYC", AssignmentPolicy: docket.AssignmentPolicy{Type: docket.AssignRoundRobin, UserIDs: []string{u.ID}}}
	noErr(t, s.CreateTemplate(ctx, admin, tmpl))
	w, err := s.CreateWorkflow(ctx, admin, docket.NewWorkflow{Name: "Under 18", Definition: docket.WorkflowDefinition{
		Trigger: docket.Trigger{Type: docket.TriggerEvent, Event: "inquiry.completed", Condition: `age(trigger.fields.birthdate) < 18`},
		Steps: []docket.WorkflowStep{
			{ID: "review", Type: docket.StepAction, Action: "mark-inquiry-for-review"},
			{ID: "open-case", Type: docket.StepAction, Action: "create-case", Params: map[string]any{"case-template-id": tmpl.ID}},
		}}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.PublishWorkflow(ctx, admin, w.ID); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		q, err := s.CreateInquiry(ctx, admin, docket.NewInquiry{Fields: map[string]any{"birthdate": "2014-01-02"}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.InquiryAction(ctx, admin, q.ID, "complete", nil); err != nil {
			b.Fatal(err)
		}
		committed := time.Now()
		for {
			cases, _, err := s.ListCases(ctx, docket.CaseFilter{InquiryID: q.ID})
			if err != nil {
				b.Fatal(err)
			}
			if len(cases) == 1 && cases[0].AssigneeID != nil {
				break
			}
			if time.Since(committed) > 10*time.Second {
				b.Fatalf("no assigned case for %s after 10s", q.ID)
			}
			time.Sleep(500 * time.Microsecond)
		}
		lat = append(lat, time.Since(committed))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
