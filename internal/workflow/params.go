package workflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/docket-hq/docket"
)

// Doer sends HTTP requests (an *http.Client).
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Resolve evaluates the expressions in a parameter value: a string that starts with "="
// is an expression; maps and lists are resolved element by element; a number is a Go
// number (the store reads definitions keeping json.Number); anything else is taken as
// it is.
func Resolve(v any, env Env) (any, error) {
	switch v := v.(type) {
	case string:
		src, ok := strings.CutPrefix(v, "=")
		if !ok {
			return v, nil
		}
		x, err := CompileValue(src)
		if err != nil {
			return nil, err
		}
		return x.Eval(env)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			r, err := Resolve(e, env)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			r, err := Resolve(e, env)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return plainNumbers(v), nil
}

// Snapshot turns a domain object into the map that expressions and run records see.
func Snapshot(obj any) map[string]any {
	// A run's records are copies that workflow readers see: identifiers go in masked, as
	// in events (docket.Account.Snapshot).
	switch x := obj.(type) {
	case *docket.Account:
		obj = x.Snapshot()
	case *docket.Inquiry:
		obj = x.Snapshot()
	}
	b, err := json.Marshal(obj)
	if err != nil {
		panic(fmt.Sprintf("encode snapshot: %v", err)) // domain objects are plain data
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func decode(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// maxResponse bounds how much of an https-request response a run records.
const maxResponse = 64 << 10

// httpsRequest calls an outside service. Its Idempotency-Key header is the same on every
// attempt of one step, so that the receiver can drop a repeat after a crash.
func httpsRequest(ctx context.Context, x *Exec) (any, error) {
	u, err := url.Parse(x.str("url"))
	if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, x.fail("url", "%q is not an http(s) URL", x.str("url"))
	}
	method := strings.ToUpper(x.str("method"))
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	if b, ok := x.Params["body"]; ok {
		raw, err := json.Marshal(b)
		if err != nil {
			return nil, x.fail("body", "cannot encode the body: %v", err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, x.fail("method", "%v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if h, ok := x.Params["headers"].(map[string]any); ok {
		for k, v := range h {
			req.Header.Set(k, fmt.Sprint(v))
		}
	}
	req.Header.Set("User-Agent", "Docket-Workflows/1")
	req.Header.Set("Idempotency-Key", x.Run.ID+"."+x.Run.CurrentStep)
	resp, err := x.HTTP.Do(req)
	if err != nil {
		// The error names the host only: the URL's path and query may hold personal data,
		// and this text goes to River's job record and the log, which no redaction reaches.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("https-request to %s: %w", u.Host, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	out := map[string]any{"status": resp.StatusCode}
	var parsed any
	if json.Unmarshal(raw, &parsed) == nil {
		out["body"] = withoutNUL(parsed)
	} else {
		out["body"] = withoutNUL(string(raw))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return out, fmt.Errorf("https-request: %s answered %d", u.Host, resp.StatusCode)
	}
	return out, nil
}

// withoutNUL replaces NUL characters in an outside answer's strings and keys with U+FFFD:
// the run record keeps them as JSON, and PostgreSQL's JSONB refuses \u0000.
func withoutNUL(v any) any {
	switch v := v.(type) {
	case string:
		return strings.ReplaceAll(v, "\x00", "\uFFFD")
	case []any:
		for i := range v {
			v[i] = withoutNUL(v[i])
		}
	case map[string]any:
		clean := make(map[string]any, len(v))
		for k, x := range v {
			clean[withoutNUL(k).(string)] = withoutNUL(x)
		}
		return clean
	}
	return v
}

// permanent reports whether err will not go away on retry: the request itself is wrong
// (bad parameters, a missing object, a refused state change).
func permanent(err error) bool {
	switch docket.ErrorCode(err) {
	case docket.EInvalid, docket.ENotFound, docket.EConflict:
		return true
	}
	return false
}
