package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/store"
)

func TestTemplateDefaults(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC review", Key: "KYC"})
		if !docket.ValidID(docket.PrefixTemplate, tm.ID) {
			t.Fatalf("id %q is not a template id", tm.ID)
		}
		got := must[*docket.CaseTemplate](t)(s.FindTemplate(ctx, tm.ID))
		for _, tt := range []*docket.CaseTemplate{tm, got} {
			wantJSON(t, "statuses", tt.Statuses, `[{"name":"Open","type":"initial"},{"name":"Pending","type":"intermediate"},
				{"name":"Approved","type":"end"},{"name":"Declined","type":"end"}]`)
			wantJSON(t, "assignment policy", tt.AssignmentPolicy, `{"type":"manual","user-ids":[]}`)
			wantJSON(t, "notification policy", tt.NotificationPolicy, `{"emails":[]}`)
			wantStrings(t, "visible-to-roles", tt.VisibleToRoles, docket.Roles)
			wantStrings(t, "resolutions", tt.Resolutions(), []string{"Approved", "Declined"})
			if tt.Status != docket.TemplateActive || tt.InitialStatus() != "Open" || tt.SLASeconds != nil || len(tt.FieldSchemas) != 0 {
				t.Fatalf("defaults: %+v", tt)
			}
			if !tt.CreatedAt.Equal(clock.Now()) || !tt.UpdatedAt.Equal(clock.Now()) || tt.ArchivedAt != nil {
				t.Fatalf("times: created %v updated %v archived %v", tt.CreatedAt, tt.UpdatedAt, tt.ArchivedAt)
			}
		}
		wantStrings(t, "events", eventNames(t, s, tm.ID), []string{docket.EventTemplateCreated})
		_, err := s.FindTemplate(ctx, docket.NewID(docket.PrefixTemplate))
		wantErr(t, err, docket.ENotFound, "")
	})
}

func TestTemplateValidation(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		alice := mkUser(t, s, "alice@example.com")
		mkTemplate(t, s, &docket.CaseTemplate{Name: "Existing", Key: "DUP"})
		field := func(key, typ string, c docket.FieldConfig) []docket.FieldSchema {
			return []docket.FieldSchema{{Key: key, Type: typ, Config: c}}
		}
		unknownUser := docket.NewID(docket.PrefixUser)
		tests := []struct {
			name  string
			tm    docket.CaseTemplate
			field string
		}{
			{"empty name", docket.CaseTemplate{Name: " ", Key: "A"}, "name"},
			{"long name", docket.CaseTemplate{Name: strings.Repeat("n", 201), Key: "A"}, "name"},
			{"lower-case key", docket.CaseTemplate{Name: "x", Key: "kyc"}, "key"},
			{"key starts with digit", docket.CaseTemplate{Name: "x", Key: "1KYC"}, "key"},
			{"key too long", docket.CaseTemplate{Name: "x", Key: "ABCDEFGHIJKLMNOPQ"}, "key"},
			{"key with dash", docket.CaseTemplate{Name: "x", Key: "K-Y"}, "key"},
			{"duplicate key", docket.CaseTemplate{Name: "x", Key: "DUP"}, "key"},
			{"two initial statuses", docket.CaseTemplate{Name: "x", Key: "A", Statuses: statuses("A", "initial", "B", "initial", "C", "end")}, "statuses"},
			{"no initial status", docket.CaseTemplate{Name: "x", Key: "A", Statuses: statuses("A", "intermediate", "C", "end")}, "statuses"},
			{"no end status", docket.CaseTemplate{Name: "x", Key: "A", Statuses: statuses("A", "initial", "B", "intermediate")}, "statuses"},
			{"status twice, any case", docket.CaseTemplate{Name: "x", Key: "A", Statuses: statuses("Open", "initial", "open", "end")}, "statuses[1].name"},
			{"status name padded", docket.CaseTemplate{Name: "x", Key: "A", Statuses: statuses("Open", "initial", " Done", "end")}, "statuses[1].name"},
			{"bad status type", docket.CaseTemplate{Name: "x", Key: "A", Statuses: statuses("Open", "start", "Done", "end")}, "statuses[0].type"},
			{"bad field key", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("1st", "string", docket.FieldConfig{})}, "field-schemas[0].key"},
			{"field key with dot", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a.b", "string", docket.FieldConfig{})}, "field-schemas[0].key"},
			{"duplicate field key", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: []docket.FieldSchema{{Key: "a", Type: "string"}, {Key: "a", Type: "integer"}}}, "field-schemas[1].key"},
			{"unknown field type", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a", "money", docket.FieldConfig{})}, "field-schemas[0].type"},
			{"choices without options", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a", "choices", docket.FieldConfig{})}, "field-schemas[0].config.options"},
			{"repeated option", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a", "choices", docket.FieldConfig{Options: []string{"x", "x"}})}, "field-schemas[0].config.options[1]"},
			{"options on a string", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a", "string", docket.FieldConfig{Options: []string{"x"}})}, "field-schemas[0].config.options"},
			{"min on a string", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a", "string", docket.FieldConfig{Min: ptr(1.0)})}, "field-schemas[0].config"},
			{"min above max", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a", "float", docket.FieldConfig{Min: ptr(2.0), Max: ptr(1.0)})}, "field-schemas[0].config.min"},
			{"max-length on an integer", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a", "integer", docket.FieldConfig{MaxLength: ptr(3)})}, "field-schemas[0].config.max-length"},
			{"max-length zero", docket.CaseTemplate{Name: "x", Key: "A", FieldSchemas: field("a", "string", docket.FieldConfig{MaxLength: ptr(0)})}, "field-schemas[0].config.max-length"},
			{"unknown policy", docket.CaseTemplate{Name: "x", Key: "A", AssignmentPolicy: docket.AssignmentPolicy{Type: "lottery"}}, "assignment-policy.type"},
			{"round-robin without users", docket.CaseTemplate{Name: "x", Key: "A", AssignmentPolicy: docket.AssignmentPolicy{Type: "round-robin"}}, "assignment-policy.user-ids"},
			{"malformed user id", docket.CaseTemplate{Name: "x", Key: "A", AssignmentPolicy: docket.AssignmentPolicy{Type: "round-robin", UserIDs: []string{"bob"}}}, "assignment-policy.user-ids[0]"},
			{"unknown user", docket.CaseTemplate{Name: "x", Key: "A", AssignmentPolicy: docket.AssignmentPolicy{Type: "round-robin", UserIDs: []string{unknownUser}}}, "assignment-policy.user-ids[0]"},
			{"second user unknown", docket.CaseTemplate{Name: "x", Key: "A", AssignmentPolicy: docket.AssignmentPolicy{Type: "fewest-cases", UserIDs: []string{alice.ID, unknownUser}}}, "assignment-policy.user-ids[1]"},
			{"user twice", docket.CaseTemplate{Name: "x", Key: "A", AssignmentPolicy: docket.AssignmentPolicy{Type: "round-robin", UserIDs: []string{alice.ID, alice.ID}}}, "assignment-policy.user-ids[1]"},
			{"bad notification email", docket.CaseTemplate{Name: "x", Key: "A", NotificationPolicy: docket.NotificationPolicy{Emails: []string{"a@b.co", "nope"}}}, "notification-policy.emails[1]"},
			{"zero SLA", docket.CaseTemplate{Name: "x", Key: "A", SLASeconds: ptr(int64(0))}, "sla-seconds"},
			{"SLA over 90 days", docket.CaseTemplate{Name: "x", Key: "A", SLASeconds: ptr(int64(docket.MaxSLASeconds + 1))}, "sla-seconds"},
			{"unknown role", docket.CaseTemplate{Name: "x", Key: "A", VisibleToRoles: []string{"admin", "owner"}}, "visible-to-roles[1]"},
		}
		before := countEvents(t, s)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tm := tc.tm
				wantErr(t, s.CreateTemplate(ctx, apiActor, &tm), docket.EInvalid, tc.field)
			})
		}
		if n := countEvents(t, s); n != before {
			t.Fatalf("failed creates wrote %d events", n-before)
		}
		list, _ := must2[*docket.CaseTemplate](t)(s.ListTemplates(ctx, docket.CaseTemplateFilter{}))
		if len(list) != 1 {
			t.Fatalf("failed creates left %d templates, want only the first", len(list))
		}
		// The same policy with a real user is accepted.
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "RR", Key: "RR", AssignmentPolicy: docket.AssignmentPolicy{Type: "round-robin", UserIDs: []string{alice.ID}}})
		got := must[*docket.CaseTemplate](t)(s.FindTemplate(ctx, tm.ID))
		wantStrings(t, "user ids", got.AssignmentPolicy.UserIDs, []string{alice.ID})
	})
}

func TestTemplateUpdate(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		pending := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, pending.ID, "Pending"))
		approved := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, approved.ID, "Approved"))
		mkCase(t, s, docket.NewCase{TemplateID: tm.ID}) // stays Open

		tmplOK := must[*docket.CaseTemplate](t)
		refused := []struct {
			name     string
			statuses []docket.Status
			field    string
		}{
			{"drop a held status", statuses("Open", "initial", "Approved", "end", "Declined", "end"), "statuses"},
			{"rename a held status", statuses("Open", "initial", "pending", "intermediate", "Approved", "end"), "statuses[1].name"},
			{"end status held by resolved cases becomes intermediate", statuses("Open", "initial", "Pending", "intermediate", "Approved", "intermediate", "Declined", "end"), "statuses[2].type"},
			{"held status becomes an end status", statuses("Open", "initial", "Pending", "end", "Approved", "end"), "statuses[1].type"},
			{"two initial statuses", statuses("Open", "initial", "Pending", "initial", "Approved", "end"), "statuses"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				_, err := s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{Statuses: &tc.statuses})
				wantErr(t, err, docket.EInvalid, tc.field)
				got := tmplOK(s.FindTemplate(ctx, tm.ID))
				wantJSON(t, "statuses unchanged", got.Statuses, jsonText(t, docket.DefaultStatuses()))
			})
		}
		wantStrings(t, "events after refused updates", eventNames(t, s, tm.ID), []string{docket.EventTemplateCreated})

		// Dropping an unused status, adding one and changing other attributes works.
		later := clock.Add(time.Hour)
		next := statuses("Open", "initial", "Pending", "intermediate", "Escalated", "intermediate", "Approved", "end")
		name := "KYC (v2)"
		sla := ptr(int64(3600))
		schemas := []docket.FieldSchema{{Key: "score", Type: docket.FieldInteger}}
		got := tmplOK(s.UpdateTemplate(ctx, userActor, tm.ID, docket.CaseTemplateUpdate{Name: &name, Statuses: &next, SLASeconds: &sla, FieldSchemas: &schemas}))
		for _, g := range []*docket.CaseTemplate{got, tmplOK(s.FindTemplate(ctx, tm.ID))} {
			if g.Name != name || g.Key != "KYC" || *g.SLASeconds != 3600 || len(g.FieldSchemas) != 1 || !g.UpdatedAt.Equal(later) || !g.CreatedAt.Equal(epoch) {
				t.Fatalf("updated template: %+v", g)
			}
			wantJSON(t, "statuses", g.Statuses, jsonText(t, next))
		}
		wantStrings(t, "events", eventNames(t, s, tm.ID), []string{docket.EventTemplateCreated, docket.EventTemplateUpdated})
		// A case can move into the new status; fields now follow the new schema.
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, pending.ID, "Escalated"))
		_, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID, Fields: map[string]any{"score": "high"}})
		wantErr(t, err, docket.EInvalid, "fields.score")

		// Clearing the SLA; an unknown user in the policy is refused.
		var noSLA *int64
		got = tmplOK(s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{SLASeconds: &noSLA}))
		if got.SLASeconds != nil {
			t.Fatalf("sla not cleared: %v", *got.SLASeconds)
		}
		_, err = s.UpdateTemplate(ctx, apiActor, tm.ID, docket.CaseTemplateUpdate{AssignmentPolicy: &docket.AssignmentPolicy{Type: "round-robin", UserIDs: []string{docket.NewID(docket.PrefixUser)}}})
		wantErr(t, err, docket.EInvalid, "assignment-policy.user-ids[0]")
		_, err = s.UpdateTemplate(ctx, apiActor, docket.NewID(docket.PrefixTemplate), docket.CaseTemplateUpdate{Name: &name})
		wantErr(t, err, docket.ENotFound, "")
	})
}

func TestTemplateArchive(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *store.Store) {
		clock := useFakeClock(s)
		tm := mkTemplate(t, s, &docket.CaseTemplate{Name: "KYC", Key: "KYC"})
		other := mkTemplate(t, s, &docket.CaseTemplate{Name: "AML", Key: "AML"})
		c := mkCase(t, s, docket.NewCase{TemplateID: tm.ID})
		at := clock.Add(time.Minute)
		got := must[*docket.CaseTemplate](t)(s.ArchiveTemplate(ctx, apiActor, tm.ID))
		if got.Status != docket.TemplateArchived || got.ArchivedAt == nil || !got.ArchivedAt.Equal(at) || !got.UpdatedAt.Equal(at) {
			t.Fatalf("archived: %+v", got)
		}
		_, err := s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: tm.ID})
		wantErr(t, err, docket.EInvalid, "case-template-id")
		// Existing cases still work, and the next case of another template is unaffected.
		caseOK(t)(s.SetCaseStatus(ctx, apiActor, c.ID, "Approved"))
		if c2 := mkCase(t, s, docket.NewCase{TemplateID: other.ID}); c2.Name != "AML-1" {
			t.Fatalf("other template's case: %s", c2.Name)
		}
		// Archiving twice changes nothing and records nothing.
		again := must[*docket.CaseTemplate](t)(s.ArchiveTemplate(ctx, apiActor, tm.ID))
		if !again.ArchivedAt.Equal(at) {
			t.Fatalf("archived-at moved to %v", again.ArchivedAt)
		}
		wantStrings(t, "events", eventNames(t, s, tm.ID), []string{docket.EventTemplateArchived, docket.EventTemplateCreated})
		for status, want := range map[string][]string{"archived": {tm.ID}, "active": {other.ID}, "": {other.ID, tm.ID}} {
			list, _ := must2[*docket.CaseTemplate](t)(s.ListTemplates(ctx, docket.CaseTemplateFilter{Status: status}))
			var ids []string
			for _, x := range list {
				ids = append(ids, x.ID)
			}
			slices.Sort(ids)
			slices.Sort(want)
			wantStrings(t, "templates with status "+status, ids, want)
		}
		_, err = s.ArchiveTemplate(ctx, apiActor, docket.NewID(docket.PrefixTemplate))
		wantErr(t, err, docket.ENotFound, "")
		_, err = s.CreateCase(ctx, apiActor, docket.NewCase{TemplateID: docket.NewID(docket.PrefixTemplate)})
		wantErr(t, err, docket.EInvalid, "case-template-id")
	})
}
