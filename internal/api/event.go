package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/docket-hq/docket"
)

// eventResource renders an event with its object as the object's own endpoint would.
func eventResource(e *docket.Event) (obj, error) {
	data, err := snapshotResource(e.ObjectType, e.Object)
	if err != nil {
		return nil, fmt.Errorf("render event %s: %w", e.ID, err)
	}
	return resource("event", e.ID, obj{
		"name": e.Name, "created-at": ts(e.CreatedAt),
		"payload": obj{"data": data, "included": []any{}},
	}, nil), nil
}

// snapshotResource decodes a stored snapshot and renders it as a resource.
func snapshotResource(objectType string, raw json.RawMessage) (obj, error) {
	var v any
	var render func() obj
	switch objectType {
	case "case":
		c := &docket.Case{}
		v, render = c, func() obj { return caseResource(c) }
	case "case-template":
		t := &docket.CaseTemplate{}
		v, render = t, func() obj { return templateResource(t) }
	case "case-queue":
		q := &docket.CaseQueue{}
		v, render = q, func() obj { return queueResource(q) }
	case "case-comment":
		c := &docket.Comment{}
		v, render = c, func() obj { return commentResource(c) }
	case "user":
		u := &docket.User{}
		v, render = u, func() obj { return userResource(u) }
	case "account":
		a := &docket.Account{}
		v, render = a, func() obj { return accountResource(a) }
	case "inquiry":
		q := &docket.Inquiry{}
		v, render = q, func() obj { return inquiryResource(q, nil) }
	case "report":
		rep := &docket.Report{}
		v, render = rep, func() obj { return reportResource(rep, nil) }
	case "transaction-type":
		t := &docket.TransactionType{}
		v, render = t, func() obj { return txnTypeResource(t) }
	case "transaction":
		t := &docket.Transaction{}
		v, render = t, func() obj { return txnResource(t, nil) }
	case "workflow":
		wf := &docket.Workflow{}
		v, render = wf, func() obj { return workflowResource(wf) }
	case "workflow-run":
		run := &docket.WorkflowRun{}
		v, render = run, func() obj { return runResource(run) }
	case "webhook":
		// Custom headers often carry receivers' credentials: events show their names only.
		w := &docket.Webhook{}
		v, render = w, func() obj {
			for k := range w.CustomHTTPHeaders {
				w.CustomHTTPHeaders[k] = "[redacted]"
			}
			return webhookResource(w, false)
		}
	default:
		return obj{"type": objectType, "attributes": obj{}}, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return render(), nil
}

func (s *Server) getEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.store.FindEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	res, err := eventResource(e)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": res})
	return nil
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixEvent)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, pr, err := s.store.ListEvents(r.Context(), docket.EventFilter{Name: filterParam(q, "name"), ObjectID: filterParam(q, "object-id"), Page: p})
	if err != nil {
		return err
	}
	data, ids := make([]any, len(list)), make([]string, len(list))
	for i, e := range list {
		if data[i], err = eventResource(e); err != nil {
			return err
		}
		ids[i] = e.ID
	}
	writeJSON(w, r, http.StatusOK, listDoc(r, data, ids, pr))
	return nil
}
