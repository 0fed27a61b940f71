package store_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestComments(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		var ids []string
		for i, body := range []string{"  first @alice@example.com  ", "second", "third"} {
			at := clock.Add(time.Minute)
			cm := must[*docket.Comment](t)(s.AddComment(ctx, userActor, c.ID, body))
			if !docket.ValidID(docket.PrefixComment, cm.ID) || cm.CaseID != c.ID || cm.Body != strings.TrimSpace(body) ||
				cm.Commenter != userActor || !cm.CreatedAt.Equal(at) || cm.RedactedAt != nil {
				t.Fatalf("comment %d: %+v", i, cm)
			}
			ids = append(ids, cm.ID)
			wantStrings(t, "comment events", eventNames(t, s, cm.ID), []string{docket.EventCommentCreated})
		}
		// Commenting touches the case (version, updated-at) without a case event.
		got := caseOK(t)(s.FindCase(ctx, c.ID))
		wantStrings(t, "comment ids", got.CommentIDs, idOrder(ids...))
		if got.Version != 4 || !got.UpdatedAt.Equal(clock.Now()) || *got.Updater != userActor {
			t.Fatalf("case after comments: version %d updated %v by %v", got.Version, got.UpdatedAt, got.Updater)
		}
		wantStrings(t, "case events", eventNames(t, s, c.ID), []string{docket.EventCaseCreated})

		for _, body := range []string{"", "  \n ", strings.Repeat("x", docket.MaxCommentLength+1)} {
			_, err := s.AddComment(ctx, userActor, c.ID, body)
			wantErr(t, err, docket.EInvalid, "body")
		}
		if n := len(caseOK(t)(s.FindCase(ctx, c.ID)).CommentIDs); n != 3 {
			t.Fatalf("%d comments after refusals", n)
		}

		newest := idOrder(ids...)
		slices.Reverse(newest)
		page1, r1 := must2[*docket.Comment](t)(s.ListComments(ctx, c.ID, docket.Page{Size: 2}))
		if len(page1) != 2 || page1[0].ID != newest[0] || page1[1].ID != newest[1] || !r1.HasNext || r1.HasPrev {
			t.Fatalf("first page: %d %+v", len(page1), r1)
		}
		page2, r2 := must2[*docket.Comment](t)(s.ListComments(ctx, c.ID, docket.Page{Size: 2, After: page1[1].ID}))
		if len(page2) != 1 || page2[0].ID != newest[2] || r2.HasNext || !r2.HasPrev {
			t.Fatalf("second page: %d %+v", len(page2), r2)
		}
		if got := must[[]*docket.Comment](t)(s.FindComments(ctx, ids[:1])); got[0].Body != "first @alice@example.com" {
			t.Fatalf("body not trimmed: %q", got[0].Body)
		}
		found := must[[]*docket.Comment](t)(s.FindComments(ctx, []string{ids[1], docket.NewID(docket.PrefixComment)}))
		if len(found) != 1 || found[0].Body != "second" {
			t.Fatalf("FindComments: %+v", found)
		}
		// Comments of another case are not listed.
		other := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		if list, _ := must2[*docket.Comment](t)(s.ListComments(ctx, other.ID, docket.Page{})); len(list) != 0 {
			t.Fatalf("other case lists %d comments", len(list))
		}
	})
}

func TestRedactCase(t *testing.T) {
	t.Parallel()
	const secret = "Jane Q. Secret"
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC",
			FieldSchemas: []docket.FieldSchema{{Key: "full-name", Type: docket.FieldString}, {Key: "n", Type: docket.FieldInteger}}})
		acct := mkAccount(t, s, "ref-1")
		mkUser(t, s, "alice@example.com")
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"full-name": secret}, Tags: []string{"tag-" + secret}, ObjectIDs: []string{acct.ID}})
		keep := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"full-name": secret}, Tags: []string{"tag-" + secret}})
		caseOK(t)(s.UpdateCase(ctx, apiActor, c.ID, docket.CaseUpdate{Fields: map[string]any{"n": 3.0}}))
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, "Approved"))
		caseOK(t)(s.AssignCase(ctx, apiActor, c.ID, "alice@example.com"))
		cm := must[*docket.Comment](t)(s.AddComment(ctx, apiActor, c.ID, "called "+secret))

		at := clock.Add(time.Hour)
		red := caseOK(t)(s.RedactCase(ctx, userActor, c.ID))
		for _, x := range []*docket.Case{red, caseOK(t)(s.FindCase(ctx, c.ID))} {
			if x.RedactedAt == nil || !x.RedactedAt.Equal(at) || len(x.Fields) != 0 || len(x.Tags) != 0 {
				t.Fatalf("redacted case: %+v", x)
			}
			// The audit skeleton stays: name, status, resolution, comment ids.
			if x.Name != "KYC-1" || x.Status != "Approved" || x.Resolution == nil || len(x.CommentIDs) != 1 {
				t.Fatalf("redaction lost the skeleton: %+v", x)
			}
		}
		comments := must[[]*docket.Comment](t)(s.FindComments(ctx, []string{cm.ID}))
		if len(comments) != 1 || comments[0].Body != "" || comments[0].RedactedAt == nil {
			t.Fatalf("comment after redaction: %+v", comments)
		}
		// No event of the case or its comment still carries its personal data.
		names := map[string]bool{}
		for _, id := range []string{c.ID, cm.ID} {
			for _, e := range allEvents(t, s, docket.EventFilter{ObjectID: id}) {
				names[e.Name] = true
				if strings.Contains(string(e.Object), "Secret") {
					t.Errorf("event %s still holds personal data: %s", e.Name, e.Object)
				}
				if e.ObjectType == "case" {
					var snap struct {
						Fields map[string]any `json:"fields"`
						Tags   []string       `json:"tags"`
						Status string         `json:"status"`
					}
					noErr(t, json.Unmarshal(e.Object, &snap))
					if len(snap.Fields) != 0 || len(snap.Tags) != 0 || snap.Status == "" {
						t.Errorf("event %s snapshot not scrubbed: %s", e.Name, e.Object)
					}
				}
			}
		}
		for _, n := range []string{docket.EventCaseCreated, docket.EventCaseStatusUpdated, docket.EventCaseRedacted, docket.EventCommentCreated} {
			if !names[n] {
				t.Errorf("redaction removed event %s (have %v)", n, names)
			}
		}
		// The other case is untouched.
		k := caseOK(t)(s.FindCase(ctx, keep.ID))
		if k.RedactedAt != nil || k.Fields["full-name"] != secret || len(k.Tags) != 1 {
			t.Fatalf("redaction touched another case: %+v", k)
		}
		if e := allEvents(t, s, docket.EventFilter{ObjectID: keep.ID}); len(e) != 1 || !strings.Contains(string(e[0].Object), secret) {
			t.Fatalf("redaction scrubbed another case's events")
		}
		wantStrings(t, "tag filter", caseNames(allCases(t, s, docket.CaseFilter{Tag: "tag-" + secret})), []string{keep.Name})

		// A redacted case refuses every further change, and redacting again is a no-op.
		events := countEvents(t, s)
		writes := map[string]func() error{
			"set status": func() error { _, err := s.SetCaseStatus(ctx, apiActor, c.ID, "Open"); return err },
			"assign":     func() error { _, err := s.AssignCase(ctx, apiActor, c.ID, ""); return err },
			"update": func() error {
				_, err := s.UpdateCase(ctx, apiActor, c.ID, docket.CaseUpdate{Fields: map[string]any{"n": 1.0}})
				return err
			},
			"tags":           func() error { _, err := s.ChangeCaseTags(ctx, apiActor, c.ID, "add", []string{"x"}); return err },
			"add objects":    func() error { _, err := s.AddCaseObjects(ctx, apiActor, c.ID, []string{acct.ID}); return err },
			"remove objects": func() error { _, err := s.RemoveCaseObjects(ctx, apiActor, c.ID, []string{acct.ID}); return err },
			"comment":        func() error { _, err := s.AddComment(ctx, apiActor, c.ID, "more"); return err },
		}
		for name, write := range writes {
			t.Run(name, func(t *testing.T) { wantErr(t, write(), docket.EConflict, "") })
		}
		again := caseOK(t)(s.RedactCase(ctx, apiActor, c.ID))
		if !again.RedactedAt.Equal(at) {
			t.Fatalf("second redaction moved redacted-at to %v", again.RedactedAt)
		}
		if n := countEvents(t, s); n != events {
			t.Fatalf("refused writes and a second redaction wrote %d events", n-events)
		}
		if v := caseOK(t)(s.FindCase(ctx, c.ID)).Version; v != red.Version {
			t.Fatalf("version moved from %d to %d", red.Version, v)
		}
	})
}
