package api

import (
	"net/http"
	"regexp"

	"github.com/docket-hq/docket"
)

// inquiryFieldAttrs are fields the hosted API also shows as top-level inquiry attributes.
var inquiryFieldAttrs = []string{"name-first", "name-middle", "name-last", "birthdate", "address-street-1",
	"address-street-2", "address-city", "address-subdivision", "address-postal-code", "address-country-code",
	"email-address", "phone-number", "identification-number"}

var dateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// typedFields renders fields as the hosted API does: {"key": {"type": ..., "value": ...}}.
func typedFields(fields map[string]any) obj {
	out := obj{}
	for k, v := range fields {
		typ := "string"
		switch x := v.(type) {
		case bool:
			typ = "boolean"
		case map[string]any:
			typ = "hash"
		case []any:
			typ = "array"
		case string:
			if dateRe.MatchString(x) {
				typ = "date"
			}
		case nil:
		default:
			typ = "number"
		}
		out[k] = obj{"type": typ, "value": v}
	}
	return out
}

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

func inquiryResource(q *docket.Inquiry, caseIDs []string) obj {
	attrs := obj{
		"status": q.Status, "reference-id": strOrNil(q.ReferenceID), "note": strOrNil(q.Note), "tags": orEmpty(q.Tags),
		"creator": strOrNil(q.CreatorEmail), "reviewer-comment": strOrNil(q.ReviewerComment),
		"created-at": ts(q.CreatedAt), "updated-at": ts(q.UpdatedAt), "started-at": tsPtr(q.StartedAt),
		"completed-at": tsPtr(q.CompletedAt), "failed-at": tsPtr(q.FailedAt), "marked-for-review-at": tsPtr(q.MarkedAt),
		"decisioned-at": tsPtr(q.DecisionedAt), "expired-at": tsPtr(q.ExpiredAt), "redacted-at": tsPtr(q.RedactedAt),
		"fields": typedFields(q.Fields),
	}
	for _, k := range inquiryFieldAttrs {
		attrs[k] = q.Fields[k]
	}
	rels := obj{"account": one("account", q.AccountID)}
	if caseIDs != nil {
		rels["cases"] = many("case", caseIDs)
	}
	return resource("inquiry", q.ID, attrs, rels)
}

func (s *Server) createInquiry(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
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
	writeJSON(w, r, http.StatusCreated, obj{"data": inquiryResource(q, []string{})})
	return nil
}

func (s *Server) getInquiry(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.FindInquiry(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	cases, err := s.store.ObjectCaseIDs(r.Context(), q.ID)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": inquiryResource(q, cases)})
	return nil
}

func (s *Server) updateInquiry(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
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
	writeJSON(w, r, http.StatusOK, obj{"data": inquiryResource(q, nil)})
	return nil
}

// inquiryAction serves POST /inquiries/{id}/<action> with an optional meta.comment.
func (s *Server) inquiryAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		b, err := readBody(r)
		if err != nil {
			return err
		}
		m := getter{b.meta, "/meta"}
		if err := m.onlyKeys("comment"); err != nil {
			return err
		}
		comment, err := m.nullableStr("comment")
		if err != nil {
			return err
		}
		q, err := s.store.InquiryAction(r.Context(), actor(r), r.PathValue("id"), action, comment)
		if err != nil {
			return err
		}
		writeJSON(w, r, http.StatusOK, obj{"data": inquiryResource(q, nil)})
		return nil
	}
}

func (s *Server) redactInquiry(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.RedactInquiry(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": inquiryResource(q, nil)})
	return nil
}

func (s *Server) listInquiries(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixInquiry)
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
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, func(x *docket.Inquiry) obj { return inquiryResource(x, nil) }))
	return nil
}
