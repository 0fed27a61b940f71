package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
)

// TestEventFilters: the events list filters by name, object id and object type, each
// alone and together, and refuses a filter it does not take.
func TestEventFilters(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		tmpl := h.createTemplate("")
		kase := h.createCase(tmpl, "")
		other := h.createCase(tmpl, "")
		names := func(path string) []string {
			t.Helper()
			var out []string
			for _, d := range h.must(http.StatusOK, "GET", path, "").list("data") {
				out = append(out, d.(map[string]any)["attributes"].(map[string]any)["name"].(string))
			}
			return out
		}
		for _, tc := range []struct {
			name, query string
			want        []string
		}{
			{"by type", "filter[object-type]=case-template", []string{"case-template.created"}},
			{"by type and name", "filter[object-type]=case&filter[name]=case.created", []string{"case.created", "case.created"}},
			{"by object and type", "filter[object-id]=" + kase + "&filter[object-type]=case", []string{"case.created"}},
			{"by object of another type", "filter[object-id]=" + kase + "&filter[object-type]=account", nil},
			{"by name and object", "filter[name]=case.created&filter[object-id]=" + other, []string{"case.created"}},
			{"snake-case filter", "filter[object_type]=case-template", []string{"case-template.created"}},
			{"unknown type", "filter[object-type]=nothing", nil},
		} {
			if got := names("/events?" + tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		r := h.do("GET", "/events?filter[object-kind]=case", "")
		if r.status != http.StatusBadRequest {
			t.Errorf("unknown filter: %d %s", r.status, r.raw)
		}
	})
}

// TestEventVisibilityWorkflowRuns: a workflow run copies the case that started it into
// its events, so a reader from whom any template is hidden sees no workflow-run event,
// in the list or by id, as they see no run's data; a key without a user sees them.
func TestEventVisibilityWorkflowRuns(t *testing.T) {
	t.Parallel()
	eachServer(t, testConfig(), func(t *testing.T, h *harness) {
		_, rita := h.userKey("rita@example.com", docket.RoleReviewer, docket.ScopeAll)
		h.createTemplate(`{"data":{"attributes":{"name":"SAR","key":"SAR","visible-to-roles":["admin"]}}}`)
		open := h.createTemplate(`{"data":{"attributes":{"name":"KYC","key":"KYC"}}}`)
		wf := h.must(http.StatusCreated, "POST", "/workflows", `{"data":{"attributes":{"name":"Tag","definition":{
			"trigger":{"type":"event","event":"case.created"},
			"steps":[{"id":"tag","type":"action","action":"tag-object","params":{"tags":["seen"]}}]}}}}`).str("data.id")
		h.must(http.StatusOK, "POST", "/workflows/"+wf+"/publish", "")
		h.createCase(open, "")
		runEvents := h.must(http.StatusOK, "GET", "/events?filter[object-type]=workflow-run", "").ids()
		if len(runEvents) == 0 {
			t.Fatal("the case started no workflow run")
		}
		for _, tc := range []struct {
			who, auth string
			status    int
			seen      bool
		}{
			{"key without a user", "Bearer " + h.key, 200, true},
			{"reviewer's key", rita, 404, false},
		} {
			list := h.must(http.StatusOK, "GET", "/events?page[size]=100", "", "Authorization", tc.auth)
			if got := strings.Contains(list.raw, `"name":"workflow-run.`); got != tc.seen {
				t.Errorf("%s: list shows run events: %v, want %v", tc.who, got, tc.seen)
			}
			if !strings.Contains(list.raw, `"name":"case.created"`) {
				t.Errorf("%s: the visible case's event is missing", tc.who)
			}
			if r := h.do("GET", "/events/"+runEvents[0], "", "Authorization", tc.auth); r.status != tc.status {
				t.Errorf("%s: one run event: %d, want %d", tc.who, r.status, tc.status)
			}
		}
	})
}
