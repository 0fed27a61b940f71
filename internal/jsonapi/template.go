package jsonapi

import "github.com/docket-hq/docket"

// CaseTemplate renders a case template with its statuses, field schemas and policies.
func CaseTemplate(t *docket.CaseTemplate) Object {
	statuses := make([]any, len(t.Statuses))
	for i, s := range t.Statuses {
		statuses[i] = Object{"name": s.Name, "type": s.Type}
	}
	schemas := make([]any, len(t.FieldSchemas))
	for i, f := range t.FieldSchemas {
		o := fieldSchemaObj(f)
		o["editable-by-roles"] = orEmpty(f.EditableByRoles)
		o["searchable"] = f.Searchable
		schemas[i] = o
	}
	var sla any
	if t.SLASeconds != nil {
		sla = *t.SLASeconds
	}
	return resource("case-template", t.ID, Object{
		"name": t.Name, "key": t.Key, "status": t.Status, "statuses": statuses, "resolutions": orEmpty(t.Resolutions()),
		"field-schemas":       schemas,
		"assignment-policy":   Object{"type": t.AssignmentPolicy.Type, "user-ids": orEmpty(t.AssignmentPolicy.UserIDs)},
		"notification-policy": Object{"emails": orEmpty(t.NotificationPolicy.Emails)},
		"sla-seconds":         sla, "visible-to-roles": orEmpty(t.VisibleToRoles), "four-eyes-statuses": orEmpty(t.FourEyesStatuses),
		"sar":        t.SAR,
		"created-at": ts(t.CreatedAt), "updated-at": ts(t.UpdatedAt), "archived-at": tsPtr(t.ArchivedAt),
	}, nil)
}

func fieldSchemaObj(f docket.FieldSchema) Object {
	cfg := Object{}
	if len(f.Config.Options) > 0 {
		cfg["options"] = f.Config.Options
	}
	if f.Config.Min != nil {
		cfg["min"] = *f.Config.Min
	}
	if f.Config.Max != nil {
		cfg["max"] = *f.Config.Max
	}
	if f.Config.MaxLength != nil {
		cfg["max-length"] = *f.Config.MaxLength
	}
	return Object{"key": f.Key, "type": f.Type, "label": f.Label, "required": f.Required, "config": cfg}
}
