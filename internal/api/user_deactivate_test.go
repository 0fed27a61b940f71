package api_test

import (
	"testing"

	"github.com/docket-hq/docket"
)

// TestDeactivateUserAPI: a deactivated user's own API key is refused on its next request,
// assignment policies pass them over, giving them a case directly is refused with a
// pointer at the assignee, and reactivation undoes it all. Only admins may do it, and
// not to themselves.
func TestDeactivateUserAPI(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		rita, ritaKey := h.userKey("rita@example.com", docket.RoleReviewer, docket.ScopeAll)
		sam, _ := h.userKey("sam@example.com", docket.RoleReviewer, docket.ScopeAll)
		ada, adaKey := h.userKey("ada@example.com", docket.RoleAdmin, docket.ScopeAll)
		_, mgr := h.userKey("mgr@example.com", docket.RoleManager, docket.ScopeAll)
		tmpl := h.createTemplate(`{"data":{"attributes":{"name":"KYC","key":"KYC",
			"assignment-policy":{"type":"round-robin","user-ids":["` + rita + `","` + sam + `"]}}}}`)
		vars := map[string]string{"rita": rita, "sam": sam, "ada": ada, "tmpl": tmpl}
		as := func(auth string) []string { return []string{"Authorization", auth} }
		newCase := `{"data":{"attributes":{"case-template-id":"{{tmpl}}"}}}`
		toRita := `{"meta":{"user-email-address":"rita@example.com"}}`
		h.scenario(t, vars, []step{
			{name: "rita is available", method: "PATCH", path: "/users/{{rita}}", body: `{"data":{"attributes":{"available":true}}}`, status: 200},
			{name: "sam is available", method: "PATCH", path: "/users/{{sam}}", body: `{"data":{"attributes":{"available":true}}}`, status: 200},
			{name: "rita's key works", method: "GET", path: "/cases", headers: as(ritaKey), status: 200},
			{name: "a manager may not", method: "POST", path: "/users/{{rita}}/deactivate", headers: as(mgr), status: 403,
				want: []string{"who may not manage users"}},
			{name: "not oneself", method: "POST", path: "/users/{{ada}}/deactivate", headers: as(adaKey), status: 422,
				want: []string{"you cannot deactivate yourself"}},
			{name: "nothing in the body", method: "POST", path: "/users/{{rita}}/deactivate", body: `{"meta":{"why":"left"}}`, status: 422},
			{name: "deactivate", method: "POST", path: "/users/{{rita}}/deactivate", status: 200,
				want: []string{`"deactivated-at":"`, `"name":"reviewer"`}},
			{name: "shown on the user", method: "GET", path: "/users/{{rita}}", status: 200, not: []string{`"deactivated-at":null`}},
			{name: "rita's key refused", method: "GET", path: "/cases", headers: as(ritaKey), status: 401,
				want: []string{"deactivated"}},
			{name: "round robin passes her over", method: "POST", path: "/cases", body: newCase, status: 201,
				want: []string{`"assignee-id":"{{sam}}"`}, save: map[string]string{"c1": "data.id"}},
			{name: "and again", method: "POST", path: "/cases", body: newCase, status: 201,
				want: []string{`"assignee-id":"{{sam}}"`}},
			{name: "direct assignment refused", method: "POST", path: "/cases/{{c1}}/assign", body: toRita, status: 422,
				want: []string{`"pointer":"/meta/user-email-address"`, "rita@example.com is deactivated"}},
			{name: "event", method: "GET", path: "/events?filter[name]=user.deactivated", status: 200,
				want: []string{`"id":"{{rita}}","type":"user"`}},
			{name: "reactivate", method: "POST", path: "/users/{{rita}}/reactivate", status: 200,
				want: []string{`"deactivated-at":null`}},
			{name: "rita's key works again", method: "GET", path: "/cases", headers: as(ritaKey), status: 200},
			{name: "assignment works again", method: "POST", path: "/cases/{{c1}}/assign", body: toRita, status: 200},
			{name: "unknown user", method: "POST", path: "/users/user_01h455vb4pex5vsknk084sn02q/deactivate", status: 404},
		})
	})
}
