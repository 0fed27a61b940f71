package api

import (
	"net/http"
	"strconv"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// listWorkflowVersions serves GET /workflows/{id}/versions: the published versions,
// newest first, paged by version number (page[after]=3 lists 2 and 1).
func (s *Server) listWorkflowVersions(w http.ResponseWriter, r *http.Request) error {
	p, err := parseCursorPage(r, func(v string) bool { _, ok := docket.ParseVersion(v); return ok }, "a version number")
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListWorkflowVersions(r.Context(), r.PathValue("id"), p)
	if err != nil {
		return err
	}
	data, cursors := make([]any, len(list)), make([]string, len(list))
	for i, v := range list {
		data[i], cursors[i] = jsonapi.WorkflowVersion(v), strconv.Itoa(v.Version)
	}
	writeJSON(w, r, http.StatusOK, listDoc(r, data, cursors, pr))
	return nil
}

// getWorkflowVersion serves GET /workflows/{id}/versions/{n}.
func (s *Server) getWorkflowVersion(w http.ResponseWriter, r *http.Request) error {
	n, ok := docket.ParseVersion(r.PathValue("n"))
	if !ok {
		return docket.Errorf(docket.ENotFound, "workflow %s has no version %q: versions are numbered from 1", r.PathValue("id"), r.PathValue("n"))
	}
	v, err := s.store.FindWorkflowVersion(r.Context(), r.PathValue("id"), n)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.WorkflowVersion(v)})
	return nil
}
