package api

import (
	"net/http"

	"github.com/docket-hq/docket"
)

func templateResource(t *docket.CaseTemplate) obj {
	statuses := make([]any, len(t.Statuses))
	for i, s := range t.Statuses {
		statuses[i] = obj{"name": s.Name, "type": s.Type}
	}
	schemas := make([]any, len(t.FieldSchemas))
	for i, f := range t.FieldSchemas {
		schemas[i] = fieldSchemaObj(f)
	}
	var sla any
	if t.SLASeconds != nil {
		sla = *t.SLASeconds
	}
	return resource("case-template", t.ID, obj{
		"name": t.Name, "key": t.Key, "status": t.Status, "statuses": statuses, "resolutions": orEmpty(t.Resolutions()),
		"field-schemas":       schemas,
		"assignment-policy":   obj{"type": t.AssignmentPolicy.Type, "user-ids": orEmpty(t.AssignmentPolicy.UserIDs)},
		"notification-policy": obj{"emails": orEmpty(t.NotificationPolicy.Emails)},
		"sla-seconds":         sla, "visible-to-roles": orEmpty(t.VisibleToRoles),
		"created-at": ts(t.CreatedAt), "updated-at": ts(t.UpdatedAt), "archived-at": tsPtr(t.ArchivedAt),
	}, nil)
}

func fieldSchemaObj(f docket.FieldSchema) obj {
	cfg := obj{}
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
	return obj{"key": f.Key, "type": f.Type, "label": f.Label, "required": f.Required, "config": cfg}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

var templateAttrs = []string{"name", "key", "statuses", "field-schemas", "assignment-policy", "notification-policy",
	"sla-seconds", "visible-to-roles"}

// templateInput decodes the structured attributes of a template request.
type templateInput struct {
	statuses     *[]docket.Status
	schemas      *[]docket.FieldSchema
	assignment   *docket.AssignmentPolicy
	notification *docket.NotificationPolicy
	roles        *[]string
}

func readTemplateInput(g getter) (templateInput, error) {
	var in templateInput
	in.statuses = new([]docket.Status)
	in.schemas = new([]docket.FieldSchema)
	in.assignment = new(docket.AssignmentPolicy)
	in.notification = new(docket.NotificationPolicy)
	in.roles = new([]string)
	for key, dst := range map[string]any{"statuses": in.statuses, "field-schemas": in.schemas,
		"assignment-policy": in.assignment, "notification-policy": in.notification, "visible-to-roles": in.roles} {
		if err := g.into(key, dst); err != nil {
			return in, err
		}
	}
	// Absent attributes stay nil, so that an update leaves them alone.
	if !g.has("statuses") {
		in.statuses = nil
	}
	if !g.has("field-schemas") {
		in.schemas = nil
	}
	if !g.has("assignment-policy") {
		in.assignment = nil
	}
	if !g.has("notification-policy") {
		in.notification = nil
	}
	if !g.has("visible-to-roles") {
		in.roles = nil
	}
	return in, nil
}

func (s *Server) createTemplate(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(templateAttrs...); err != nil {
		return err
	}
	t := &docket.CaseTemplate{}
	if t.Name, err = g.str("name"); err != nil {
		return err
	}
	if t.Key, err = g.str("key"); err != nil {
		return err
	}
	if t.SLASeconds, err = g.int64Ptr("sla-seconds"); err != nil {
		return err
	}
	in, err := readTemplateInput(g)
	if err != nil {
		return err
	}
	if in.statuses != nil {
		t.Statuses = *in.statuses
	}
	if in.schemas != nil {
		t.FieldSchemas = *in.schemas
	}
	if in.assignment != nil {
		t.AssignmentPolicy = *in.assignment
	}
	if in.notification != nil {
		t.NotificationPolicy = *in.notification
	}
	if in.roles != nil {
		t.VisibleToRoles = *in.roles
	}
	if err := s.store.CreateTemplate(r.Context(), actor(r), t); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": templateResource(t)})
	return nil
}

func (s *Server) updateTemplate(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if g.has("key") {
		return docket.Invalid("/data/attributes/key", "a template's key cannot change: it names its existing cases")
	}
	if err := g.onlyKeys(templateAttrs...); err != nil {
		return err
	}
	var u docket.CaseTemplateUpdate
	if g.has("name") {
		name, err := g.str("name")
		if err != nil {
			return err
		}
		u.Name = &name
	}
	if g.has("sla-seconds") {
		sla, err := g.int64Ptr("sla-seconds")
		if err != nil {
			return err
		}
		u.SLASeconds = &sla
	}
	in, err := readTemplateInput(g)
	if err != nil {
		return err
	}
	u.Statuses, u.FieldSchemas, u.AssignmentPolicy, u.NotificationPolicy, u.VisibleToRoles =
		in.statuses, in.schemas, in.assignment, in.notification, in.roles
	t, err := s.store.UpdateTemplate(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": templateResource(t)})
	return nil
}

func (s *Server) getTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.FindTemplate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": templateResource(t)})
	return nil
}

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixTemplate)
	if err != nil {
		return err
	}
	status := filterParam(r.URL.Query(), "status")
	if status != "" && status != docket.TemplateActive && status != docket.TemplateArchived {
		return badParam("filter[status]", "filter[status] must be active or archived")
	}
	list, pr, err := s.store.ListTemplates(r.Context(), docket.CaseTemplateFilter{Status: status, Page: p})
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, templateResource))
	return nil
}

func (s *Server) archiveTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.ArchiveTemplate(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": templateResource(t)})
	return nil
}
