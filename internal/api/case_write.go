package api

import (
	"net/http"
	"slices"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

func (s *Server) createCase(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	g, m := getter{b.attrs, "/data/attributes"}, getter{b.meta, "/meta"}
	if err := m.onlyKeys("object-ids", "sla-expires-in-seconds"); err != nil {
		return err
	}
	var nc docket.NewCase
	if nc.TemplateID, err = g.str("case-template-id"); err != nil {
		return err
	}
	if nc.TemplateID == "" {
		return invalidPointer("/data/attributes/case-template-id", "case-template-id is required")
	}
	if nc.Fields, err = g.object("fields"); err != nil {
		return err
	}
	if nc.Fields == nil {
		nc.Fields = map[string]any{}
	}
	// Like the hosted API, template fields may also be given as top-level attributes; an
	// error about one points there (see placements).
	for k, v := range b.attrs {
		if slices.Contains(caseAttributes, k) {
			continue
		}
		if _, dup := nc.Fields[k]; dup {
			return invalidPointer(g.ptr(k), "field %q is given twice", k)
		}
		nc.Fields[k] = v
	}
	if nc.Tags, err = g.strList("tags"); err != nil {
		return err
	}
	if nc.CreatorEmail, err = g.str("creator-email-address"); err != nil {
		return err
	}
	if nc.QueueID, err = g.nullableStr("case-queue-id"); err != nil {
		return err
	}
	if nc.ObjectIDs, err = m.strList("object-ids"); err != nil {
		return err
	}
	if nc.SLAExpiresInSecond, err = m.int64Ptr("sla-expires-in-seconds"); err != nil {
		return err
	}
	c, err := s.store.CreateCase(r.Context(), actor(r), nc)
	if err != nil {
		return err
	}
	return s.writeCreatedCase(w, r, c)
}

func (s *Server) updateCase(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	g, m := getter{b.attrs, "/data/attributes"}, getter{b.meta, "/meta"}
	if err := g.onlyKeys("fields", "case-queue-id"); err != nil {
		return err
	}
	if err := m.onlyKeys("sla-expires-in-seconds"); err != nil {
		return err
	}
	var u docket.CaseUpdate
	if u.Fields, err = g.object("fields"); err != nil {
		return err
	}
	if g.has("case-queue-id") {
		q, err := g.nullableStr("case-queue-id")
		if err != nil {
			return err
		}
		u.SetQueue, u.QueueID = true, &q
	}
	if m.has("sla-expires-in-seconds") {
		sla, err := m.int64Ptr("sla-expires-in-seconds")
		if err != nil {
			return err
		}
		u.SetSLA, u.SLA = true, &sla
	}
	if err := s.checkFieldEdits(r, u.Fields); err != nil {
		return err
	}
	c, err := s.store.UpdateCase(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, http.StatusOK, c)
}

// checkFieldEdits refuses (403, at the field) a change to a field that the template lets
// only some roles edit, when the caller's user has none of them (Principal.CheckFieldEdits).
// A key without a user may change any field, so it costs no read.
func (s *Server) checkFieldEdits(r *http.Request, fields map[string]any) error {
	p := principal(r)
	if len(fields) == 0 || p.User == nil {
		return nil
	}
	c, err := s.store.FindCase(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	t, err := s.store.FindTemplate(r.Context(), c.TemplateID)
	if err != nil {
		return err
	}
	return p.CheckFieldEdits(t, fields)
}

func (s *Server) redactCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.store.RedactCase(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.writeCase(w, r, http.StatusOK, c)
}

func (s *Server) setCaseStatus(w http.ResponseWriter, r *http.Request) error {
	b, err := readMeta(r, "status", "comment")
	if err != nil {
		return err
	}
	m := getter{b.meta, "/meta"}
	status, err := m.str("status")
	if err != nil {
		return err
	}
	if status == "" {
		return invalidPointer("/meta/status", "meta.status is required")
	}
	// meta.comment, if given, says why; it is written with the change or not at all.
	comment, err := m.str("comment")
	if err != nil {
		return err
	}
	c, _, err := s.store.SetCaseStatusWithComment(r.Context(), actor(r), r.PathValue("id"), status, comment)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, http.StatusOK, c)
}

func (s *Server) assignCase(w http.ResponseWriter, r *http.Request) error {
	b, err := readMeta(r, "user-email-address")
	if err != nil {
		return err
	}
	m := getter{b.meta, "/meta"}
	if !m.has("user-email-address") {
		return invalidPointer("/meta/user-email-address", "meta.user-email-address is required (null unassigns)")
	}
	email, err := m.nullableStr("user-email-address")
	if err != nil {
		return err
	}
	addr := ""
	if email != nil {
		if addr = *email; addr == "" {
			return invalidPointer("/meta/user-email-address", "meta.user-email-address must be an email address or null")
		}
	}
	if err := s.checkAssign(r, r.PathValue("id"), addr); err != nil {
		return err
	}
	c, err := s.store.AssignCase(r.Context(), actor(r), r.PathValue("id"), addr)
	if err != nil {
		return err
	}
	return s.writeCase(w, r, http.StatusOK, c)
}

// caseObjects serves add-objects and remove-objects.
func (s *Server) caseObjects(add bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := readMeta(r, "object-ids")
		if err != nil {
			return err
		}
		m := getter{b.meta, "/meta"}
		ids, err := m.strList("object-ids")
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return invalidPointer("/meta/object-ids", "meta.object-ids must list at least one object id")
		}
		var c *docket.Case
		if add {
			c, err = s.store.AddCaseObjects(r.Context(), actor(r), r.PathValue("id"), ids)
		} else {
			c, err = s.store.RemoveCaseObjects(r.Context(), actor(r), r.PathValue("id"), ids)
		}
		if err != nil {
			return err
		}
		return s.writeCase(w, r, http.StatusOK, c)
	}
}

// caseTags serves add-tag, remove-tag and set-tags.
func (s *Server) caseTags(op string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		keys := []string{"tag-name"}
		if op == "set" {
			keys = append(keys, "tag-names")
		}
		b, err := readMeta(r, keys...)
		if err != nil {
			return err
		}
		m := getter{b.meta, "/meta"}
		if m.has("tag-name") && m.has("tag-names") {
			return invalidPointer("/meta/tag-names", "send meta.tag-name or meta.tag-names, not both")
		}
		key := "tag-name"
		if op == "set" && m.has("tag-names") {
			key = "tag-names"
		}
		if !m.has(key) {
			return invalidPointer("/meta/tag-name", "meta.tag-name is required")
		}
		tags, err := m.strList(key)
		if err != nil {
			return err
		}
		if op != "set" && len(tags) != 1 {
			return invalidPointer("/meta/tag-name", "meta.tag-name must be one tag")
		}
		c, err := s.store.ChangeCaseTags(r.Context(), actor(r), r.PathValue("id"), op, tags)
		if err != nil {
			return err
		}
		return s.writeCase(w, r, http.StatusOK, c)
	}
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request) error {
	b, err := readMeta(r, "body")
	if err != nil {
		return err
	}
	m := getter{b.meta, "/meta"}
	text, err := m.str("body")
	if err != nil {
		return err
	}
	cm, err := s.store.AddComment(r.Context(), actor(r), r.PathValue("id"), text)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Comment(cm)})
	return nil
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixComment)
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListComments(r.Context(), r.PathValue("id"), p)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.Comment))
	return nil
}
