package accesslog

import (
	"context"
	"net/http"
	"net/netip"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
)

// RequestIDHeader names the response header that carries the request id, which is also
// the id of the request's access log entry (the API has always sent it).
const RequestIDHeader = "Request-Id"

type ctxEntry struct{}

func entryFrom(ctx context.Context) *docket.AccessLogEntry {
	e, _ := ctx.Value(ctxEntry{}).(*docket.AccessLogEntry)
	return e
}

// SetPrincipal records who is making the request: its actor (Principal.Actor) and the
// person behind it. The API calls it once the key is authenticated, the dashboard once
// the session is loaded (or a sign-in succeeds). Outside Handler it does nothing.
func SetPrincipal(ctx context.Context, p docket.Principal) {
	e := entryFrom(ctx)
	if e == nil {
		return
	}
	a := p.Actor()
	e.Actor = &a
	if p.User != nil {
		e.UserID = p.User.ID
	}
}

// Matched records the route that serves r, taken from the pattern its ServeMux matched,
// and the Docket ids among its path values (the case of /cases/{id}). A path value that
// is not a well-formed id is left out: the raw path may hold anything a client typed,
// an email address too. Outside Handler it does nothing.
func Matched(r *http.Request) {
	e := entryFrom(r.Context())
	if e == nil || r.Pattern == "" {
		return
	}
	e.Route = routeOf(r.Pattern)
	e.ObjectIDs = e.ObjectIDs[:0]
	for _, name := range wildcards(e.Route) {
		v := r.PathValue(name)
		if p := docket.IDPrefix(v); p != "" && docket.ValidID(p, v) {
			e.ObjectIDs = append(e.ObjectIDs, v)
		}
	}
}

// routeOf returns the path part of a ServeMux pattern: "GET /cases/{id}" is
// "/cases/{id}" (the method is recorded on its own).
func routeOf(pattern string) string {
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return strings.TrimSpace(path)
	}
	return pattern
}

// wildcards returns the names of a route's wildcards: id and workflow for
// "/cases/{id}/actions/{workflow}".
func wildcards(route string) []string {
	var out []string
	for _, seg := range strings.Split(route, "/") {
		name, ok := strings.CutPrefix(seg, "{")
		if !ok {
			continue
		}
		name = strings.TrimSuffix(strings.TrimSuffix(name, "}"), "...")
		if name != "$" && name != "" {
			out = append(out, name)
		}
	}
	return out
}

// clientAddr is the client's address as auth.ClientIP finds it, honouring trusted
// proxies; the empty string when the peer address cannot be read.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	if a := auth.ClientIP(r, trusted); a.IsValid() {
		return a.String()
	}
	return ""
}

// statusWriter remembers the status code of the response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets streamed responses (NDJSON exports) through.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// code is the status sent; a handler that wrote nothing sent 200.
func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
