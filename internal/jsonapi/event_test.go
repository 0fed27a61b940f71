package jsonapi_test

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// renderCaseEvent renders a case.created event for a case with three user fields.
func renderCaseEvent(t *testing.T, inflection string, blocklist []string) map[string]any {
	t.Helper()
	created := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	c := &docket.Case{ID: "case_01", TemplateID: "ctmpl_01", Number: 1, Name: "KYC-1", Status: "Open",
		Fields:    map[string]any{"ssn": "123-45-6789", "risk-score": "high", "name-first": "Ada", "nested": map[string]any{"inner-key": 1}},
		Tags:      []string{"vip"},
		CreatedAt: created, UpdatedAt: created,
		Creator: &docket.Actor{Type: docket.ActorUser, ID: "user_01"}}
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	e := &docket.Event{ID: "evt_01", Name: docket.EventCaseCreated, ObjectType: "case", ObjectID: c.ID, Object: raw, CreatedAt: created}
	body, err := jsonapi.RenderEvent(e, inflection, blocklist)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("RenderEvent is not JSON: %v: %s", err, body)
	}
	return doc
}

func renderPath(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("at %q: %v is not an object", k, v)
		}
		v = m[k]
	}
	return v
}

func renderKeys(v any) []string {
	var out []string
	for k := range v.(map[string]any) {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestRenderEventEnvelope(t *testing.T) {
	doc := renderCaseEvent(t, "kebab", nil)
	if renderPath(t, doc, "data", "type") != "event" || renderPath(t, doc, "data", "id") != "evt_01" ||
		renderPath(t, doc, "data", "attributes", "name") != "case.created" ||
		renderPath(t, doc, "data", "attributes", "created-at") != "2025-03-01T09:00:00.000Z" {
		t.Fatalf("envelope: %v", doc)
	}
	obj := renderPath(t, doc, "data", "attributes", "payload", "data")
	if renderPath(t, obj, "type") != "case" || renderPath(t, obj, "id") != "case_01" || renderPath(t, obj, "attributes", "name") != "KYC-1" {
		t.Fatalf("payload: %v", obj)
	}
	want := map[string]any{"ssn": "123-45-6789", "risk-score": "high", "name-first": "Ada", "nested": map[string]any{"inner-key": 1.0}}
	if got := renderPath(t, obj, "attributes", "fields"); !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	if _, ok := renderPath(t, doc, "data", "attributes", "payload", "included").([]any); !ok {
		t.Fatalf("payload.included is not a list: %v", doc)
	}
}

func TestRenderEventBlocklist(t *testing.T) {
	for _, tc := range []struct {
		blocklist  []string
		fields     []string // remaining field keys
		goneAttrs  []string // attributes that must be absent
		keptAttrs  []string // attributes that must remain
		fieldsGone bool     // the fields attribute itself is gone
	}{
		{blocklist: []string{"fields.ssn"}, fields: []string{"name-first", "nested", "risk-score"}, keptAttrs: []string{"name", "status", "fields"}},
		{blocklist: []string{"fields.*"}, fields: []string{}, keptAttrs: []string{"name", "fields"}},
		{blocklist: []string{"fields.name-*", "fields.ssn"}, fields: []string{"nested", "risk-score"}},
		{blocklist: []string{"fields.nested.inner-key"}, fields: []string{"name-first", "nested", "risk-score", "ssn"}},
		// name-* matches attributes that start with "name-", not "name" itself.
		{blocklist: []string{"name-*"}, fields: []string{"name-first", "nested", "risk-score", "ssn"}, keptAttrs: []string{"name"}},
		{blocklist: []string{"*-at"}, fields: []string{"name-first", "nested", "risk-score", "ssn"},
			goneAttrs: []string{"created-at", "updated-at", "resolved-at"}, keptAttrs: []string{"name", "status"}},
		{blocklist: []string{"fields", "tags"}, goneAttrs: []string{"fields", "tags"}, keptAttrs: []string{"name"}, fieldsGone: true},
		// Entries that match nothing change nothing.
		{blocklist: []string{"fields.nope", "nope.deeper", "name.deeper"}, fields: []string{"name-first", "nested", "risk-score", "ssn"}, keptAttrs: []string{"name"}},
	} {
		doc := renderCaseEvent(t, "kebab", tc.blocklist)
		attrs := renderPath(t, doc, "data", "attributes", "payload", "data", "attributes").(map[string]any)
		if tc.fieldsGone {
			if _, ok := attrs["fields"]; ok {
				t.Errorf("%v: fields still present", tc.blocklist)
			}
		} else if got := renderKeys(attrs["fields"]); strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%v: fields %v, want %v", tc.blocklist, got, tc.fields)
		}
		if tc.blocklist[0] == "fields.nested.inner-key" {
			if n := attrs["fields"].(map[string]any)["nested"].(map[string]any); len(n) != 0 {
				t.Errorf("fields.nested.inner-key: nested still holds %v", n)
			}
		}
		for _, a := range tc.goneAttrs {
			if _, ok := attrs[a]; ok {
				t.Errorf("%v: attribute %s still present", tc.blocklist, a)
			}
		}
		for _, a := range tc.keptAttrs {
			if _, ok := attrs[a]; !ok {
				t.Errorf("%v: attribute %s was removed", tc.blocklist, a)
			}
		}
		// The envelope itself is never blocklisted.
		if renderPath(t, doc, "data", "attributes", "name") != "case.created" {
			t.Errorf("%v: envelope name changed: %v", tc.blocklist, doc)
		}
	}
}

func TestRenderEventInflection(t *testing.T) {
	camel := renderCaseEvent(t, "camel", []string{"fields.ssn"})
	attrs := renderPath(t, camel, "data", "attributes").(map[string]any)
	if attrs["createdAt"] != "2025-03-01T09:00:00.000Z" || attrs["created-at"] != nil {
		t.Fatalf("camel envelope keys: %v", renderKeys(attrs))
	}
	obj := renderPath(t, camel, "data", "attributes", "payload", "data", "attributes").(map[string]any)
	for _, k := range []string{"createdAt", "updatedAt", "assigneeId", "creatorId", "slaExpiresAt"} {
		if _, ok := obj[k]; !ok {
			t.Errorf("camel payload lacks %s: %v", k, renderKeys(obj))
		}
	}
	for k := range obj {
		if strings.Contains(k, "-") {
			t.Errorf("camel payload has kebab key %s", k)
		}
	}
	// User-defined field keys are never re-inflected, however deep; the blocklist (written
	// in kebab-case) applies before inflection.
	if got := strings.Join(renderKeys(obj["fields"]), ","); got != "name-first,nested,risk-score" {
		t.Errorf("camel fields %s", got)
	}
	if _, ok := obj["fields"].(map[string]any)["nested"].(map[string]any)["inner-key"]; !ok {
		t.Errorf("nested field key re-inflected: %v", obj["fields"])
	}
	if rels := renderPath(t, camel, "data", "attributes", "payload", "data", "relationships").(map[string]any); rels["caseTemplate"] == nil {
		t.Errorf("camel relationships: %v", renderKeys(rels))
	}

	snake := renderCaseEvent(t, "snake", nil)
	sattrs := renderPath(t, snake, "data", "attributes", "payload", "data", "attributes").(map[string]any)
	if _, ok := sattrs["created_at"]; !ok {
		t.Errorf("snake payload: %v", renderKeys(sattrs))
	}
	if _, ok := sattrs["fields"].(map[string]any)["risk-score"]; !ok {
		t.Errorf("snake fields re-inflected: %v", sattrs["fields"])
	}
}
