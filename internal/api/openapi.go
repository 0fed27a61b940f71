package api

import (
	"net/http"

	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/api/openapi"
)

// openAPIDocument serves the OpenAPI 3.1 description of the API (internal/api/openapi).
func (s *Server) openAPIDocument(w http.ResponseWriter, r *http.Request) {
	accesslog.Matched(r)
	b, err := openapi.JSON()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

// referenceCSP allows the page's own stylesheet and nothing else: the page has no script.
const referenceCSP = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// apiReference serves the reference page rendered from the document, so that a
// server without internet access still documents itself.
func (s *Server) apiReference(w http.ResponseWriter, r *http.Request) {
	accesslog.Matched(r)
	page, err := openapi.ReferenceHTML("/api/v1/docs/reference.css", "/api/v1/openapi.json")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", referenceCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(page)
}

func (s *Server) apiReferenceCSS(w http.ResponseWriter, r *http.Request) {
	accesslog.Matched(r)
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(openapi.ReferenceCSS)
}
