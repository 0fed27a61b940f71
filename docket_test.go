package docket

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// TestFieldPaths checks that paths built with FieldKey and FieldIndex read back as the
// keys and indexes they were built from, whatever the keys hold.
func TestFieldPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want []string
	}{
		{"tags", []string{"tags"}},
		{FieldKey("fields", "amount"), []string{"fields", "amount"}},
		{FieldIndex("object-ids", 2), []string{"object-ids", "2"}},
		{FieldIndex("statuses", 1) + ".name", []string{"statuses", "1", "name"}},
		{FieldKey(FieldIndex("definition.steps", 1), "action"), []string{"definition", "steps", "1", "action"}},
		{FieldKey("fields", "a.b"), []string{"fields", "a.b"}},
		{FieldKey("custom-http-headers", `X-"q"[0]`), []string{"custom-http-headers", `X-"q"[0]`}},
		{FieldKey("fields", ""), []string{"fields", ""}},
		{FieldKey("", "a/b~c"), []string{"a/b~c"}},
		{FieldIndex(FieldKey("query", "and"), 0), []string{"query", "and", "0"}},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			got, ok := FieldSegments(tc.path)
			if !ok || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("FieldSegments(%q) = %q, %v; want %q", tc.path, got, ok, tc.want)
			}
		})
	}
}

func TestFieldPathSpelling(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{FieldKey("", "email-address"), "email-address"},
		{FieldKey("fields", "amount"), "fields.amount"},
		{FieldIndex("object-ids", 2), "object-ids[2]"},
		{FieldKey("fields", "a.b"), `fields["a.b"]`},
		{FieldKey("", ""), `[""]`},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestFieldSegmentsRefusesMalformedPaths(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", ".a", "a.", "a..b", "a[", "a[]", "a[x]", "a[-1]", `a["b"`, `a["b]`, "a b", "a[1]b", "a.[1]", "a/b"} {
		if segs, ok := FieldSegments(path); ok {
			t.Errorf("FieldSegments(%q) = %q, want a refusal", path, segs)
		}
	}
}

func TestErrorField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		err                error
		field, message, at string
	}{
		{"field", Invalid("fields.amount", "must be a number"), "fields.amount", "must be a number", "invalid: must be a number (at fields.amount)"},
		{"wrapped", fmt.Errorf("create case: %w", Invalid("tags[0]", "too long")), "tags[0]", "too long", "create case: invalid: too long (at tags[0])"},
		{"no field", NotFound("case", "case_x"), "", "case case_x not found", "not_found: case case_x not found"},
		{"internal", errors.New("disk full"), "", "", "disk full"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			field, message := ErrorField(tc.err)
			if field != tc.field || message != tc.message || tc.err.Error() != tc.at {
				t.Fatalf("got %q, %q, %q; want %q, %q, %q", field, message, tc.err.Error(), tc.field, tc.message, tc.at)
			}
		})
	}
}
