package store_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

// fieldsTemplate declares one field of most types, with bounds.
func fieldsTemplate(key string) *docket.CaseTemplate {
	return &docket.CaseTemplate{Name: "Fields", Key: key, FieldSchemas: []docket.FieldSchema{
		{Key: "count", Type: docket.FieldInteger, Config: docket.FieldConfig{Min: ptr(0.0), Max: ptr(100.0)}},
		{Key: "score", Type: docket.FieldFloat, Config: docket.FieldConfig{Min: ptr(-1.0), Max: ptr(1.0)}},
		{Key: "born", Type: docket.FieldDate},
		{Key: "seen", Type: docket.FieldDatetime},
		{Key: "risk", Type: docket.FieldChoices, Config: docket.FieldConfig{Options: []string{"low", "high"}}},
		{Key: "note", Type: docket.FieldString, Config: docket.FieldConfig{MaxLength: ptr(5)}},
		{Key: "ok", Type: docket.FieldBoolean},
		{Key: "extra", Type: docket.FieldHash},
		{Key: "list", Type: docket.FieldArray},
		{Key: "ref", Type: docket.FieldString, Required: true},
	}}
}

func TestCreateCaseNames(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		kyc := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		// The initial status need not come first.
		aml := mkTemplate(t, s, &docket.CaseTemplate{Name: "AML", Key: "AML2",
			Statuses: statuses("Review", "intermediate", "New", "initial", "Done", "end")})
		var got []string
		for _, tmID := range []string{kyc.ID, kyc.ID, aml.ID, kyc.ID, aml.ID} {
			c := mkCase(t, s, docket.NewCase{TemplateID: tmID})
			got = append(got, fmt.Sprintf("%s#%d:%s", c.Name, c.Number, c.Status))
			if !docket.ValidID(docket.PrefixCase, c.ID) || c.TemplateID != tmID || c.Version != 1 ||
				!c.CreatedAt.Equal(clock.Now()) || !c.UpdatedAt.Equal(clock.Now()) || c.Resolution != nil ||
				c.Creator == nil || *c.Creator != apiActor || c.AssigneeID != nil || c.RedactedAt != nil || c.SLAExpiresAt != nil {
				t.Fatalf("new case: %+v", c)
			}
			found := caseOK(t)(s.FindCase(ctx, c.ID))
			if jsonText(t, found) != jsonText(t, c) {
				t.Fatalf("created and found differ:\n%s\n%s", jsonText(t, c), jsonText(t, found))
			}
		}
		wantStrings(t, "names", got, []string{"KYC-1#1:Open", "KYC-2#2:Open", "AML2-1#1:New", "KYC-3#3:Open", "AML2-2#2:New"})
	})
}

func TestCreateCaseFields(t *testing.T) {
	t.Parallel()
	const p = "fields."
	valid := func(extra map[string]any) map[string]any {
		m := map[string]any{"ref": "R1"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name   string
		fields map[string]any
		field  string // empty: accepted
		want   string // the stored fields, as JSON
	}{
		{"only required", valid(nil), "", `{"ref":"R1"}`},
		{"every type normalised", valid(map[string]any{
			"count": 7.0, "score": json.Number("0.25"), "born": "2024-02-29", "seen": "2024-01-02T03:04:05.5+02:00",
			"risk": "low", "note": "héllo", "ok": false, "extra": map[string]any{"a": 1.0}, "list": []any{"x", 2.0},
		}), "", `{"ref":"R1","count":7,"score":0.25,"born":"2024-02-29","seen":"2024-01-02T01:04:05.500Z","risk":"low",
			"note":"héllo","ok":false,"extra":{"a":1},"list":["x",2]}`},
		{"integer from json.Number", valid(map[string]any{"count": json.Number("100")}), "", `{"ref":"R1","count":100}`},
		{"whole float as integer", valid(map[string]any{"count": 3.0, "score": -1.0}), "", `{"ref":"R1","count":3,"score":-1}`},
		{"fractional integer", valid(map[string]any{"count": 7.5}), p + "count", ""},
		{"integer below min", valid(map[string]any{"count": -1.0}), p + "count", ""},
		{"integer above max", valid(map[string]any{"count": 101.0}), p + "count", ""},
		{"integer as string", valid(map[string]any{"count": "7"}), p + "count", ""},
		{"float above max", valid(map[string]any{"score": 1.5}), p + "score", ""},
		{"float as bool", valid(map[string]any{"score": true}), p + "score", ""},
		{"impossible date", valid(map[string]any{"born": "2023-02-29"}), p + "born", ""},
		{"date with time", valid(map[string]any{"born": "2024-02-29T00:00:00Z"}), p + "born", ""},
		{"datetime without zone", valid(map[string]any{"seen": "2024-01-02T03:04:05"}), p + "seen", ""},
		{"unknown choice", valid(map[string]any{"risk": "extreme"}), p + "risk", ""},
		{"choice in wrong case", valid(map[string]any{"risk": "LOW"}), p + "risk", ""},
		{"string too long", valid(map[string]any{"note": "héllos"}), p + "note", ""},
		{"string as number", valid(map[string]any{"note": 5.0}), p + "note", ""},
		{"boolean as string", valid(map[string]any{"ok": "true"}), p + "ok", ""},
		{"hash as list", valid(map[string]any{"extra": []any{}}), p + "extra", ""},
		{"array as hash", valid(map[string]any{"list": map[string]any{}}), p + "list", ""},
		{"required missing", map[string]any{"count": 1.0}, p + "ref", ""},
		{"required null", map[string]any{"ref": nil}, p + "ref", ""},
		{"unknown field", valid(map[string]any{"nope": 1.0}), p + "nope", ""},
	}
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, fieldsTemplate("FLD"))
		events := countEvents(t, s)
		accepted := 0
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Fields: tc.fields})
				if tc.field != "" {
					wantErr(t, err, docket.EInvalid, tc.field)
					return
				}
				noErr(t, err)
				accepted++
				wantJSON(t, "created fields", c.Fields, tc.want)
				wantJSON(t, "found fields", caseOK(t)(s.FindCase(ctx, c.ID)).Fields, tc.want)
			})
		}
		// Refused cases used no number and wrote nothing.
		cases := allCases(t, s, docket.CaseFilter{TemplateID: tm.ID})
		var want []string
		for i := accepted; i >= 1; i-- {
			want = append(want, fmt.Sprintf("FLD-%d", i))
		}
		wantStrings(t, "cases", caseNames(cases), want)
		if n := countEvents(t, s); n != events+accepted {
			t.Fatalf("%d events for %d accepted cases", n-events, accepted)
		}
	})
}

func TestCreateCaseTags(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, Tags: []string{"vip", " b ", "a", "b", "vip"}})
		wantStrings(t, "created tags", c.Tags, []string{"a", "b", "vip"})
		wantStrings(t, "found tags", caseOK(t)(s.FindCase(ctx, c.ID)).Tags, []string{"a", "b", "vip"})
		_, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Tags: []string{"ok", "  "}})
		wantErr(t, err, docket.EInvalid, "tags[1]")
		_, err = s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Tags: []string{strings.Repeat("t", docket.MaxTagLength+1)}})
		wantErr(t, err, docket.EInvalid, "tags[0]")
		many := make([]string, docket.MaxTags+1)
		for i := range many {
			many[i] = fmt.Sprint("t", i)
		}
		_, err = s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Tags: many})
		wantErr(t, err, docket.EInvalid, "tags")
	})
}

func TestCreateCaseObjects(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		a1, a2 := mkAccount(t, s, "ref-1"), mkAccount(t, s, "ref-2")
		// Duplicates are attached once; objects attached together are listed by id.
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, ObjectIDs: []string{a2.ID, a1.ID, a2.ID}})
		wantStrings(t, "created objects", c.ObjectIDs, idOrder(a1.ID, a2.ID))
		wantStrings(t, "found objects", caseOK(t)(s.FindCase(ctx, c.ID)).ObjectIDs, idOrder(a1.ID, a2.ID))

		events := countEvents(t, s)
		refused := []struct {
			name string
			ids  []string
			ptr  string
		}{
			{"unknown account second", []string{a1.ID, docket.NewID(docket.PrefixAccount)}, "object-ids[1]"},
			{"unknown inquiry", []string{docket.NewID(docket.PrefixInquiry)}, "object-ids[0]"},
			{"malformed id", []string{"act_123"}, "object-ids[0]"},
			{"not attachable", []string{a1.ID, c.ID}, "object-ids[1]"},
			{"template id", []string{tm.ID}, "object-ids[0]"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Tags: []string{"x"}, ObjectIDs: tc.ids})
				wantErr(t, err, docket.EInvalid, tc.ptr)
			})
		}
		if n := countEvents(t, s); n != events {
			t.Fatalf("refused creates wrote %d events", n-events)
		}
		if got := allCases(t, s, docket.CaseFilter{}); len(got) != 1 {
			t.Fatalf("refused creates left cases: %v", caseNames(got))
		}
		if got := allCases(t, s, docket.CaseFilter{Tag: "x"}); len(got) != 0 {
			t.Fatalf("refused creates left tags: %v", caseNames(got))
		}
		// The numbers the refused cases drew were given back.
		if next := mkCase(t, s, docket.NewCase{TemplateID: tm.ID}); next.Name != "KYC-2" {
			t.Fatalf("next case after refusals is %s, want KYC-2", next.Name)
		}
	})
}

func TestCreateCaseSLA(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		withSLA := mkTemplate(t, s, &docket.CaseTemplate{Name: "SLA", Key: "SLA", SLASeconds: ptr(int64(3600))})
		without := mkTemplate(t, s, &docket.CaseTemplate{Name: "None", Key: "NONE"})
		now := clock.Add(90 * time.Second)
		tests := []struct {
			name     string
			template string
			seconds  *int64
			want     *time.Time
			field    string
		}{
			{"template default", withSLA.ID, nil, ptr(now.Add(time.Hour)), ""},
			{"explicit beats default", withSLA.ID, ptr(int64(60)), ptr(now.Add(time.Minute)), ""},
			{"explicit without default", without.ID, ptr(int64(docket.MaxSLASeconds)), ptr(now.Add(docket.MaxSLASeconds * time.Second)), ""},
			{"no SLA at all", without.ID, nil, nil, ""},
			{"zero", withSLA.ID, ptr(int64(0)), nil, "sla-expires-in-seconds"},
			{"negative", without.ID, ptr(int64(-5)), nil, "sla-expires-in-seconds"},
			{"over 90 days", without.ID, ptr(int64(docket.MaxSLASeconds + 1)), nil, "sla-expires-in-seconds"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				c, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tc.template, SLAExpiresInSecond: tc.seconds})
				if tc.field != "" {
					wantErr(t, err, docket.EInvalid, tc.field)
					return
				}
				noErr(t, err)
				for _, x := range []*docket.Case{c, caseOK(t)(s.FindCase(ctx, c.ID))} {
					if (x.SLAExpiresAt == nil) != (tc.want == nil) || (tc.want != nil && !x.SLAExpiresAt.Equal(*tc.want)) {
						t.Fatalf("sla-expires-at %v, want %v", x.SLAExpiresAt, tc.want)
					}
				}
			})
		}
	})
}

func TestCreateCaseCreatorAndQueue(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		alice := mkUser(t, s, "alice@example.com")
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID, CreatorEmail: " Alice@Example.COM "})
		want := docket.Actor{Type: docket.ActorUser, ID: alice.ID}
		for _, x := range []*docket.Case{c, caseOK(t)(s.FindCase(ctx, c.ID))} {
			if x.Creator == nil || *x.Creator != want {
				t.Fatalf("creator %+v, want %+v", x.Creator, want)
			}
		}
		if c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID}); *c.Creator != apiActor {
			t.Fatalf("creator without email: %+v", c.Creator)
		}
		_, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, CreatorEmail: "nobody@example.com"})
		wantErr(t, err, docket.EInvalid, "creator-email-address")
		queue := docket.NewID(docket.PrefixQueue)
		_, err = s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, QueueID: &queue})
		wantErr(t, err, docket.EInvalid, "case-queue-id")
		if got := allCases(t, s, docket.CaseFilter{}); len(got) != 2 {
			t.Fatalf("%d cases, want 2", len(got))
		}
	})
}

func TestUnknownCase(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		known := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		id := docket.NewID(docket.PrefixCase)
		calls := map[string]func() error{
			"find":           func() error { _, err := s.FindCase(ctx, id); return err },
			"update":         func() error { _, err := s.UpdateCase(ctx, apiActor, id, docket.CaseUpdate{}); return err },
			"set status":     func() error { _, err := s.SetCaseStatus(ctx, apiActor, id, "Open"); return err },
			"assign":         func() error { _, err := s.AssignCase(ctx, apiActor, id, ""); return err },
			"tags":           func() error { _, err := s.ChangeCaseTags(ctx, apiActor, id, "add", []string{"x"}); return err },
			"add objects":    func() error { _, err := s.AddCaseObjects(ctx, apiActor, id, nil); return err },
			"remove objects": func() error { _, err := s.RemoveCaseObjects(ctx, apiActor, id, nil); return err },
			"comment":        func() error { _, err := s.AddComment(ctx, apiActor, id, "hi"); return err },
			"list comments":  func() error { _, _, err := s.ListComments(ctx, id, docket.Page{}); return err },
			"redact":         func() error { _, err := s.RedactCase(ctx, apiActor, id); return err },
		}
		for name, call := range calls {
			t.Run(name, func(t *testing.T) { wantErr(t, call(), docket.ENotFound, "") })
		}
		found := must[[]*docket.Case](t)(s.FindCases(ctx, []string{id, known.ID}))
		if len(found) != 1 || found[0].ID != known.ID {
			t.Fatalf("FindCases: %v", caseNames(found))
		}
		if found := must[[]*docket.Case](t)(s.FindCases(ctx, nil)); len(found) != 0 {
			t.Fatalf("FindCases(nil): %v", caseNames(found))
		}
	})
}
