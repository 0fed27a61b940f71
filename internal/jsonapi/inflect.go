package jsonapi

import (
	"strings"
	"unicode"
)

// Key inflections a client may ask for with the Key-Inflection header. Docket's own keys
// are kebab-case; user-defined keys (inside opaqueKeys) are never rewritten.
const (
	InflectKebab = "kebab"
	InflectCamel = "camel"
	InflectSnake = "snake"
)

// opaqueKeys hold user-defined JSON whose keys belong to the customer. Under workflows
// and their runs: a step's params (parameter names are kebab-case by convention, and an
// action must find them as written), a run's and a step's input and output, and a run
// trigger's object (the snapshot that expressions see, keys as they see them).
var opaqueKeys = map[string]bool{"fields": true, "result": true, "custom-http-headers": true, "input": true,
	"params": true, "output": true, "object": true}

// Kebab turns camelCase, snake_case or kebab-case into kebab-case. A number after a
// letter starts a word, as InflectKey joined it: addressStreet1 is address-street-1.
func Kebab(s string) string {
	if !strings.ContainsAny(s, "_ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return s
	}
	var b strings.Builder
	prev := rune(0)
	for i, r := range s {
		after := prev
		prev = r
		switch {
		case r == '_':
			b.WriteByte('-')
		case unicode.IsDigit(r) && unicode.IsLetter(after):
			b.WriteByte('-')
			b.WriteRune(r)
		case unicode.IsUpper(r):
			if i > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// InflectKey turns a kebab-case key into the requested style.
func InflectKey(s, style string) string {
	switch style {
	case InflectSnake:
		return strings.ReplaceAll(s, "-", "_")
	case InflectCamel:
		parts := strings.Split(s, "-")
		for i := 1; i < len(parts); i++ {
			if parts[i] != "" {
				parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
			}
		}
		return strings.Join(parts, "")
	}
	return s
}

// rekey rewrites the keys of decoded JSON with fn, leaving opaque values alone. opaque
// names the keys (after rewriting) whose values are user data.
func rekey(v any, fn func(string) string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			nk := fn(k)
			if opaqueKeys[Kebab(k)] {
				out[nk] = val
				continue
			}
			out[nk] = rekey(val, fn)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = rekey(val, fn)
		}
		return out
	}
	return v
}

// NormalizeKeys turns request keys in any of the three styles into kebab-case.
func NormalizeKeys(v any) any { return rekey(v, Kebab) }

// Opaque reports whether the value under a (kebab-case) key is user-defined JSON whose
// keys are kept as sent.
func Opaque(key string) bool { return opaqueKeys[key] }

// InflectKeys turns Docket's kebab-case response keys into the requested style.
func InflectKeys(v any, style string) any {
	if style == InflectKebab || style == "" {
		return v
	}
	return rekey(v, func(k string) string { return InflectKey(k, style) })
}
