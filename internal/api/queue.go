package api

import (
	"errors"
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

var queueAttrs = []string{"name", "filter"}

// readQueueFilter decodes data.attributes.filter; null is the empty filter. Unknown keys
// are refused so that a misspelt condition is not silently ignored.
func readQueueFilter(g getter) (docket.CaseQueueFilter, error) {
	var f docket.CaseQueueFilter
	err := g.into("filter", &f)
	return f, err
}

func (s *Server) createQueue(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(queueAttrs...); err != nil {
		return err
	}
	q := &docket.CaseQueue{}
	if q.Name, err = g.str("name"); err != nil {
		return err
	}
	if q.Filter, err = readQueueFilter(g); err != nil {
		return err
	}
	if err := s.store.CreateQueue(r.Context(), actor(r), q); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.CaseQueue(q)})
	return nil
}

func (s *Server) updateQueue(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if g.has("status") {
		return docket.Invalid("status", "status cannot be set: use POST /case-queues/{id}/archive")
	}
	if err := g.onlyKeys(queueAttrs...); err != nil {
		return err
	}
	var u docket.CaseQueueUpdate
	if g.has("name") {
		name, err := g.str("name")
		if err != nil {
			return err
		}
		u.Name = &name
	}
	if g.has("filter") {
		f, err := readQueueFilter(g)
		if err != nil {
			return err
		}
		u.Filter = &f
	}
	q, err := s.store.UpdateQueue(r.Context(), actor(r), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.CaseQueue(q)})
	return nil
}

func (s *Server) getQueue(w http.ResponseWriter, r *http.Request) error {
	q, err := s.store.FindQueue(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.CaseQueue(q)})
	return nil
}

func (s *Server) listQueues(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixQueue, "status")
	if err != nil {
		return err
	}
	status := filterParam(r.URL.Query(), "status")
	if status != "" && status != docket.QueueActive && status != docket.QueueArchived {
		return badParam("filter[status]", "filter[status] must be active or archived")
	}
	list, pr, err := s.store.ListQueues(r.Context(), docket.CaseQueueListFilter{Status: status, Page: p})
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.CaseQueue))
	return nil
}

func (s *Server) archiveQueue(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	q, err := s.store.ArchiveQueue(r.Context(), actor(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.CaseQueue(q)})
	return nil
}

// claimQueueCase gives the caller (meta.user-email-address) the queue's most urgent
// unassigned case. An empty queue is not an error: the answer is 200 with data null and
// meta.queue-empty true, so that a reviewer's "next case" button needs no error handling.
func (s *Server) claimQueueCase(w http.ResponseWriter, r *http.Request) error {
	include, err := parseInclude(r, caseIncludes...)
	if err != nil {
		return err
	}
	b, err := readMeta(r, "user-email-address")
	if err != nil {
		return err
	}
	m := getter{b.meta, "/meta"}
	email, err := m.str("user-email-address")
	if err != nil {
		return err
	}
	if u := principal(r).User; email == "" && u != nil {
		email = u.Email // a key that belongs to a user claims for that user
	}
	if email == "" {
		return invalidPointer("/meta/user-email-address", "meta.user-email-address is required: the email address of the user who takes the case")
	}
	if err := s.checkAssign(r, "", email); err != nil {
		return err
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	c, err := s.store.ClaimNextCase(r.Context(), actor(r), r.PathValue("id"), email, vis)
	if errors.Is(err, docket.ErrQueueEmpty) {
		writeJSON(w, r, http.StatusOK, obj{"data": nil, "meta": obj{"queue-empty": true}})
		return nil
	}
	if err != nil {
		return err
	}
	doc := obj{"data": jsonapi.Case(c), "meta": obj{"queue-empty": false}}
	if err := s.addIncluded(r, doc, []*docket.Case{c}, include); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, doc)
	return nil
}
