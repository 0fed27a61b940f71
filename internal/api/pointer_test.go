package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/docket-hq/docket/internal/store"
)

// TestFieldPointer checks how a domain field path becomes a JSON pointer for each kind of
// endpoint: under /data/attributes by default, under /meta or elsewhere where the
// endpoint carries that input, and at the top level where POST /cases took a field.
func TestFieldPointer(t *testing.T) {
	t.Parallel()
	caseAttrs := obj{"case-template-id": "ctmpl_x", "amount": "lots", "tags": []any{"x"}}
	tests := []struct {
		pattern, field string
		attrs          obj
		want           string
	}{
		{"POST /api/v1/case-templates", "name", nil, "/data/attributes/name"},
		{"POST /api/v1/case-templates", "statuses[1].name", nil, "/data/attributes/statuses/1/name"},
		{"POST /api/v1/case-templates", "field-schemas[0].config.options[2]", nil, "/data/attributes/field-schemas/0/config/options/2"},
		{"POST /api/v1/workflows", "definition.steps[1].action", nil, "/data/attributes/definition/steps/1/action"},
		{"POST /api/v1/workflows", `definition.steps[1].params["a/b~c"]`, nil, "/data/attributes/definition/steps/1/params/a~1b~0c"},
		{"POST /api/v1/users", "email-address", nil, "/data/attributes/email-address"},
		{"POST /api/v1/cases", "fields.note", obj{"fields": obj{"note": 1}}, "/data/attributes/fields/note"},
		{"POST /api/v1/cases", "fields.amount", caseAttrs, "/data/attributes/amount"},
		{"POST /api/v1/cases", "fields.missing", caseAttrs, "/data/attributes/fields/missing"},
		{"POST /api/v1/cases", "fields.tags", caseAttrs, "/data/attributes/fields/tags"},
		{"POST /api/v1/cases", "tags[0]", caseAttrs, "/data/attributes/tags/0"},
		{"POST /api/v1/cases", "object-ids[2]", nil, "/meta/object-ids/2"},
		{"POST /api/v1/cases", "sla-expires-in-seconds", nil, "/meta/sla-expires-in-seconds"},
		{"PATCH /api/v1/cases/{id}", "fields.amount", nil, "/data/attributes/fields/amount"},
		{"PATCH /api/v1/cases/{id}", "case-queue-id", nil, "/data/attributes/case-queue-id"},
		{"POST /api/v1/cases/{id}/set-status", "status", nil, "/meta/status"},
		{"PATCH /api/v1/case-queues/{id}", "status", nil, "/data/attributes/status"},
		{"POST /api/v1/reports", "status", nil, "/data/attributes/status"},
		{"POST /api/v1/cases/{id}/assign", "user-email-address", nil, "/meta/user-email-address"},
		{"POST /api/v1/case-queues/{id}/claim", "user-email-address", nil, "/meta/user-email-address"},
		{"POST /api/v1/cases/{id}/remove-objects", "object-ids[1]", nil, "/meta/object-ids/1"},
		{"POST /api/v1/cases/{id}/add-tag", "tags[0]", nil, "/meta/tag-name/0"},
		{"POST /api/v1/cases/{id}/set-tags", "tags", nil, "/meta/tag-name"},
		{"POST /api/v1/cases/{id}/comments", "body", nil, "/meta/body"},
		{"POST /api/v1/inquiries/{id}/approve", "comment", nil, "/meta/comment"},
		{"POST /api/v1/workflows/{id}/trigger", "input.amount", nil, "/meta/input/amount"},
		{"POST /api/v1/cases/{id}/actions/{workflow}", "input.amount", nil, "/meta/input/amount"},
		{"POST /api/v1/cases/search", "query.and[0].attribute", nil, "/query/and/0/attribute"},
		{"POST /api/v1/cases/search", "page.after", nil, "/page/after"},
		{"POST /api/v1/case-queues", "filter.tags[0]", nil, "/data/attributes/filter/tags/0"},
		{"POST /api/v1/case-templates", "not a path", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+" "+tc.field, func(t *testing.T) {
			t.Parallel()
			if got := placements[tc.pattern].pointer(tc.field, tc.attrs); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPlacementsNameRoutes checks that every pattern in placements is one the server
// routes, so that a typo there cannot silently send a field to /data/attributes.
func TestPlacementsNameRoutes(t *testing.T) {
	t.Parallel()
	// Registering routes only takes method values of the store, so a nil one will do.
	s := &Server{store: (*store.Store)(nil), mux: http.NewServeMux()}
	s.routes()
	for pattern := range placements {
		method, path, _ := strings.Cut(pattern, " ")
		path = strings.NewReplacer("{id}", "x", "{workflow}", "y").Replace(path)
		_, got := s.mux.Handler(httptest.NewRequest(method, path, nil))
		if got != pattern {
			t.Errorf("%s %s is routed to %q, not %q", method, path, got, pattern)
		}
	}
}
