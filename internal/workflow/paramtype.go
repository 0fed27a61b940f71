package workflow

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/docket-hq/docket"
)

// paramType is the kind of value an action parameter takes. A literal value is checked
// when the workflow is saved, so that a definition that saves is one whose parameters
// fit; an expression ("=...") can only be checked on its value, when the step runs.
// Both checks are the same function, so a run refuses exactly what a save would.
type paramType int

const (
	text       paramType = iota // a string
	texts                       // a string or a list of strings
	seconds                     // a whole number of seconds between 1 and 90 days, or null
	object                      // a JSON object
	headers                     // an object of header names to strings
	anyJSON                     // any JSON value
	httpURL                     // an absolute https URL; http only to hosts the operator allowed
	httpMethod                  // an HTTP method: GET, POST, PUT, PATCH or DELETE
)

// httpMethods are the methods an https-request step may use.
var httpMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// paramProblem is what is wrong with a parameter value and why: in the value itself, or
// (sub set) in an item of a list or a key of an object, whose field path sub returns
// from the parameter's.
type paramProblem struct {
	sub func(field string) string
	msg string
}

// check reports what is wrong with v as a value of type t, or nil. At save time (saving)
// an expression is left for the run to check; nested expressions (a list item, a header
// value) are strings, which is all a save can tell of them. allowHTTP names the hosts
// that may be called over plain http (DOCKET_WEBHOOK_ALLOW_HTTP, as for webhooks).
func (t paramType) check(v any, saving bool, allowHTTP func(host string) bool) *paramProblem {
	if s, ok := v.(string); ok && saving && strings.HasPrefix(s, "=") {
		return nil
	}
	bad := func(format string, args ...any) *paramProblem {
		return &paramProblem{msg: fmt.Sprintf(format, args...)}
	}
	switch t {
	case text:
		if _, ok := v.(string); !ok {
			return bad("must be a string, not %s", jsonType(v))
		}
	case texts:
		return checkTexts(v)
	case seconds:
		return checkSeconds(v)
	case object, headers:
		m, ok := v.(map[string]any)
		if !ok {
			return bad("must be an object, not %s", jsonType(v))
		}
		if t == headers {
			for k, hv := range m {
				if _, ok := hv.(string); !ok {
					return &paramProblem{sub: func(f string) string { return docket.FieldKey(f, k) },
						msg: fmt.Sprintf("header %s must be a string, not %s", k, jsonType(hv))}
				}
			}
		}
	case httpURL:
		s, ok := v.(string)
		if !ok {
			return bad("must be an https URL, not %s", jsonType(v))
		}
		return checkURL(s, allowHTTP)
	case httpMethod:
		s, ok := v.(string)
		if !ok || !slices.Contains(httpMethods, strings.ToUpper(s)) {
			return bad("must be one of %s", strings.Join(httpMethods, ", "))
		}
	}
	return nil
}

func checkTexts(v any) *paramProblem {
	switch v := v.(type) {
	case string:
		return nil
	case []any:
		for i, item := range v {
			if _, ok := item.(string); !ok {
				return &paramProblem{sub: func(f string) string { return docket.FieldIndex(f, i) },
					msg: fmt.Sprintf("must hold only strings, not %s", jsonType(item))}
			}
		}
		return nil
	case []string:
		return nil
	}
	return &paramProblem{msg: fmt.Sprintf("must be a string or a list of strings, not %s", jsonType(v))}
}

func checkSeconds(v any) *paramProblem {
	if v == nil {
		return nil
	}
	n, ok := asInt(v)
	if !ok || n < 1 || n > docket.MaxSLASeconds {
		return &paramProblem{msg: fmt.Sprintf("must be a whole number of seconds from 1 to %d (90 days), or null", docket.MaxSLASeconds)}
	}
	return nil
}

// checkURL applies the rule webhooks follow (docket.Webhook.Validate): an absolute URL
// without credentials, https unless the operator allowed plain http to its host. Whether
// its address may be reached is decided when the request is sent, after DNS resolution.
func checkURL(s string, allowHTTP func(host string) bool) *paramProblem {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || len(s) > 2048 {
		return &paramProblem{msg: fmt.Sprintf("%q is not an absolute https URL without credentials", s)}
	}
	if u.Scheme == "http" && (allowHTTP == nil || !allowHTTP(u.Hostname())) {
		return &paramProblem{msg: fmt.Sprintf("must use https (the operator has not allowed http to %s)", u.Hostname())}
	}
	return nil
}

// jsonType names a decoded JSON value's type for messages.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case json.Number, float64, float32, int, int64:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

// asInt reads a whole number however it was decoded.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case float64:
		return int64(n), n == math.Trunc(n) && math.Abs(n) < 1<<53
	case int:
		return int64(n), true
	case int64:
		return n, true
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		f, err := n.Float64()
		if err != nil {
			return 0, false
		}
		return asInt(f)
	}
	return 0, false
}

// plainNumbers returns v with every json.Number made a Go number: an int when it is
// whole and fits, else a float64. The store reads JSON columns (a run's input, its steps'
// outputs, a definition's parameters) keeping numbers as json.Number, which expressions
// cannot compare or add (json.Number > int is an error) and actions would not take as
// numbers. Maps and lists are copied, not changed in place.
func plainNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil && i == int64(int(i)) {
			return int(i)
		}
		f, err := v.Float64()
		if err != nil {
			return v.String() // cannot happen for a number that decoded; keep its text
		}
		return f
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = plainNumbers(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = plainNumbers(x)
		}
		return out
	}
	return v
}
