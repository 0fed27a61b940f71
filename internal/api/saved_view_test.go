package api_test

import (
	"testing"
)

func TestSavedViews(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{"tmpl": h.createTemplate("")}
		var ada, bob, viewer, reader string
		vars["ada"], ada = h.userKey("ada@example.com", "reviewer", "*")
		vars["bob"], bob = h.userKey("bob@example.com", "manager", "*")
		_, viewer = h.userKey("vic@example.com", "viewer", "*")
		reader = "Bearer " + h.keyWithScopes("case.read")
		as := func(auth string) []string { return []string{"Authorization", auth} }
		vars["mine"] = h.createCase(vars["tmpl"], "")
		h.must(200, "POST", "/cases/"+vars["mine"]+"/assign", `{"meta":{"user-email-address":"ada@example.com"}}`)
		vars["theirs"] = h.createCase(vars["tmpl"], "")
		view := func(attrs string) string { return `{"data":{"attributes":{` + attrs + `}}}` }
		h.scenario(t, vars, []step{
			{name: "ada saves a view", method: "POST", path: "/saved-views", headers: as(ada), status: 201,
				body: view(`"name":" My urgent ","query":"?sort=sla-expires-at&filter[assignee-id]=me"`),
				want: []string{`"type":"saved-view"`, `"name":"My urgent"`, `"query":"filter[assignee-id]=me&sort=sla-expires-at"`,
					`"user-id":"{{ada}}"`, `"cases":"/api/v1/cases?filter[assignee-id]=me&sort=sla-expires-at"`},
				save: map[string]string{"v1": "data.id", "v1cases": "data.links.cases"}},
			{name: "the view's cases, for ada", method: "GET", path: "{{v1cases}}", headers: as(ada), status: 200,
				want: []string{`"id":"{{mine}}"`}, not: []string{`"id":"{{theirs}}"`}},
			{name: "not for someone else", method: "POST", path: "/saved-views", headers: as(ada), status: 403,
				body: view(`"name":"x","user-id":"{{bob}}"`)},
			{name: "a bad query", method: "POST", path: "/saved-views", headers: as(ada), status: 422,
				body: view(`"name":"x","query":"filter[sla]=late"`), want: []string{`"pointer":"/data/attributes/query"`, "filter[sla]"}},
			{name: "no name", method: "POST", path: "/saved-views", headers: as(ada), status: 422,
				body: view(`"query":""`), want: []string{`"pointer":"/data/attributes/name"`}},
			{name: "an unknown attribute", method: "POST", path: "/saved-views", headers: as(ada), status: 422,
				body: view(`"name":"x","filters":{}`), want: []string{`"pointer":"/data/attributes/filters"`}},
			{name: "meta is refused", method: "POST", path: "/saved-views", headers: as(ada), status: 422,
				body: `{"data":{"attributes":{"name":"x"}},"meta":{"user-id":"{{bob}}"}}`, want: []string{`"pointer":"/meta/user-id"`}},
			{name: "bob saves one", method: "POST", path: "/saved-views", headers: as(bob), status: 201,
				body: view(`"name":"Bob's"`), save: map[string]string{"v2": "data.id"}},
			{name: "ada lists only hers", method: "GET", path: "/saved-views", headers: as(ada), status: 200,
				want: []string{`"id":"{{v1}}"`}, not: []string{`"id":"{{v2}}"`}},
			{name: "ada may not list bob's", method: "GET", path: "/saved-views?filter[user-id]={{bob}}", headers: as(ada), status: 403},
			{name: "bob cannot see ada's", method: "GET", path: "/saved-views/{{v1}}", headers: as(bob), status: 404},
			{name: "bob cannot rename ada's", method: "PATCH", path: "/saved-views/{{v1}}", headers: as(bob), status: 404,
				body: view(`"name":"mine now"`)},
			{name: "bob cannot delete ada's", method: "DELETE", path: "/saved-views/{{v1}}", headers: as(bob), status: 404},
			{name: "a key of nobody lists everyone's", method: "GET", path: "/saved-views", status: 200,
				want: []string{`"id":"{{v1}}"`, `"id":"{{v2}}"`}},
			{name: "or one user's", method: "GET", path: "/saved-views?filter[user-id]={{bob}}", status: 200,
				want: []string{`"id":"{{v2}}"`}, not: []string{`"id":"{{v1}}"`}},
			{name: "a bad user filter", method: "GET", path: "/saved-views?filter[user-id]=bob", status: 400,
				want: []string{`"parameter":"filter[user-id]"`}},
			{name: "a key of nobody names the user", method: "POST", path: "/saved-views", status: 422,
				body: view(`"name":"x"`), want: []string{`"pointer":"/data/attributes/user-id"`}},
			{name: "for a user that exists", method: "POST", path: "/saved-views", status: 422,
				body: view(`"name":"x","user-id":"user_01h455vb4pex5vsknk084sn02q"`), want: []string{`"pointer":"/data/attributes/user-id"`}},
			{name: "a key of nobody saves for bob", method: "POST", path: "/saved-views", status: 201,
				body: view(`"name":"From the integration","user-id":"{{bob}}"`), want: []string{`"user-id":"{{bob}}"`}},
			{name: "ada renames hers", method: "PATCH", path: "/saved-views/{{v1}}", headers: as(ada), status: 200,
				body: view(`"name":"Urgent","query":"filter[status]=Open"`), want: []string{`"name":"Urgent"`, `"query":"filter[status]=Open"`}},
			{name: "a view does not change hands", method: "PATCH", path: "/saved-views/{{v1}}", headers: as(ada), status: 422,
				body: view(`"user-id":"{{bob}}"`)},
			{name: "a bad query on update", method: "PATCH", path: "/saved-views/{{v1}}", headers: as(ada), status: 422,
				body: view(`"query":"page[after]=x"`), want: []string{`"pointer":"/data/attributes/query"`}},
			{name: "a viewer keeps views too", method: "POST", path: "/saved-views", headers: as(viewer), status: 201,
				body: view(`"name":"Watching"`)},
			{name: "a read-only key reads views", method: "GET", path: "/saved-views", headers: as(reader), status: 200},
			{name: "but keeps none", method: "POST", path: "/saved-views", headers: as(reader), status: 403,
				body: view(`"name":"x","user-id":"{{ada}}"`), want: []string{"user.write"}},
			{name: "ada deletes hers", method: "DELETE", path: "/saved-views/{{v1}}", headers: as(ada), status: 204},
			{name: "gone", method: "GET", path: "/saved-views/{{v1}}", headers: as(ada), status: 404},
		})
	})
}
