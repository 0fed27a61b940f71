package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// FuzzParseBody feeds arbitrary bytes to the request body decoder. It must never panic,
// must refuse whatever is not one JSON object with a *docket.Error (400 or 422), and
// what it accepts must be kebab-case, storable and stable under re-encoding.
func FuzzParseBody(f *testing.F) {
	for _, seed := range []string{
		``, ` `, `{}`, `null`, `[]`, `{"data":null}`, `{"data":{"attributes":{"case-template-id":"ctmpl_x"}}}`,
		`{"data":{"attributes":{"caseTemplateId":"x","fields":{"riskScore":1,"risk_level":"a"}}},"meta":{"objectIds":["act_1"]}}`,
		`{"meta":{"sla_expires_in_seconds":1e3,"tag-name":["a","b"]}}`, `{"query":{"and":[{"attribute":"status","operator":"eq","value":"Open"}]}}`,
		`{"data":[]}`, `{"data":{"attributes":7}}`, `{"meta":"x"}`, `{} {}`, `{}]`, `{"a":"\u0000"}`, `{"a":1e999}`,
		"\f", "{\"a\":\"\xff\"}", `{"fields":{"A_b":{"C":1}},"Fields":2}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := parseBody(b)
		if err != nil {
			var e *docket.Error
			if !errors.As(err, &e) || (e.Code != docket.EBadRequest && e.Code != docket.EInvalid) {
				t.Fatalf("error %v (%T) is not a 400 or 422 *docket.Error", err, err)
			}
			if e.Pointer != "" && !strings.HasPrefix(e.Pointer, "/") {
				t.Fatalf("pointer %q is not a JSON pointer", e.Pointer)
			}
			return
		}
		if out.attrs == nil || out.meta == nil || out.raw == nil {
			t.Fatalf("nil part in %+v", out)
		}
		if len(bytes.Trim(b, " \t\r\n")) == 0 {
			if len(out.raw) != 0 {
				t.Fatalf("empty body gave %v", out.raw)
			}
			return
		}
		if !json.Valid(b) {
			t.Fatalf("accepted invalid JSON %q", b)
		}
		if err := checkStorable(out.raw, ""); err != nil {
			t.Fatalf("accepted unstorable input: %v", err)
		}
		if again := jsonapi.NormalizeKeys(out.raw); !reflect.DeepEqual(again, any(out.raw)) {
			t.Fatalf("keys not normalized: %v became %v", out.raw, again)
		}
		enc, err := json.Marshal(out.raw)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		back, err := parseBody(enc)
		if err != nil || !reflect.DeepEqual(back, out) {
			t.Fatalf("re-parsing %s gave %+v, %v; want %+v", enc, back, err, out)
		}
	})
}

func TestParseBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body      string
		code, pointer   string
		attrs, meta, fl string // JSON of the parts, when accepted
	}{
		{name: "empty", body: "", attrs: `{}`, meta: `{}`},
		{name: "white space", body: " \r\n\t", attrs: `{}`, meta: `{}`},
		{name: "form feed", body: "\f", code: docket.EBadRequest},
		{name: "camel and snake", body: `{"data":{"attributes":{"caseTemplateId":"x","creator_email_address":"y"}},"meta":{"objectIds":[]}}`,
			attrs: `{"case-template-id":"x","creator-email-address":"y"}`, meta: `{"object-ids":[]}`},
		{name: "fields keep their keys", body: `{"data":{"attributes":{"Fields":{"firstName":{"middle_name":1}}}}}`,
			attrs: `{"fields":{"firstName":{"middle_name":1}}}`, meta: `{}`},
		{name: "numbers stay exact", body: `{"meta":{"n":12345678901234567890}}`, attrs: `{}`, meta: `{"n":12345678901234567890}`},
		{name: "null parts", body: `{"data":null,"meta":null}`, attrs: `{}`, meta: `{}`},
		{name: "not an object", body: `[]`, code: docket.EBadRequest},
		{name: "data list", body: `{"data":[]}`, code: docket.EBadRequest, pointer: "/data"},
		{name: "attributes string", body: `{"data":{"attributes":""}}`, code: docket.EBadRequest, pointer: "/data/attributes"},
		{name: "meta list", body: `{"meta":[]}`, code: docket.EBadRequest, pointer: "/meta"},
		{name: "two values", body: `{}{}`, code: docket.EBadRequest},
		{name: "trailing bracket", body: `{}]`, code: docket.EBadRequest},
		{name: "truncated", body: `{"a":`, code: docket.EBadRequest},
		{name: "NUL", body: `{"meta":{"body":["ok","\u0000"]}}`, code: docket.EInvalid, pointer: "/meta/body/1"},
		{name: "invalid UTF-8", body: "{\"meta\":{\"body\":\"\xff\"}}", code: docket.EBadRequest},
		{name: "bare attributes", body: `{"referenceId":"x"}`, code: docket.EBadRequest, pointer: "/reference-id"},
		{name: "unknown data member", body: `{"data":{"attributes":{},"links":{}}}`, code: docket.EBadRequest, pointer: "/data/links"},
		{name: "two inflections", body: `{"data":{"attributes":{"reference_id":"a","referenceId":"b"}}}`, code: docket.EBadRequest,
			pointer: "/data/attributes/reference-id"},
		{name: "two inflections deep", body: `{"meta":{"result":{"a":1},"input":{"x_y":1,"xY":2},"page":{"a_b":1,"aB":2}}}`,
			code: docket.EBadRequest, pointer: "/meta/page/a-b"},
		{name: "huge number", body: `{"data":{"attributes":{"fields":{"x":1e400}}}}`, code: docket.EInvalid, pointer: "/data/attributes/fields/x"},
	} {
		out, err := parseBody([]byte(tc.body))
		if tc.code != "" {
			var e *docket.Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Pointer != tc.pointer {
				t.Errorf("%s: error %v, want %s at %q", tc.name, err, tc.code, tc.pointer)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		attrs, _ := json.Marshal(out.attrs)
		meta, _ := json.Marshal(out.meta)
		if string(attrs) != tc.attrs || string(meta) != tc.meta {
			t.Errorf("%s: attrs %s meta %s, want %s %s", tc.name, attrs, meta, tc.attrs, tc.meta)
		}
	}
}
