package docket

import "testing"

// TestTemplateValidateNamesFields checks that a template's validation errors name the
// offending input in domain terms, whatever front end the template came through.
func TestTemplateValidateNamesFields(t *testing.T) {
	t.Parallel()
	valid := func() CaseTemplate {
		return CaseTemplate{Name: "KYC review", Key: "KYC", Statuses: []Status{
			{Name: "Open", Type: StatusInitial}, {Name: "Approved", Type: StatusEnd}},
			AssignmentPolicy: AssignmentPolicy{Type: AssignManual}}
	}
	tests := []struct {
		name   string
		change func(*CaseTemplate)
		field  string
	}{
		{"valid", func(*CaseTemplate) {}, ""},
		{"no name", func(t *CaseTemplate) { t.Name = " " }, "name"},
		{"duplicate status name", func(t *CaseTemplate) { t.Statuses[1].Name = "open" }, "statuses[1].name"},
		{"unknown status type", func(t *CaseTemplate) { t.Statuses[0].Type = "start" }, "statuses[0].type"},
		{"no initial status", func(t *CaseTemplate) { t.Statuses[0].Type = StatusIntermediate }, "statuses"},
		{"field declared twice", func(t *CaseTemplate) {
			t.FieldSchemas = []FieldSchema{{Key: "amount", Type: FieldFloat}, {Key: "amount", Type: FieldString}}
		}, "field-schemas[1].key"},
		{"empty option", func(t *CaseTemplate) {
			t.FieldSchemas = []FieldSchema{{Key: "risk", Type: FieldChoices, Config: FieldConfig{Options: []string{"low", ""}}}}
		}, "field-schemas[0].config.options[1]"},
		{"bad round-robin user", func(t *CaseTemplate) {
			t.AssignmentPolicy = AssignmentPolicy{Type: AssignRoundRobin, UserIDs: []string{"bob"}}
		}, "assignment-policy.user-ids[0]"},
		{"bad notification email", func(t *CaseTemplate) { t.NotificationPolicy.Emails = []string{"a@b.co", "nope"} }, "notification-policy.emails[1]"},
		{"unknown role", func(t *CaseTemplate) { t.VisibleToRoles = []string{"admin", "owner"} }, "visible-to-roles[1]"},
		{"editable by known roles", func(t *CaseTemplate) {
			t.FieldSchemas = []FieldSchema{{Key: "risk", Type: FieldString, EditableByRoles: []string{RoleManager, RoleAdmin}}}
		}, ""},
		{"editable by an unknown role", func(t *CaseTemplate) {
			t.FieldSchemas = []FieldSchema{{Key: "risk", Type: FieldString, EditableByRoles: []string{RoleManager, "owner"}}}
		}, "field-schemas[0].editable-by-roles[1]"},
		{"editable by a role twice", func(t *CaseTemplate) {
			t.FieldSchemas = []FieldSchema{{Key: "risk", Type: FieldString, EditableByRoles: []string{RoleAdmin, RoleAdmin}}}
		}, "field-schemas[0].editable-by-roles[1]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tmpl := valid()
			tc.change(&tmpl)
			err := tmpl.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("want no error, got %v", err)
				}
				return
			}
			if ErrorCode(err) != EInvalid {
				t.Fatalf("want an invalid error at %s, got %v", tc.field, err)
			}
			if field, _ := ErrorField(err); field != tc.field {
				t.Fatalf("error names %q, want %q (%v)", field, tc.field, err)
			}
		})
	}
}

// TestEditableByRolesOnlyOnTemplates: other schemas (transaction types, workflow inputs)
// have no case to edit, so they refuse the setting rather than ignore it.
func TestEditableByRolesOnlyOnTemplates(t *testing.T) {
	t.Parallel()
	err := ValidateFieldSchemas([]FieldSchema{{Key: "a", Type: FieldString}, {Key: "b", Type: FieldString, EditableByRoles: []string{RoleAdmin}}}, "field-schemas")
	if field, _ := ErrorField(err); field != "field-schemas[1].editable-by-roles" {
		t.Fatalf("got %v, want an error at field-schemas[1].editable-by-roles", err)
	}
}
