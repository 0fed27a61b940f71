package api

import (
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// listAccessLog serves GET /api-logs (source api) and GET /user-audit-logs (source
// dashboard): the access log, newest first, filtered by actor, object, time, method and
// route.
func (s *Server) listAccessLog(source string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := accessLogFilter(r, source)
		if err != nil {
			return err
		}
		list, pr, err := s.store.ListAccessLog(r.Context(), f)
		if err != nil {
			return err
		}
		writeJSON(w, r, http.StatusOK, listOf(r, list, pr, jsonapi.AccessLogEntry))
		return nil
	}
}

// accessLogFilter reads the access log list's parameters.
func accessLogFilter(r *http.Request, source string) (docket.AccessLogFilter, error) {
	p, err := parsePage(r, docket.PrefixRequest, "actor-id", "object-id", "created-at-start", "created-at-end", "method", "route")
	if err != nil {
		return docket.AccessLogFilter{}, err
	}
	q := r.URL.Query()
	f := docket.AccessLogFilter{Source: source, Page: p, ActorID: filterParam(q, "actor-id"),
		ObjectID: filterParam(q, "object-id"), Method: strings.ToUpper(filterParam(q, "method")), Route: filterParam(q, "route")}
	if f.CreatedAtStart, err = filterTime(q, "created-at-start"); err != nil {
		return f, err
	}
	if f.CreatedAtEnd, err = filterTime(q, "created-at-end"); err != nil {
		return f, err
	}
	if f.CreatedAtStart != nil && f.CreatedAtEnd != nil && !f.CreatedAtEnd.After(*f.CreatedAtStart) {
		return f, badParam("filter[created-at-end]", "filter[created-at-end] must be after filter[created-at-start]")
	}
	return f, nil
}
