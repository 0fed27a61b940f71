package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

var templateAttrs = []string{"name", "key", "statuses", "field-schemas", "assignment-policy", "notification-policy",
	"sla-seconds", "visible-to-roles", "four-eyes-statuses", "sar"}

// templateInput decodes the structured attributes of a template request.
type templateInput struct {
	statuses     *[]docket.Status
	schemas      *[]docket.FieldSchema
	assignment   *docket.AssignmentPolicy
	notification *docket.NotificationPolicy
	roles        *[]string
	fourEyes     *[]string
}

func readTemplateInput(g getter) (templateInput, error) {
	var in templateInput
	in.statuses = new([]docket.Status)
	in.schemas = new([]docket.FieldSchema)
	in.assignment = new(docket.AssignmentPolicy)
	in.notification = new(docket.NotificationPolicy)
	in.roles = new([]string)
	in.fourEyes = new([]string)
	for key, dst := range map[string]any{"statuses": in.statuses, "field-schemas": in.schemas,
		"assignment-policy": in.assignment, "notification-policy": in.notification, "visible-to-roles": in.roles,
		"four-eyes-statuses": in.fourEyes} {
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
	if !g.has("four-eyes-statuses") {
		in.fourEyes = nil
	}
	return in, nil
}

func (s *Server) createTemplate(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
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
	if in.fourEyes != nil {
		t.FourEyesStatuses = *in.fourEyes
	}
	if sar, err := g.boolPtr("sar"); err != nil {
		return err
	} else if sar != nil {
		t.SAR = *sar
	}
	if err := s.store.CreateTemplate(r.Context(), actor(r), t); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.CaseTemplate(t)})
	return nil
}

func (s *Server) updateTemplate(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if g.has("key") {
		return docket.Invalid("key", "a template's key cannot change: it names its existing cases")
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
	u.FourEyesStatuses = in.fourEyes
	if u.SAR, err = g.boolPtr("sar"); err != nil {
		return err
	}
	t, err := s.store.UpdateTemplate(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.CaseTemplate(t)})
	return nil
}

func (s *Server) getTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.FindTemplate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	// A template whose cases the caller may not see is not there for them either: its
	// name and fields say what kind of case is kept from them.
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	if vis.Hides(t.ID) {
		return docket.Errorf(docket.ENotFound, "case template %s not found", t.ID)
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.CaseTemplate(t)})
	return nil
}

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixTemplate, "status")
	if err != nil {
		return err
	}
	status := filterParam(r.URL.Query(), "status")
	if status != "" && status != docket.TemplateActive && status != docket.TemplateArchived {
		return badParam("filter[status]", "filter[status] must be active or archived")
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListTemplates(r.Context(), docket.CaseTemplateFilter{Status: status, Visibility: vis, Page: p})
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.CaseTemplate))
	return nil
}

func (s *Server) archiveTemplate(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	t, err := s.store.ArchiveTemplate(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.CaseTemplate(t)})
	return nil
}
