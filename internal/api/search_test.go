package api_test

import (
	"slices"
	"strings"
	"testing"
)

func TestCaseSearch(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["other"] = h.createTemplate(`{"data":{"attributes":{"name":"Other","key":"OTH"}}}`)
		vars["c1"] = h.createCase(vars["tmpl"], `"tags":["x"],"fields":{"riskScore":10,"risk_level":"low","verified":true}`)
		vars["c2"] = h.createCase(vars["tmpl"], `"tags":["y"],"fields":{"riskScore":80,"risk_level":"high","amount":12.5}`)
		vars["c3"] = h.createCase(vars["other"], "")
		h.must(200, "POST", "/cases/"+vars["c2"]+"/set-status", `{"meta":{"status":"Approved"}}`)
		found := func(name, query string, in ...string) step {
			st := step{name: name, method: "POST", path: "/cases/search", body: `{"query":` + query + `}`, status: 200}
			for _, c := range []string{"c1", "c2", "c3"} {
				frag := `"id":"{{` + c + `}}"`
				if slices.Contains(in, c) {
					st.want = append(st.want, frag)
				} else {
					st.not = append(st.not, frag)
				}
			}
			return st
		}
		refused := func(name, body string, status int, pointer string) step {
			return step{name: name, method: "POST", path: "/cases/search", body: body, status: status,
				want: []string{`"source":{"pointer":"` + pointer + `"}`}}
		}
		eq := func(attr, value string) string {
			return `{"attribute":"` + attr + `","operator":"eq","value":` + value + `}`
		}
		h.scenario(t, vars, []step{
			{name: "no query", method: "POST", path: "/cases/search", body: ``, status: 200,
				want: []string{`"id":"{{c1}}"`, `"id":"{{c2}}"`, `"id":"{{c3}}"`, `"meta":{"next-page-after":null}`}},
			found("status", eq("status", `"Open"`), "c1", "c3"),
			found("resolution", eq("resolution", `"Approved"`), "c2"),
			found("null resolution", eq("resolution", `null`), "c1", "c3"),
			found("name", eq("name", `"KYC-1"`), "c1"),
			found("template", eq("case-template-id", `"{{other}}"`), "c3"),
			found("and", `{"and":[`+eq("status", `"Open"`)+`,{"attribute":"fields.riskScore","operator":"lt","value":50}]}`, "c1"),
			found("or", `{"or":[`+eq("fields.risk_level", `"high"`)+`,`+eq("tag", `"x"`)+`]}`, "c1", "c2"),
			found("not", `{"not":`+eq("status", `"Open"`)+`}`, "c2"),
			found("not of a missing field", `{"not":{"attribute":"fields.riskScore","operator":"gt","value":50}}`, "c1", "c3"),
			found("nested", `{"and":[{"not":`+eq("tag", `"y"`)+`},{"or":[`+eq("fields.verified", `true`)+`,`+eq("case-template-id", `"{{other}}"`)+`]}]}`, "c1", "c3"),
			found("field gte", `{"attribute":"fields.riskScore","operator":"gte","value":80}`, "c2"),
			found("float field", `{"attribute":"fields.amount","operator":"gt","value":12}`, "c2"),
			found("bool field", eq("fields.verified", `true`), "c1"),
			found("missing field is null", eq("fields.note", `null`), "c1", "c2", "c3"),
			found("field ne", `{"attribute":"fields.riskScore","operator":"ne","value":10}`, "c2", "c3"),
			found("number never equals a string", eq("fields.riskScore", `"10"`)),
			found("in", `{"attribute":"tag","operator":"in","value":["x","y"]}`, "c1", "c2"),
			found("status in", `{"attribute":"status","operator":"in","value":["Approved","Gone"]}`, "c2"),
			found("tag ne", `{"attribute":"tag","operator":"ne","value":"x"}`, "c2", "c3"),
			found("created before now", `{"attribute":"created-at","operator":"lte","value":"now"}`, "c1", "c2", "c3"),
			found("created after 2999", `{"attribute":"created-at","operator":"gt","value":"2999-01-01T00:00:00Z"}`),
			found("resolved", `{"attribute":"resolved-at","operator":"ne","value":null}`, "c2"),
			found("read after write", eq("status", `"Approved"`), "c2"),
			refused("unknown attribute", `{"query":{"attribute":"colour","operator":"eq","value":"red"}}`, 422, "/query/attribute"),
			refused("unknown attribute deep", `{"query":{"and":[`+eq("status", `"Open"`)+`,{"or":[{"attribute":"colour","operator":"eq","value":1}]}]}}`, 422, "/query/and/1/or/0/attribute"),
			refused("bad field key", `{"query":`+eq("fields.a b", `1`)+`}`, 422, "/query/attribute"),
			refused("unknown operator", `{"query":{"attribute":"status","operator":"like","value":"O"}}`, 422, "/query/operator"),
			refused("extra key", `{"query":{"attribute":"status","operator":"eq","value":"O","case":1}}`, 422, "/query/case"),
			refused("text takes a string", `{"query":`+eq("status", `1`)+`}`, 422, "/query/value"),
			refused("bad time", `{"query":`+eq("created-at", `"yesterday"`)+`}`, 422, "/query/value"),
			refused("tag gt", `{"query":{"attribute":"tag","operator":"gt","value":"x"}}`, 422, "/query/value"),
			refused("empty in", `{"query":{"attribute":"status","operator":"in","value":[]}}`, 422, "/query/value"),
			refused("null in list", `{"query":{"attribute":"status","operator":"in","value":["Open",null]}}`, 422, "/query/value/1"),
			refused("null gt", `{"query":{"attribute":"fields.riskScore","operator":"gt","value":null}}`, 422, "/query/value"),
			refused("object value", `{"query":`+eq("fields.riskScore", `{"a":1}`)+`}`, 422, "/query/value"),
			refused("empty and", `{"query":{"and":[]}}`, 422, "/query/and"),
			refused("and with more keys", `{"query":{"and":[`+eq("status", `"Open"`)+`],"not":{}}}`, 422, "/query"),
			refused("query not an object", `{"query":[1]}`, 422, "/query"),
			refused("too deep", `{"query":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":{"not":`+eq("status", `"Open"`)+`}}}}}}}}}}`, 422, "/query/not/not/not/not/not/not/not/not/not"),
			refused("unexpected top-level key", `{"query":null,"filter":{}}`, 400, "/filter"),
			refused("bad sort", `{"sort":"name"}`, 400, "/sort"),
			refused("page size 0", `{"page":{"size":0}}`, 400, "/page/size"),
			refused("page size 101", `{"page":{"size":101}}`, 400, "/page/size"),
			refused("page not an object", `{"page":3}`, 400, "/page"),
			refused("bad page after", `{"page":{"after":"act_01h455vb4pex5vsknk084sn02q"}}`, 400, "/page/after"),
			refused("unknown page key", `{"page":{"before":"x"}}`, 422, "/page/before"),
		})

		// Paging through a search with meta.next-page-after, oldest first.
		var seen []string
		body := `{"sort":"created-at","page":{"size":2}}`
		for range 5 {
			r := h.must(200, "POST", "/cases/search", body)
			seen = append(seen, r.ids()...)
			next := r.str("meta.next-page-after")
			if next == "" {
				break
			}
			body = `{"sort":"created-at","page":{"size":2,"after":"` + next + `"}}`
		}
		if want := []string{vars["c1"], vars["c2"], vars["c3"]}; !slices.Equal(seen, want) {
			t.Errorf("search paging visited %v, want %v", seen, want)
		}
		// c2 was updated last, but may share its millisecond with c3's creation: ties go to the newer id.
		want := vars["c2"]
		if u2, u3 := h.must(200, "GET", "/cases/"+vars["c2"], "").str("data.attributes.updated-at"),
			h.must(200, "GET", "/cases/"+vars["c3"], "").str("data.attributes.updated-at"); u2 == u3 {
			want = vars["c3"]
		}
		r := h.must(200, "POST", "/cases/search", `{"sort":"-updated-at","page":{"size":1}}`)
		if ids := r.ids(); len(ids) != 1 || ids[0] != want {
			t.Errorf("most recently updated: %v, want %s", ids, want)
		}
	})
}

func TestEvents(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := caseVars(h)
		vars["case"] = h.createCase(vars["tmpl"], `"fields":{"riskScore":7}`)
		vars["other"] = h.createCase(vars["tmpl"], "")
		h.must(200, "POST", "/cases/"+vars["case"]+"/set-status", `{"meta":{"status":"Declined"}}`)
		h.must(201, "POST", "/cases/"+vars["case"]+"/comments", `{"meta":{"body":"noted"}}`)

		r := h.must(200, "GET", "/events?filter[object-id]="+vars["case"], "")
		var names []string
		for _, e := range r.list("data") {
			names = append(names, get(e, "attributes.name").(string))
			if get(e, "type") != "event" || !strings.HasPrefix(get(e, "id").(string), "evt_") {
				t.Errorf("not an event: %v", e)
			}
			if got := get(e, "attributes.payload.data.id"); got != vars["case"] {
				t.Errorf("event %v is about %v, want %s", get(e, "id"), got, vars["case"])
			}
		}
		if want := []string{"case.resolved", "case.status-updated", "case.created"}; !slices.Equal(names, want) {
			t.Errorf("events of the case, newest first: %v, want %v", names, want)
		}

		created := h.must(200, "GET", "/events?filter[name]=case.created", "")
		if n := len(created.list("data")); n != 2 {
			t.Errorf("%d case.created events, want 2", n)
		}
		for _, e := range created.list("data") {
			if get(e, "attributes.name") != "case.created" {
				t.Errorf("filter[name] let through %v", get(e, "attributes.name"))
			}
		}
		vars["evt"] = created.str("data.0.id")

		h.scenario(t, vars, []step{
			{name: "get event", method: "GET", path: "/events/{{evt}}", status: 200,
				want: []string{`"id":"{{evt}}"`, `"type":"event"`, `"name":"case.created"`, `"included":[]`,
					`"payload":{"data":{"attributes":{`, `"id":"{{other}}","relationships":`}},
			{name: "payload renders like the case endpoint", method: "GET", path: "/events?filter[name]=case.status-updated", status: 200,
				want: []string{`"status":"Declined"`, `"resolution":"Declined"`, `"fields":{"riskScore":7}`,
					`"case-template":{"data":{"id":"{{tmpl}}","type":"case-template"}}`}},
			{name: "comment event", method: "GET", path: "/events?filter[name]=case-comment.created", status: 200,
				want: []string{`"type":"case-comment"`, `"message":"noted"`}},
			{name: "template event", method: "GET", path: "/events?filter[object-id]={{tmpl}}", status: 200,
				want: []string{`"name":"case-template.created"`, `"type":"case-template"`, `"key":"KYC"`}},
			{name: "user event", method: "GET", path: "/events?filter[name]=user.created", status: 200,
				want: []string{`"email-address":"ada@example.com"`}},
			{name: "account event", method: "GET", path: "/events?filter[objectId]={{act}}", status: 200,
				want: []string{`"name":"account.created"`, `"reference-id":"cust-1"`}, not: []string{`"name":"case.created"`}},
			{name: "unknown name", method: "GET", path: "/events?filter[name]=case.exploded", status: 200,
				want: []string{`"data":[]`}},
			{name: "unknown event", method: "GET", path: "/events/evt_01h455vb4pex5vsknk084sn02q", status: 404},
			{name: "page size", method: "GET", path: "/events?page[size]=1", status: 200, want: []string{`"next":"/api/v1/events?page%5Bafter%5D=evt_`}},
			{name: "bad cursor", method: "GET", path: "/events?page[after]={{case}}", status: 400,
				want: []string{`"parameter":"page[after]"`}},
			{name: "bad size", method: "GET", path: "/events?page[size]=500", status: 400, want: []string{`"parameter":"page[size]"`}},
		})
	})
}
