package api

import (
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// untypedFields accepts fields either plain or in the hosted API's {type, value} form.
func untypedFields(fields map[string]any) map[string]any {
	for k, v := range fields {
		if m, ok := v.(map[string]any); ok && len(m) == 2 {
			if _, hasType := m["type"]; hasType {
				if val, hasValue := m["value"]; hasValue {
					fields[k] = val
				}
			}
		}
	}
	return fields
}

// inquiryCreateKeys are the attributes an inquiry's create takes: Docket's, the hosted
// product's template ids, and the identity attributes.
var inquiryCreateKeys = append([]string{"reference-id", "account-id", "creator-email-address", "note", "fields", "tags",
	"inquiry-template-id", "template-id", "inquiry-template-version-id"}, identityKeys...)

func (s *Server) createInquiry(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(inquiryCreateKeys...); err != nil {
		return err
	}
	var n docket.NewInquiry
	for key, dst := range map[string]**string{"reference-id": &n.ReferenceID, "account-id": &n.AccountID,
		"creator-email-address": &n.CreatorEmail, "note": &n.Note, "inquiry-template-id": &n.Templates.InquiryTemplateID,
		"template-id": &n.Templates.TemplateID, "inquiry-template-version-id": &n.Templates.InquiryTemplateVersionID} {
		if *dst, err = g.nullableStr(key); err != nil {
			return err
		}
	}
	if n.Fields, err = g.object("fields"); err != nil {
		return err
	}
	n.Fields = untypedFields(n.Fields)
	id, err := readIdentity(g)
	if err != nil {
		return err
	}
	if err := fieldIdentity(n.Fields, &id); err != nil {
		return err
	}
	n.Identity.Apply(id)
	if n.Tags, err = g.strList("tags"); err != nil {
		return err
	}
	q, err := s.store.CreateInquiry(r.Context(), actor(r), n)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Inquiry(shownInquiry(r, q), []string{})})
	return nil
}

func (s *Server) getInquiry(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.FindInquiry(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	cases, err := s.objectCaseIDs(r, q.ID)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Inquiry(shownInquiry(r, q), cases)})
	return nil
}

func (s *Server) updateInquiry(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(append([]string{"fields", "tags", "note"}, identityKeys...)...); err != nil {
		return err
	}
	var u docket.InquiryUpdate
	if u.Fields, err = g.object("fields"); err != nil {
		return err
	}
	u.Fields = untypedFields(u.Fields)
	if u.Identity, err = readIdentity(g); err != nil {
		return err
	}
	if err := fieldIdentity(u.Fields, &u.Identity); err != nil {
		return err
	}
	if g.has("tags") {
		tags, err := g.strList("tags")
		if err != nil {
			return err
		}
		u.Tags = &tags
	}
	if g.has("note") {
		note, err := g.nullableStr("note")
		if err != nil {
			return err
		}
		u.Note = &note
	}
	q, err := s.store.UpdateInquiry(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Inquiry(shownInquiry(r, q), nil)})
	return nil
}

// inquiryAction serves POST /inquiries/{id}/<action> with an optional meta.comment.
func (s *Server) inquiryAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := readMeta(r, "comment")
		if err != nil {
			return err
		}
		m := getter{b.meta, "/meta"}
		comment, err := m.nullableStr("comment")
		if err != nil {
			return err
		}
		q, err := s.store.InquiryAction(r.Context(), actor(r), r.PathValue("id"), action, comment)
		if err != nil {
			return err
		}
		writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Inquiry(shownInquiry(r, q), nil)})
		return nil
	}
}

func (s *Server) redactInquiry(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.RedactInquiry(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Inquiry(shownInquiry(r, q), nil)})
	return nil
}

func (s *Server) listInquiries(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixInquiry, "status", "reference-id", "account-id", "inquiry-template-id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := docket.InquiryFilter{Status: filterParam(q, "status"), ReferenceID: filterParam(q, "reference-id"),
		InquiryTemplateID: filterParam(q, "inquiry-template-id"), Page: p}
	if f.AccountID, err = filterID(q, "account-id", docket.PrefixAccount); err != nil {
		return err
	}
	list, pr, err := s.store.ListInquiries(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, func(x *docket.Inquiry) obj { return jsonapi.Inquiry(shownInquiry(r, x), nil) }))
	return nil
}
