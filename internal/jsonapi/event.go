package jsonapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/docket-hq/docket"
)

// Event renders an event with its object as the object's own endpoint would.
func Event(e *docket.Event) (Object, error) {
	data, err := snapshotResource(e.ObjectType, e.Object)
	if err != nil {
		return nil, fmt.Errorf("render event %s: %w", e.ID, err)
	}
	return resource("event", e.ID, Object{
		"name": e.Name, "created-at": ts(e.CreatedAt),
		"payload": Object{"data": data, "included": []any{}},
	}, nil), nil
}

// snapshotResource decodes a stored snapshot and renders it as a resource.
func snapshotResource(objectType string, raw json.RawMessage) (Object, error) {
	var v any
	var render func() Object
	switch objectType {
	case "case":
		c := &docket.Case{}
		v, render = c, func() Object { return Case(c) }
	case "case-template":
		t := &docket.CaseTemplate{}
		v, render = t, func() Object { return CaseTemplate(t) }
	case "case-queue":
		q := &docket.CaseQueue{}
		v, render = q, func() Object { return CaseQueue(q) }
	case "case-comment":
		c := &docket.Comment{}
		v, render = c, func() Object { return Comment(c) }
	case "user":
		u := &docket.User{}
		v, render = u, func() Object { return User(u) }
	case docket.KindAccount.Type:
		a := &docket.Account{}
		v, render = a, func() Object { return Account(a, nil) }
	case docket.KindInquiry.Type:
		q := &docket.Inquiry{}
		v, render = q, func() Object { return Inquiry(q, nil) }
	case docket.KindReport.Type:
		rep := &docket.Report{}
		v, render = rep, func() Object { return Report(rep, nil) }
	case "transaction-type":
		t := &docket.TransactionType{}
		v, render = t, func() Object { return TransactionType(t) }
	case docket.KindTransaction.Type:
		t := &docket.Transaction{}
		v, render = t, func() Object { return Transaction(t, nil) }
	case "workflow":
		wf := &docket.Workflow{}
		v, render = wf, func() Object { return Workflow(wf) }
	case "workflow-run":
		run := &docket.WorkflowRun{}
		v, render = run, func() Object { return WorkflowRun(run) }
	case "webhook":
		// Custom headers often carry receivers' credentials: events show their names only.
		w := &docket.Webhook{}
		v, render = w, func() Object {
			for k := range w.CustomHTTPHeaders {
				w.CustomHTTPHeaders[k] = docket.MaskedSecret
			}
			return Webhook(w, false)
		}
	case docket.KindSAR.Type:
		x := &docket.SAR{}
		v, render = x, func() Object { return SAR(x) }
	default:
		return Object{"type": objectType, "attributes": Object{}}, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, err
	}
	return render(), nil
}

// RenderEvent renders an event as a webhook delivers it: the JSON:API event envelope,
// with the attributes named by blocklist removed from the payload's objects and keys in
// the webhook's inflection. Blocklist entries are dotted paths relative to an object's
// attributes, each segment a glob ("fields.ssn", "fields.*", "name-*").
func RenderEvent(e *docket.Event, inflection string, blocklist []string) ([]byte, error) {
	res, err := Event(e)
	if err != nil {
		return nil, err
	}
	if len(blocklist) > 0 {
		payload := res["attributes"].(Object)["payload"].(Object)
		if data, ok := payload["data"].(Object); ok {
			blockAttributes(data, blocklist)
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(InflectKeys(Object{"data": res}, inflection)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func blockAttributes(resource Object, blocklist []string) {
	attrs, ok := resource["attributes"].(Object)
	if !ok {
		return
	}
	for _, b := range blocklist {
		removePath(attrs, strings.Split(b, "."))
	}
}

// removePath deletes the keys of m matching the glob path.
func removePath(m map[string]any, segs []string) {
	for k, v := range m {
		if ok, _ := path.Match(segs[0], k); !ok {
			continue
		}
		if len(segs) == 1 {
			delete(m, k)
			continue
		}
		if child, ok := v.(map[string]any); ok {
			removePath(child, segs[1:])
		}
	}
}
