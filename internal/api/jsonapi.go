package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// obj is a JSON object under construction. Responses are built as plain maps so that
// key inflection can rewrite them without reflection.
type obj = map[string]any

// writeJSON writes a document in the key style the request asked for.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, doc obj) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(jsonapi.InflectKeys(doc, inflection(r)))
}

func inflection(r *http.Request) string {
	if v, ok := r.Context().Value(ctxInflection).(string); ok {
		return v
	}
	return jsonapi.InflectKebab
}

var errorTitles = map[int]string{
	http.StatusBadRequest:            "Bad Request",
	http.StatusUnauthorized:          "Must be authenticated to access this endpoint",
	http.StatusForbidden:             "Forbidden",
	http.StatusNotFound:              "Record not found",
	http.StatusConflict:              "Conflict",
	http.StatusRequestEntityTooLarge: "Payload too large",
	http.StatusUnprocessableEntity:   "Unprocessable entity",
	http.StatusTooManyRequests:       "Rate limit exceeded",
	http.StatusInternalServerError:   "Internal server error",
	http.StatusMethodNotAllowed:      "Method not allowed",
	http.StatusServiceUnavailable:    "Service unavailable",
}

var errorStatus = map[string]int{
	docket.EBadRequest:   http.StatusBadRequest,
	docket.EUnauthorized: http.StatusUnauthorized,
	docket.EForbidden:    http.StatusForbidden,
	docket.ENotFound:     http.StatusNotFound,
	docket.EConflict:     http.StatusConflict,
	docket.ETooLarge:     http.StatusRequestEntityTooLarge,
	docket.EInvalid:      http.StatusUnprocessableEntity,
	docket.ERateLimited:  http.StatusTooManyRequests,
	docket.EUnavailable:  http.StatusServiceUnavailable,
}

// writeError renders err as a JSON:API error. Errors users may not see are logged once
// here, with the request id, and shown as a bare 500. An error about a domain field points
// where this endpoint carries that input (see placements).
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var e *docket.Error
	if !errors.As(err, &e) {
		log.ErrorContext(r.Context(), "request failed", "request_id", w.Header().Get("Request-Id"),
			"method", r.Method, "path", r.URL.Path, "error", err)
		e = &docket.Error{Code: "internal", Message: "something went wrong; the request id identifies it in the logs"}
	}
	status, ok := errorStatus[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	item := obj{"title": errorTitles[status], "details": e.Message, "status": status}
	if e.Pointer != "" {
		item["source"] = obj{"pointer": e.Pointer}
	} else if p := fieldPointer(r, e.Field); p != "" {
		item["source"] = obj{"pointer": p}
	} else if e.Parameter != "" {
		item["source"] = obj{"parameter": e.Parameter}
	}
	writeJSON(w, r, status, obj{"errors": []any{item}})
}

func badRequest(format string, args ...any) *docket.Error {
	return docket.Errorf(docket.EBadRequest, format, args...)
}

func badParam(param, format string, args ...any) *docket.Error {
	e := docket.Errorf(docket.EBadRequest, format, args...)
	e.Parameter = param
	return e
}

// badPointer and invalidPointer report a mistake in the request document itself (400 for
// its shape, 422 for a value the API refuses before the domain sees it) at a JSON
// pointer; the domain's own errors name fields instead.
func badPointer(pointer, format string, args ...any) *docket.Error {
	e := docket.Errorf(docket.EBadRequest, format, args...)
	e.Pointer = pointer
	return e
}

func invalidPointer(pointer, format string, args ...any) *docket.Error {
	e := docket.Errorf(docket.EInvalid, format, args...)
	e.Pointer = pointer
	return e
}
