// Package jsonapi renders Docket's domain values as JSON:API resources: one renderer per
// resource type, the includes of a case, events with their payloads, and key inflection.
// The API's responses and the webhooks' deliveries both render through it, so that an
// event's payload is the object as its own endpoint shows it.
package jsonapi

import (
	"time"

	"github.com/docket-hq/docket"
)

// Object is a JSON object under construction. Responses are built as plain maps so that
// key inflection can rewrite them without reflection.
type Object = map[string]any

// resource builds a JSON:API resource object.
func resource(typ, id string, attrs Object, rels Object) Object {
	r := Object{"type": typ, "id": id, "attributes": attrs}
	if rels != nil {
		r["relationships"] = rels
	}
	return r
}

// ref is a resource identifier; one(nil) renders {"data": null}.
func ref(typ, id string) Object { return Object{"type": typ, "id": id} }

func one(typ string, id *string) Object {
	if id == nil {
		return Object{"data": nil}
	}
	return Object{"data": ref(typ, *id)}
}

func many(typ string, ids []string) Object {
	data := make([]any, 0, len(ids))
	for _, id := range ids {
		data = append(data, ref(typ, id))
	}
	return Object{"data": data}
}

// ts renders a timestamp as RFC 3339 UTC with milliseconds.
func ts(t time.Time) string { return t.UTC().Format(docket.TimeFormat) }

func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func strOrNil(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
