package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/docket-hq/docket/internal/jsonapi"
)

// body is a decoded request document: data.attributes and meta, with keys in kebab-case.
type body struct {
	attrs obj
	meta  obj
	raw   obj
}

// parseJSON decodes a request body into one JSON object with its keys in kebab-case. It
// refuses what would otherwise be accepted silently and wrongly: bytes that are not
// UTF-8 (the decoder would replace them with U+FFFD), a key sent in two inflections (one
// of the two would win at random), values a store cannot keep. An empty body is an empty
// object.
func parseJSON(b []byte) (obj, error) {
	if len(bytes.Trim(b, " \t\r\n")) == 0 { // JSON's white space only: "\f" is not an empty body
		return obj{}, nil
	}
	if !utf8.Valid(b) {
		return nil, badRequest("request body is not valid UTF-8 (byte %d)", invalidUTF8At(b))
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, badRequest("request body is not valid JSON: %s", jsonErrorText(err))
	}
	// Anything but white space after the value is malformed; d.More alone would let a
	// stray ] or } through.
	if _, err := d.Token(); err != io.EOF {
		return nil, badRequest("request body holds more than one JSON value")
	}
	if err := checkSpellings(v, ""); err != nil {
		return nil, err
	}
	root, ok := jsonapi.NormalizeKeys(v).(obj)
	if !ok {
		return nil, badPointer("", "request body must be a JSON object")
	}
	if err := checkStorable(root, ""); err != nil {
		return nil, err
	}
	return root, nil
}

// invalidUTF8At is the offset of the first byte of b that is not part of UTF-8 text.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// checkSpellings refuses an object that names one key twice in different inflections
// (reference-id and referenceId). Both would become reference-id, and the value kept
// would depend on map order. User-defined objects (fields...) keep their keys as sent,
// so they may hold both.
func checkSpellings(v any, ptr string) error {
	switch x := v.(type) {
	case map[string]any:
		seen := make(map[string]string, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			nk := jsonapi.Kebab(k)
			p := ptr + "/" + pointerEscaper.Replace(nk)
			if other, dup := seen[nk]; dup {
				return badPointer(p, "%q and %q name the same member in two inflections: send it once", other, k)
			}
			seen[nk] = k
			if jsonapi.Opaque(nk) {
				continue
			}
			if err := checkSpellings(x[k], p); err != nil {
				return err
			}
		}
	case []any:
		for i, item := range x {
			if err := checkSpellings(item, fmt.Sprintf("%s/%d", ptr, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseBody decodes a JSON:API request document (see parseJSON and document).
func parseBody(b []byte) (*body, error) {
	root, err := parseJSON(b)
	if err != nil {
		return nil, err
	}
	return document(root)
}

// documentMembers are the top-level members a request document may hold (jsonapi is
// JSON:API's own, and carries nothing Docket reads); dataMembers those of its data.
var (
	documentMembers = []string{"data", "meta", "jsonapi"}
	dataMembers     = []string{"type", "id", "attributes"}
)

// document checks the JSON:API envelope of a decoded body: attributes go in
// data.attributes and action parameters in meta. Anything else at the top level or in
// data is refused, naming it: a body sent without its envelope (bare attributes) would
// otherwise create an empty object, or change nothing and answer 200.
func document(root obj) (*body, error) {
	out := &body{attrs: obj{}, meta: obj{}, raw: root}
	for _, k := range slices.Sorted(maps.Keys(root)) {
		if !slices.Contains(documentMembers, k) {
			return nil, badPointer("/"+pointerEscaper.Replace(k), "unexpected top-level member %q: a request document holds data (with data.attributes) and meta", k)
		}
	}
	if data, ok := root["data"]; ok && data != nil {
		dm, ok := data.(obj)
		if !ok {
			return nil, badPointer("/data", "data must be an object")
		}
		for _, k := range slices.Sorted(maps.Keys(dm)) {
			if !slices.Contains(dataMembers, k) {
				return nil, badPointer("/data/"+pointerEscaper.Replace(k), "unexpected member %q in data: attributes go in data.attributes", k)
			}
		}
		for _, k := range []string{"type", "id"} {
			if v, ok := dm[k]; ok && v != nil {
				if _, ok := v.(string); !ok {
					return nil, badPointer("/data/"+k, "data.%s must be a string", k)
				}
			}
		}
		if a, ok := dm["attributes"]; ok && a != nil {
			if out.attrs, ok = a.(obj); !ok {
				return nil, badPointer("/data/attributes", "data.attributes must be an object")
			}
		}
	}
	if m, ok := root["meta"]; ok && m != nil {
		if out.meta, ok = m.(obj); !ok {
			return nil, badPointer("/meta", "meta must be an object")
		}
	}
	return out, nil
}

// readAttributes is readBody for an endpoint that reads data.attributes and no meta.
func readAttributes(r *http.Request) (*body, error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	return b, b.noMeta()
}

// readMeta is readBody for an action endpoint whose parameters are the meta keys named.
func readMeta(r *http.Request, keys ...string) (*body, error) {
	b, err := readBody(r)
	if err != nil {
		return nil, err
	}
	return b, b.metaOnly(keys...)
}

// metaOnly refuses what an action endpoint does not read: any data.attributes (its
// parameters go in meta) and meta keys other than keys.
func (b *body) metaOnly(keys ...string) error {
	if len(b.attrs) > 0 {
		k := slices.Min(slices.Collect(maps.Keys(b.attrs)))
		return invalidPointer("/data/attributes/"+pointerEscaper.Replace(k), "this endpoint reads no attributes: send its parameters in meta")
	}
	return getter{b.meta, "/meta"}.onlyKeys(keys...)
}

// noMeta refuses meta on an endpoint that reads only data.attributes.
func (b *body) noMeta() error { return getter{b.meta, "/meta"}.onlyKeys() }

// noBody refuses a body that asks for something on an endpoint that takes none: any
// attributes or meta. An empty body, or an empty document, is fine.
func noBody(r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	return b.metaOnly()
}

// maxNumberLength bounds the text of one JSON number.
const maxNumberLength = 100

// checkStorable refuses values that valid JSON can carry but a store cannot keep, so that
// they are reported as the client's mistake rather than failing in the database as a 500:
// PostgreSQL's text and jsonb refuse NUL characters, and jsonb refuses numbers beyond its
// numeric range. Numbers must therefore be finite doubles of reasonable length.
func checkStorable(v any, ptr string) error {
	switch x := v.(type) {
	case string:
		if !validText(x) {
			return invalidPointer(ptr, "text must not contain NUL characters")
		}
	case json.Number:
		if !validNumber(x) {
			return invalidPointer(ptr, "numbers must be finite double-precision values of at most %d characters", maxNumberLength)
		}
	case map[string]any:
		for k, val := range x {
			p := ptr + "/" + pointerEscaper.Replace(k)
			if !validText(k) {
				return invalidPointer(p, "keys must not contain NUL characters")
			}
			if err := checkStorable(val, p); err != nil {
				return err
			}
		}
	case []any:
		for i, val := range x {
			if err := checkStorable(val, fmt.Sprintf("%s/%d", ptr, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// pointerEscaper escapes a key for use in a JSON pointer (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// validText reports whether s is UTF-8 without NUL characters, which every store can keep.
func validText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// validNumber reports whether n is a finite double that does not underflow to zero.
func validNumber(n json.Number) bool {
	if len(n) > maxNumberLength {
		return false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) {
		return false
	}
	if f == 0 {
		// Zero only if the mantissa is all zeros: 1e-400 is not zero, it underflows.
		mantissa, _, _ := strings.Cut(strings.ToLower(string(n)), "e")
		return strings.Trim(mantissa, "-0.") == ""
	}
	return true
}

func jsonErrorText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s at byte %d", se.Error(), se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return err.Error()
}

// readJSON returns the request body the middleware decoded (parseJSON): for endpoints
// whose body is not a JSON:API document (POST /cases/search).
func readJSON(r *http.Request) obj {
	root, _ := r.Context().Value(ctxBody).(obj)
	if root == nil {
		return obj{}
	}
	return root
}

// readBody returns the request document the middleware decoded, checked as a JSON:API
// document (see document).
func readBody(r *http.Request) (*body, error) {
	return document(readJSON(r))
}

// getters read typed values from a decoded object and point at the offender on error.
type getter struct {
	m    obj
	base string // JSON pointer of m, e.g. /data/attributes
}

func (g getter) has(key string) bool { _, ok := g.m[key]; return ok }

func (g getter) ptr(key string) string { return g.base + "/" + key }

func (g getter) str(key string) (string, error) {
	v, ok := g.m[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", badPointer(g.ptr(key), "%s must be a string", key)
	}
	return s, nil
}

// nullableStr returns nil for JSON null and an error for any non-string.
func (g getter) nullableStr(key string) (*string, error) {
	v := g.m[key]
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, badPointer(g.ptr(key), "%s must be a string or null", key)
	}
	return &s, nil
}

func (g getter) strList(key string) ([]string, error) {
	v, ok := g.m[key]
	if !ok || v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, badPointer(g.ptr(key), "%s must be a list of strings", key)
	}
	out := make([]string, len(list))
	for i, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, badPointer(fmt.Sprintf("%s/%d", g.ptr(key), i), "%s must hold only strings", key)
		}
		out[i] = s
	}
	return out, nil
}

func (g getter) object(key string) (obj, error) {
	v, ok := g.m[key]
	if !ok || v == nil {
		return nil, nil
	}
	m, ok := v.(obj)
	if !ok {
		return nil, badPointer(g.ptr(key), "%s must be an object", key)
	}
	return m, nil
}

// int64Ptr reads an optional whole number; JSON null gives a nil result.
func (g getter) int64Ptr(key string) (*int64, error) {
	v := g.m[key]
	if v == nil {
		return nil, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return nil, badPointer(g.ptr(key), "%s must be a number", key)
	}
	i, err := n.Int64()
	if err != nil {
		f, ferr := n.Float64()
		if ferr != nil || f != float64(int64(f)) {
			return nil, invalidPointer(g.ptr(key), "%s must be a whole number", key)
		}
		i = int64(f)
	}
	return &i, nil
}

func (g getter) boolPtr(key string) (*bool, error) {
	v := g.m[key]
	if v == nil {
		return nil, nil
	}
	b, ok := v.(bool)
	if !ok {
		return nil, badPointer(g.ptr(key), "%s must be true or false", key)
	}
	return &b, nil
}

// into decodes one value into a typed Go value (structs with kebab-case json tags),
// refusing unknown keys so that typos are reported rather than ignored.
func (g getter) into(key string, dst any) error {
	v, ok := g.m[key]
	if !ok || v == nil {
		return nil
	}
	// encoding/json's error paths leave out list indexes, so a list is decoded item by
	// item for its errors to point at the offending item (/field-schemas/1/type).
	if list, ok := v.([]any); ok {
		if rv := reflect.ValueOf(dst).Elem(); rv.Kind() == reflect.Slice {
			out := reflect.MakeSlice(rv.Type(), len(list), len(list))
			for i, item := range list {
				if err := decodeStrict(item, out.Index(i).Addr().Interface(), fmt.Sprintf("%s/%d", g.ptr(key), i), key); err != nil {
					return err
				}
			}
			rv.Set(out)
			return nil
		}
	}
	return decodeStrict(v, dst, g.ptr(key), key)
}

// decodeStrict decodes v, found at ptr in the request, into dst.
func decodeStrict(v, dst any, ptr, name string) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("re-encode %s: %w", name, err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(dst); err != nil {
		return badPointer(ptr+typeErrorPointer(err), "%s is malformed: %s", name, typeErrorText(err))
	}
	return nil
}

// typeErrorPointer turns encoding/json's field path (a.b.c) into a JSON pointer suffix.
func typeErrorPointer(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return "/" + strings.ReplaceAll(te.Field, ".", "/")
	}
	return ""
}

func typeErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s must be of type %s, not %s", te.Field, te.Type, te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// onlyKeys refuses keys outside the allowed set, naming the first in sorted order.
func (g getter) onlyKeys(allowed ...string) error {
	for _, k := range slices.Sorted(maps.Keys(g.m)) {
		switch {
		case slices.Contains(allowed, k):
		case len(allowed) == 0:
			return invalidPointer(g.ptr(k), "unknown key %q: this endpoint reads nothing in %s", k, g.base)
		default:
			return invalidPointer(g.ptr(k), "unknown key %q (allowed: %s)", k, strings.Join(allowed, ", "))
		}
	}
	return nil
}
