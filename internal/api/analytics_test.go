package api_test

import (
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
)

// Analytics are for managers and admins; each figure answers as a document or as CSV,
// counts only what the caller may see, and points at a bad parameter.
func TestAnalyticsAPI(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		h := newHarness(t, dbURL, testConfig())
		tmpl := h.createTemplate("")
		secret := h.createTemplate(`{"data":{"attributes":{"name":"Secret","key":"SEC","visible-to-roles":["admin"]}}}`)
		h.createCase(tmpl, "")
		h.createCase(secret, "")
		_, manager := h.userKey("manager@example.com", docket.RoleManager, docket.ScopeAll)
		_, admin := h.userKey("admin@example.com", docket.RoleAdmin, docket.ScopeAll)
		_, reviewer := h.userKey("reviewer@example.com", docket.RoleReviewer, docket.ScopeAll)
		_, narrow := h.userKey("narrow@example.com", docket.RoleAdmin, docket.ScopeCaseRead)
		as := func(who string) []string { return []string{"Authorization", who} }
		h.scenario(t, map[string]string{}, []step{
			{name: "a manager sees the cases of templates they may see", method: "GET", path: "/analytics/volume", headers: as(manager), status: 200,
				want: []string{`"type":"analytics"`, `"id":"volume"`, `"open":1,`, `"bucket":"day"`, `"time-zone":"UTC"`}},
			{name: "an admin sees both", method: "GET", path: "/analytics/volume?bucket=week&time-zone=Europe/Berlin", headers: as(admin), status: 200,
				want: []string{`"open":2,`, `"time-zone":"Europe/Berlin"`, `+01:00"`}},
			{name: "CSV by format", method: "GET", path: "/analytics/volume?format=csv", headers: as(admin), status: 200,
				want: []string{"start,end,created,resolved,reopened,backlog\n"}},
			{name: "CSV by Accept", method: "GET", path: "/analytics/reviewers", headers: append(as(admin), "Accept", "text/csv"), status: 200,
				want: []string{"user-id,email,resolved,median-seconds"}},
			{name: "every figure", method: "GET", path: "/analytics/resolution-times", headers: as(admin), status: 200,
				want: []string{`"first-assignment":{"count":0`, `"p95-seconds":0`}},
			{name: "sla", method: "GET", path: "/analytics/sla", headers: as(admin), status: 200, want: []string{`"share-within-sla":null`}},
			{name: "resolutions", method: "GET", path: "/analytics/resolutions", headers: as(admin), status: 200, want: []string{`"resolutions":[]`}},
			{name: "a reviewer may not", method: "GET", path: "/analytics/volume", headers: as(reviewer), status: 403,
				want: []string{"may not read analytics"}},
			{name: "a key without analytics.read may not", method: "GET", path: "/analytics/sla", headers: as(narrow), status: 403,
				want: []string{"lacks the analytics.read scope"}},
			{name: "a bad bucket", method: "GET", path: "/analytics/volume?bucket=hour", headers: as(admin), status: 400,
				want: []string{`"parameter":"bucket"`}},
			{name: "a bad time zone", method: "GET", path: "/analytics/volume?time-zone=Mars/Olympus", headers: as(admin), status: 400,
				want: []string{`"parameter":"time-zone"`}},
			{name: "from after to", method: "GET", path: "/analytics/volume?from=2026-03-02&to=2026-03-01", headers: as(admin), status: 400,
				want: []string{`"parameter":"from"`}},
			{name: "an unknown parameter", method: "GET", path: "/analytics/volume?filter[status]=Open", headers: as(admin), status: 400,
				want: []string{`"parameter":"filter[status]"`}},
		})
	})
}
