package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestQueues(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["reader"] = "Bearer " + h.keyWithScopes("case.read")
		h.scenario(t, vars, []step{
			{name: "create", method: "POST", path: "/case-queues",
				body: `{"data":{"attributes":{"name":"KYC backlog","filter":{"case-template-ids":["{{tmpl}}"],
					"statuses":["Open"],"tags":["pep"," pep"],"sla":"breached","assignee":"unassigned"}}}}`,
				status: 201, save: map[string]string{"queue": "data.id"},
				want: []string{`"type":"case-queue"`, `"id":"cqueue_`, `"name":"KYC backlog"`, `"status":"active"`,
					`"filter":{"assignee":"unassigned","case-template-ids":["{{tmpl}}"],"sla":"breached","statuses":["Open"],"tags":["pep"]}`,
					`"archived-at":null`, `"created-at":"`, `"updated-at":"`}},
			{name: "create without filter", method: "POST", path: "/case-queues",
				body: `{"data":{"attributes":{"name":"Escalations"}}}`, status: 201, save: map[string]string{"plain": "data.id"},
				want: []string{`"filter":{"assignee":null,"case-template-ids":[],"sla":null,"statuses":[],"tags":[]}`}},
			{name: "create in camel case", method: "POST", path: "/case-queues", headers: []string{"Key-Inflection", "camel"},
				body:   `{"data":{"attributes":{"name":"Mine","filter":{"caseTemplateIds":["{{tmpl}}"],"assignee":"{{user}}"}}}}`,
				status: 201, want: []string{`"caseTemplateIds":["{{tmpl}}"]`, `"assignee":"{{user}}"`, `"archivedAt":null`}},
			{name: "missing name", method: "POST", path: "/case-queues", body: `{"data":{"attributes":{"filter":{}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/name"`}},
			{name: "blank status", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"statuses":[""]}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/filter/statuses/0"`}},
			{name: "bad template id", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"case-template-ids":["{{tmpl}}","{{user}}"]}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/filter/case-template-ids/1"`}},
			{name: "unknown template", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"case-template-ids":["ctmpl_01h455vb4pex5vsknk084sn02q"]}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/filter/case-template-ids/0"`}},
			{name: "bad tag", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"tags":["ok","  "]}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/filter/tags/1"`}},
			{name: "bad sla", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"sla":"overdue"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/filter/sla"`}},
			{name: "bad assignee", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"assignee":"ada@example.com"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/filter/assignee"`}},
			{name: "unknown assignee", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"assignee":"user_01h455vb4pex5vsknk084sn02q"}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/filter/assignee"`}},
			{name: "unknown filter key", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"colour":"red"}}}}`,
				status: 400, want: []string{`"pointer":"/data/attributes/filter"`}},
			{name: "filter of wrong type", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","filter":{"statuses":"Open"}}}}`,
				status: 400, want: []string{`"pointer":"/data/attributes/filter/statuses"`}},
			{name: "unknown attribute", method: "POST", path: "/case-queues",
				body:   `{"data":{"attributes":{"name":"x","colour":"red"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/colour"`}},
			{name: "get", method: "GET", path: "/case-queues/{{queue}}", status: 200,
				want: []string{`"id":"{{queue}}"`, `"name":"KYC backlog"`}},
			{name: "get with case.read", method: "GET", path: "/case-queues/{{queue}}", headers: []string{"Authorization", "{{reader}}"},
				status: 200},
			{name: "create with case.read", method: "POST", path: "/case-queues", headers: []string{"Authorization", "{{reader}}"},
				body: `{"data":{"attributes":{"name":"x"}}}`, status: 403},
			{name: "claim with case.read", method: "POST", path: "/case-queues/{{queue}}/claim", headers: []string{"Authorization", "{{reader}}"},
				body: `{"meta":{"user-email-address":"ada@example.com"}}`, status: 403},
			{name: "get unknown", method: "GET", path: "/case-queues/cqueue_01h455vb4pex5vsknk084sn02q", status: 404},
			{name: "list", method: "GET", path: "/case-queues", status: 200,
				want: []string{`"id":"{{queue}}"`, `"id":"{{plain}}"`, `"links":{"next":null,"prev":null}`}},
			{name: "list page size 1", method: "GET", path: "/case-queues?page[size]=1", status: 200,
				want: []string{`"next":"/api/v1/case-queues?page%5Bafter%5D=`}},
			{name: "list bad status filter", method: "GET", path: "/case-queues?filter[status]=gone", status: 400,
				want: []string{`"parameter":"filter[status]"`}},
			{name: "list bad cursor", method: "GET", path: "/case-queues?page[after]={{tmpl}}", status: 400,
				want: []string{`"parameter":"page[after]"`}},
			{name: "rename", method: "PATCH", path: "/case-queues/{{queue}}", body: `{"data":{"attributes":{"name":"Renamed"}}}`,
				status: 200, want: []string{`"name":"Renamed"`, `"sla":"breached"`}},
			{name: "replace filter", method: "PATCH", path: "/case-queues/{{queue}}", body: `{"data":{"attributes":{"filter":{"sla":"due"}}}}`,
				status: 200, want: []string{`"name":"Renamed"`, `"filter":{"assignee":null,"case-template-ids":[],"sla":"due","statuses":[],"tags":[]}`}},
			{name: "clear filter", method: "PATCH", path: "/case-queues/{{queue}}", body: `{"data":{"attributes":{"filter":null}}}`,
				status: 200, want: []string{`"filter":{"assignee":null,"case-template-ids":[],"sla":null,"statuses":[],"tags":[]}`}},
			{name: "patch status", method: "PATCH", path: "/case-queues/{{queue}}", body: `{"data":{"attributes":{"status":"archived"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/status"`}},
			{name: "patch bad filter", method: "PATCH", path: "/case-queues/{{queue}}", body: `{"data":{"attributes":{"filter":{"statuses":["Open",""]}}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/filter/statuses/1"`}},
			{name: "patch unknown", method: "PATCH", path: "/case-queues/cqueue_01h455vb4pex5vsknk084sn02q", body: `{"data":{"attributes":{"name":"x"}}}`,
				status: 404},
			{name: "archive", method: "POST", path: "/case-queues/{{queue}}/archive", status: 200,
				want: []string{`"status":"archived"`}, not: []string{`"archived-at":null`}},
			{name: "archive again", method: "POST", path: "/case-queues/{{queue}}/archive", status: 200,
				want: []string{`"status":"archived"`}},
			{name: "list archived", method: "GET", path: "/case-queues?filter[status]=archived", status: 200,
				want: []string{`"id":"{{queue}}"`}, not: []string{`"id":"{{plain}}"`}},
			{name: "case into an archived queue", method: "POST", path: "/cases",
				body:   `{"data":{"attributes":{"case-template-id":"{{tmpl}}","case-queue-id":"{{queue}}"}}}`,
				status: 422, want: []string{`"pointer":"/data/attributes/case-queue-id"`}},
			{name: "events", method: "GET", path: "/events?filter[object-id]={{queue}}", status: 200,
				want: []string{`"name":"case-queue.archived"`, `"name":"case-queue.updated"`, `"name":"case-queue.created"`,
					`"payload":{"data":{"attributes":{"archived-at":`, `"type":"case-queue"`}},
		})
	})
}

func TestQueueClaim(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["plain"] = h.createTemplate(`{"data":{"attributes":{"name":"Plain","key":"PLN"}}}`)
		vars["queue"] = h.must(201, "POST", "/case-queues", `{"data":{"attributes":{"name":"Plain cases",
			"filter":{"case-template-ids":["`+vars["plain"]+`"]}}}}`).str("data.id")
		vars["other"] = h.must(201, "POST", "/case-queues", `{"data":{"attributes":{"name":"Other"}}}`).str("data.id")
		withSLA := func(sec string) string {
			body := `{"data":{"attributes":{"case-template-id":"` + vars["plain"] + `"}},"meta":{"sla-expires-in-seconds":` + sec + `}}`
			return h.must(201, "POST", "/cases", body).str("data.id")
		}
		// Queue order: an SLA first, soonest first; then no SLA, oldest first.
		noSLA1 := h.createCase(vars["plain"], "")
		late := withSLA("7200")
		noSLA2 := h.createCase(vars["plain"], "")
		soon := withSLA("600")
		explicit := h.createCase(vars["tmpl"], `"case-queue-id":"`+vars["queue"]+`"`) // KYC template: SLA 3600
		h.createCase(vars["tmpl"], "")                                                // not in the queue
		want := []string{soon, explicit, late, noSLA1, noSLA2}

		got := h.must(200, "GET", "/cases?filter[case-queue-id]="+vars["queue"]+"&page[size]=100", "").ids()
		if !slices.Equal(got, want) {
			t.Fatalf("queue order %v, want %v", got, want)
		}
		// Paging follows queue order.
		var paged []string
		for path := "/cases?filter[case-queue-id]=" + vars["queue"] + "&page[size]=2"; path != ""; {
			r := h.must(200, "GET", path, "")
			paged = append(paged, r.ids()...)
			path = r.str("links.next")
			if len(paged) > 10 {
				t.Fatal("links.next never ends")
			}
		}
		if !slices.Equal(paged, want) {
			t.Fatalf("paged %v, want %v", paged, want)
		}
		if got := h.must(200, "GET", "/cases?filter[case-queue-id]="+vars["other"], "").ids(); len(got) != 0 {
			t.Fatalf("the empty queue lists %v", got)
		}

		h.scenario(t, vars, []step{
			{name: "claim without email", method: "POST", path: "/case-queues/{{queue}}/claim", body: `{}`,
				status: 422, want: []string{`"pointer":"/meta/user-email-address"`}},
			{name: "claim with null email", method: "POST", path: "/case-queues/{{queue}}/claim", body: `{"meta":{"user-email-address":null}}`,
				status: 422, want: []string{`"pointer":"/meta/user-email-address"`}},
			{name: "claim with email of wrong type", method: "POST", path: "/case-queues/{{queue}}/claim", body: `{"meta":{"user-email-address":7}}`,
				status: 400, want: []string{`"pointer":"/meta/user-email-address"`}},
			{name: "claim for unknown user", method: "POST", path: "/case-queues/{{queue}}/claim", body: `{"meta":{"user-email-address":"bob@example.com"}}`,
				status: 422, want: []string{`"pointer":"/meta/user-email-address"`}},
			{name: "claim from unknown queue", method: "POST", path: "/case-queues/cqueue_01h455vb4pex5vsknk084sn02q/claim",
				body: `{"meta":{"user-email-address":"ada@example.com"}}`, status: 404},
			{name: "claim with bad include", method: "POST", path: "/case-queues/{{queue}}/claim?include=nothing",
				body: `{"meta":{"user-email-address":"ada@example.com"}}`, status: 400, want: []string{`"parameter":"include"`}},
		})
		for i, id := range want {
			path := "/case-queues/" + vars["queue"] + "/claim"
			if i == 0 {
				path += "?include=assignee"
			}
			r := h.must(200, "POST", path, `{"meta":{"userEmailAddress":"Ada@example.com"}}`)
			if r.str("data.id") != id || r.str("data.attributes.assignee-id") != vars["user"] || r.str("data.attributes.assigned-at") == "" ||
				get(r.doc, "meta.queue-empty") != false {
				t.Fatalf("claim %d: want %s\n%s", i, id, r.raw)
			}
			if i == 0 && r.str("included.0.id") != vars["user"] {
				t.Fatalf("include=assignee: %s", r.raw)
			}
		}
		r := h.must(200, "POST", "/case-queues/"+vars["queue"]+"/claim", `{"meta":{"user-email-address":"ada@example.com"}}`)
		if raw := strings.TrimSpace(r.raw); raw != `{"data":null,"meta":{"queue-empty":true}}` {
			t.Fatalf("empty queue answer %s", raw)
		}
		// Claimed cases stay in the queue's listing (a queue holds open cases, assigned or not).
		if got := h.must(200, "GET", "/cases?filter[case-queue-id]="+vars["queue"]+"&page[size]=100", "").ids(); !slices.Equal(got, want) {
			t.Fatalf("after claims %v, want %v", got, want)
		}
		events := h.must(200, "GET", "/events?filter[object-id]="+soon+"&filter[name]=case.assigned", "")
		if n := len(events.list("data")); n != 1 {
			t.Fatalf("%d case.assigned events for the first claim\n%s", n, events.raw)
		}
		// Unassigned again, a case can be claimed again; not once its queue is archived.
		h.must(200, "POST", "/cases/"+late+"/assign", `{"meta":{"user-email-address":null}}`)
		h.must(http.StatusOK, "POST", "/case-queues/"+vars["queue"]+"/archive", "")
		h.must(http.StatusConflict, "POST", "/case-queues/"+vars["queue"]+"/claim", `{"meta":{"user-email-address":"ada@example.com"}}`)
	})
}
