package api_test

import (
	"net/http"
	"testing"

	"github.com/docket-hq/docket"
)

// TestReadAllNotifications drives POST /users/{id}/notifications/read-all: up to a
// notification, then all; notifications about cases the caller may no longer see are
// neither listed nor marked; the refusals.
func TestReadAllNotifications(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		rita, ritaKey := h.userKey("rita@example.com", docket.RoleReviewer, docket.ScopeAll)
		sam, samKey := h.userKey("sam@example.com", docket.RoleReviewer, docket.ScopeAll)
		_, readOnly := h.userKey("rob@example.com", docket.RoleReviewer, docket.ScopeUserRead)
		kyc := h.createTemplate(`{"data":{"attributes":{"name":"KYC","key":"KYC"}}}`)
		sar := h.createTemplate(`{"data":{"attributes":{"name":"SAR","key":"SAR"}}}`)
		kycCase, sarCase := h.createCase(kyc, ""), h.createCase(sar, "")
		for range 3 {
			h.must(201, "POST", "/cases/"+kycCase+"/comments", `{"meta":{"body":"@rita@example.com have a look"}}`)
		}
		h.must(201, "POST", "/cases/"+sarCase+"/comments", `{"meta":{"body":"@rita@example.com @sam@example.com secret"}}`)
		// The SAR template is re-scoped after the fact: reviewers no longer see its cases.
		h.must(200, "PATCH", "/case-templates/"+sar, `{"data":{"attributes":{"visible-to-roles":["admin"]}}}`)

		as := func(key string) []string { return []string{"Authorization", key} }
		listed := h.must(200, "GET", "/users/"+rita+"/notifications", "", as(ritaKey)...).ids()
		if len(listed) != 3 {
			t.Fatalf("rita lists %d notifications, want the 3 about the case she may see", len(listed))
		}
		unread := func() int {
			t.Helper()
			return len(h.must(200, "GET", "/users/"+rita+"/notifications?filter[unread]=true", "").ids()) // a key without a user sees all
		}
		vars := map[string]string{"rita": rita, "sam": sam, "second": listed[1], "case": kycCase}
		h.scenario(t, vars, []step{
			{name: "up to the second newest", method: "POST", path: "/users/{{rita}}/notifications/read-all",
				body: `{"meta":{"up-to":"{{second}}"}}`, headers: as(ritaKey), status: 200, want: []string{`"marked":2`}},
		})
		if n := unread(); n != 2 {
			t.Fatalf("after reading up to the second newest, %d unread, want 2 (the newest, the hidden one)", n)
		}
		h.scenario(t, vars, []step{
			{name: "the rest", method: "POST", path: "/users/{{rita}}/notifications/read-all", headers: as(ritaKey), status: 200,
				want: []string{`"marked":1`}},
			{name: "again", method: "POST", path: "/users/{{rita}}/notifications/read-all", headers: as(ritaKey), status: 200,
				want: []string{`"marked":0`}},
			{name: "not a notification id", method: "POST", path: "/users/{{rita}}/notifications/read-all",
				body: `{"meta":{"up-to":"{{case}}"}}`, headers: as(ritaKey), status: 422, want: []string{`"pointer":"/meta/up-to"`}},
			{name: "unknown meta", method: "POST", path: "/users/{{rita}}/notifications/read-all",
				body: `{"meta":{"before":"x"}}`, headers: as(ritaKey), status: 422, want: []string{`"pointer":"/meta/before"`}},
			{name: "another user's", method: "POST", path: "/users/{{sam}}/notifications/read-all", headers: as(ritaKey), status: 403},
			{name: "without user.write", method: "POST", path: "/users/{{rita}}/notifications/read-all", headers: as(readOnly), status: 403},
			{name: "unknown user", method: "POST", path: "/users/" + docket.NewID(docket.PrefixUser) + "/notifications/read-all", status: 404},
		})
		// The hidden case's notification was left alone, and so was sam's.
		if n := unread(); n != 1 {
			t.Fatalf("%d unread, want the one about the hidden case", n)
		}
		h.must(http.StatusOK, "POST", "/users/"+sam+"/notifications/read-all", "", as(samKey)...)
		if got := h.must(200, "GET", "/users/"+sam+"/notifications?filter[unread]=true", "").ids(); len(got) != 1 {
			t.Fatalf("sam's notification about a case he may not see was marked read: unread %v", got)
		}
	})
}
