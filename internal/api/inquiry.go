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

func (s *Server) createInquiry(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("reference-id", "account-id", "creator-email-address", "note", "fields", "tags"); err != nil {
		return err
	}
	var n docket.NewInquiry
	for key, dst := range map[string]**string{"reference-id": &n.ReferenceID, "account-id": &n.AccountID,
		"creator-email-address": &n.CreatorEmail, "note": &n.Note} {
		if *dst, err = g.nullableStr(key); err != nil {
			return err
		}
	}
	if n.Fields, err = g.object("fields"); err != nil {
		return err
	}
	n.Fields = untypedFields(n.Fields)
	if n.Tags, err = g.strList("tags"); err != nil {
		return err
	}
	q, err := s.store.CreateInquiry(r.Context(), actor(r), n)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Inquiry(q, []string{})})
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
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Inquiry(q, cases)})
	return nil
}

func (s *Server) updateInquiry(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("fields", "tags", "note"); err != nil {
		return err
	}
	var u docket.InquiryUpdate
	if u.Fields, err = g.object("fields"); err != nil {
		return err
	}
	u.Fields = untypedFields(u.Fields)
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
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Inquiry(q, nil)})
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
		writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Inquiry(q, nil)})
		return nil
	}
}

func (s *Server) redactInquiry(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.RedactInquiry(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Inquiry(q, nil)})
	return nil
}

func (s *Server) listInquiries(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixInquiry, "status", "reference-id", "account-id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := docket.InquiryFilter{Status: filterParam(q, "status"), ReferenceID: filterParam(q, "reference-id"), Page: p}
	if f.AccountID, err = filterID(q, "account-id", docket.PrefixAccount); err != nil {
		return err
	}
	list, pr, err := s.store.ListInquiries(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, func(x *docket.Inquiry) obj { return jsonapi.Inquiry(x, nil) }))
	return nil
}
