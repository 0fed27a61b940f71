package jsonapi

import "github.com/docket-hq/docket"

// CaseQueue renders a case queue with its filter.
func CaseQueue(q *docket.CaseQueue) Object {
	anyOrNil := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	return resource("case-queue", q.ID, Object{
		"name": q.Name, "status": q.Status,
		"filter": Object{
			"case-template-ids": orEmpty(q.Filter.TemplateIDs), "statuses": orEmpty(q.Filter.Statuses),
			"tags": orEmpty(q.Filter.Tags), "sla": anyOrNil(q.Filter.SLA), "assignee": anyOrNil(q.Filter.Assignee),
		},
		"created-at": ts(q.CreatedAt), "updated-at": ts(q.UpdatedAt), "archived-at": tsPtr(q.ArchivedAt),
	}, nil)
}
