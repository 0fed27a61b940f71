package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/docket-hq/docket"
)

// TestFourEyesAPI follows four-eyes decisions through the API: a template whose Declined
// needs a second person, proposals by set-status and bulk, refusals of the proposer (by
// their key, and after proposing in the dashboard), of keys without a user and of
// reviewers, a confirmation that resolves the case once, and a sending back.
func TestFourEyesAPI(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		vars := map[string]string{}
		auth := map[string]string{}
		vars["ada"], auth["ada"] = h.userKey("ada@example.com", docket.RoleReviewer, docket.ScopeAll)
		vars["max"], auth["max"] = h.userKey("max@example.com", docket.RoleManager, docket.ScopeAll)
		vars["mia"], auth["mia"] = h.userKey("mia@example.com", docket.RoleManager, docket.ScopeAll)
		as := func(who string) []string { return []string{"Authorization", auth[who]} }
		set := func(status string) string { return `{"meta":{"status":"` + status + `"}}` }
		h.scenario(t, vars, []step{
			{name: "a four-eyes status must be an end status", method: "POST", path: "/case-templates",
				body: `{"data":{"attributes":{"name":"Bad","key":"BAD","four-eyes-statuses":["Pending"]}}}`, status: 422,
				want: []string{`"pointer":"/data/attributes/four-eyes-statuses/0"`, "not an end status"}},
			{name: "template", method: "POST", path: "/case-templates",
				body: `{"data":{"attributes":{"name":"KYC","key":"KYC","four-eyes-statuses":["Declined"]}}}`, status: 201,
				want: []string{`"four-eyes-statuses":["Declined"]`}, save: map[string]string{"tmpl": "data.id"}},
		})
		for _, name := range []string{"c1", "c2", "c3", "c4", "c5"} {
			vars[name] = h.createCase(vars["tmpl"], "")
		}
		// Ada proposes in the dashboard, as a user: the store records her as the person.
		if _, err := h.store.SetCaseStatus(context.Background(), docket.Actor{Type: docket.ActorUser, ID: vars["ada"]}, vars["c3"], "Declined"); err != nil {
			t.Fatal(err)
		}
		h.scenario(t, vars, []step{
			{name: "a reviewer proposes Declined", method: "POST", path: "/cases/{{c1}}/set-status",
				body: `{"meta":{"status":"Declined","comment":"document mismatch"}}`, headers: as("ada"), status: 200,
				want: []string{`"status":"Open"`, `"proposed-status":"Declined"`, `"proposed-by-type":"api-key"`, `"resolution":null`, `"proposal-comment-id":"cscm_`}},
			{name: "the case reads the proposal", method: "GET", path: "/cases/{{c1}}", status: 200,
				want: []string{`"proposed-status":"Declined"`, `"proposed-at":"`}},
			{name: "no other status meanwhile", method: "POST", path: "/cases/{{c1}}/set-status", body: set("Approved"), status: 409,
				want: []string{`"pointer":"/meta/status"`, "awaits a second person"}},
			{name: "a reviewer may not confirm", method: "POST", path: "/cases/{{c1}}/confirm-status", headers: as("ada"), status: 403,
				want: []string{"reviewer role, who may not confirm or send back decisions"}},
			{name: "a key without a user may not confirm", method: "POST", path: "/cases/{{c1}}/confirm-status", status: 403,
				want: []string{"needs a person"}},
			{name: "nor send back", method: "POST", path: "/cases/{{c1}}/reject-status", status: 403, want: []string{"needs a person"}},
			{name: "confirming another status", method: "POST", path: "/cases/{{c1}}/confirm-status", body: set("Approved"), headers: as("max"), status: 409,
				want: []string{`"pointer":"/meta/status"`, "now Declined, not Approved"}},
			{name: "an unknown meta key", method: "POST", path: "/cases/{{c1}}/confirm-status", body: `{"meta":{"reason":"x"}}`, headers: as("max"),
				status: 422, want: []string{`"pointer":"/meta/reason"`}},
			{name: "a manager confirms", method: "POST", path: "/cases/{{c1}}/confirm-status", body: `{"meta":{"status":"Declined","comment":"agreed"}}`,
				headers: as("max"), status: 200,
				want: []string{`"status":"Declined"`, `"resolution":"Declined"`, `"proposed-status":null`, `"resolver-type":"api-key"`}},
			{name: "nothing left to confirm", method: "POST", path: "/cases/{{c1}}/confirm-status", headers: as("mia"), status: 409,
				want: []string{"no decision awaiting confirmation"}},
			{name: "resolved once, after the proposal", method: "GET", path: "/events?filter[object-id]={{c1}}&page[size]=100", status: 200,
				want: []string{`"name":"case.resolved"`, `"name":"case.resolution-proposed"`}},

			{name: "a manager proposes", method: "POST", path: "/cases/{{c2}}/set-status", body: set("Declined"), headers: as("max"), status: 200,
				want: []string{`"proposed-status":"Declined"`}},
			{name: "and may not confirm with their own key", method: "POST", path: "/cases/{{c2}}/confirm-status", headers: as("max"), status: 403,
				want: []string{"you proposed Declined yourself"}},
			{name: "another manager sends it back", method: "POST", path: "/cases/{{c2}}/reject-status",
				body: `{"meta":{"status":"Declined","comment":"ask for a second document"}}`, headers: as("mia"), status: 200,
				want: []string{`"status":"Open"`, `"proposed-status":null`, `"resolution":null`}},
			{name: "the sending back is an event", method: "GET", path: "/events?filter[object-id]={{c2}}&filter[name]=case.resolution-rejected", status: 200,
				want: []string{`"name":"case.resolution-rejected"`}},
			{name: "nothing left to send back", method: "POST", path: "/cases/{{c2}}/reject-status", headers: as("max"), status: 409},

			{name: "who proposed in the dashboard may not confirm by key", method: "POST", path: "/cases/{{c3}}/confirm-status", headers: as("ada"),
				status: 403},
			{name: "ada's proposal, confirmed by a manager", method: "POST", path: "/cases/{{c3}}/confirm-status", headers: as("mia"), status: 200,
				want: []string{`"resolution":"Declined"`}},

			{name: "bulk proposes", method: "POST", path: "/cases/bulk", headers: as("max"),
				body: `{"meta":{"action":"set-status","status":"Declined","case-ids":["{{c4}}","{{c5}}"]}}`, status: 200,
				want: []string{`"proposed":2`, `"updated":0`, `"refused":0`, `"case-id":"{{c4}}","case-name":"KYC-4","result":"proposed"`,
					`"proposed-status":"Declined"`}},
			{name: "a bulk status while a proposal awaits is refused", method: "POST", path: "/cases/bulk", headers: as("mia"),
				body: `{"meta":{"action":"set-status","status":"Approved","case-ids":["{{c4}}"]}}`, status: 200,
				want: []string{`"refused":1`, `"pointer":"/meta/status"`}},
		})
		resolved := h.must(http.StatusOK, "GET", "/events?filter[object-id]="+vars["c1"]+"&filter[name]=case.resolved", "")
		if n := len(resolved.list("data")); n != 1 {
			t.Fatalf("case.resolved written %d times", n)
		}
	})
}
