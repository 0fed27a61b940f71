package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
	"github.com/docket-hq/docket/internal/screen"
)

// Watch lists: administrators create a list (a name and its file format) and import
// its files, each import replacing the entries; anyone who may read templates sees
// the lists and their counts. The files travel as text in meta (meta.sdn, meta.alt and
// meta.add for OFAC's CSV files, meta.entries for the simple CSV or JSON), so they are
// bounded by the body limit (DOCKET_MAX_BODY_BYTES): for the full SDN list use
// `docket lists import` or raise the limit.

func (s *Server) listWatchlists(w http.ResponseWriter, r *http.Request) error {
	lists, err := s.store.ListWatchlists(r.Context())
	if err != nil {
		return err
	}
	data := make([]any, len(lists))
	for i, l := range lists {
		data[i] = jsonapi.Watchlist(l)
	}
	writeJSON(w, r, http.StatusOK, obj{"data": data})
	return nil
}

func (s *Server) createWatchlist(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys("name", "format"); err != nil {
		return err
	}
	l := &docket.Watchlist{}
	if l.Name, err = g.str("name"); err != nil {
		return err
	}
	if l.Format, err = g.str("format"); err != nil {
		return err
	}
	if err := s.store.CreateWatchlist(r.Context(), l); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Watchlist(l)})
	return nil
}

func (s *Server) getWatchlist(w http.ResponseWriter, r *http.Request) error {
	l, err := s.store.FindWatchlist(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Watchlist(l)})
	return nil
}

// importWatchlist serves POST /watchlists/{id}/import: the list's files in meta.
func (s *Server) importWatchlist(w http.ResponseWriter, r *http.Request) error {
	b, err := readMeta(r, screen.FileSDN, screen.FileALT, screen.FileADD, screen.FileEntries)
	if err != nil {
		return err
	}
	l, err := s.store.FindWatchlist(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	m := getter{b.meta, "/meta"}
	files := map[string]io.Reader{}
	for _, key := range []string{screen.FileSDN, screen.FileALT, screen.FileADD, screen.FileEntries} {
		v, ok := m.m[key]
		if !ok || v == nil {
			continue
		}
		// meta.entries may also be the JSON entries themselves rather than their text.
		if key == screen.FileEntries && l.Format == docket.WatchlistJSON {
			if _, isText := v.(string); !isText {
				raw, err := json.Marshal(v)
				if err != nil {
					return fmt.Errorf("re-encode entries: %w", err)
				}
				files[key] = bytes.NewReader(raw)
				continue
			}
		}
		text, err := m.str(key)
		if err != nil {
			return err
		}
		files[key] = strings.NewReader(text)
	}
	entries, err := screen.Parse(l.Format, files)
	if err != nil {
		return err
	}
	if l, err = s.store.ImportWatchlist(r.Context(), l.ID, entries, nil); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Watchlist(l)})
	return nil
}

func (s *Server) listReportTemplates(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.ListReportTemplates(r.Context())
	if err != nil {
		return err
	}
	data := make([]any, len(list))
	for i, t := range list {
		data[i] = jsonapi.ReportTemplate(t)
	}
	writeJSON(w, r, http.StatusOK, obj{"data": data})
	return nil
}

var reportTemplateAttrs = []string{"name", "report-type", "threshold", "watchlist-ids"}

func (s *Server) createReportTemplate(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if err := g.onlyKeys(reportTemplateAttrs...); err != nil {
		return err
	}
	t := &docket.ReportTemplate{}
	if t.Name, err = g.str("name"); err != nil {
		return err
	}
	if t.Type, err = g.str("report-type"); err != nil {
		return err
	}
	if err := g.into("threshold", &t.Threshold); err != nil {
		return err
	}
	if t.ListIDs, err = g.strList("watchlist-ids"); err != nil {
		return err
	}
	if err := s.store.CreateReportTemplate(r.Context(), t); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.ReportTemplate(t)})
	return nil
}

func (s *Server) getReportTemplate(w http.ResponseWriter, r *http.Request) error {
	t, err := s.store.FindReportTemplate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.ReportTemplate(t)})
	return nil
}

func (s *Server) updateReportTemplate(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	g := getter{b.attrs, "/data/attributes"}
	if g.has("report-type") {
		return invalidPointer(g.ptr("report-type"), "a report template's type cannot change")
	}
	if err := g.onlyKeys(reportTemplateAttrs...); err != nil {
		return err
	}
	var u docket.ReportTemplateUpdate
	if g.has("name") {
		name, err := g.str("name")
		if err != nil {
			return err
		}
		u.Name = &name
	}
	if g.has("threshold") {
		var th float64
		if err := g.into("threshold", &th); err != nil {
			return err
		}
		u.Threshold = &th
	}
	if g.has("watchlist-ids") {
		ids, err := g.strList("watchlist-ids")
		if err != nil {
			return err
		}
		u.ListIDs = &ids
	}
	t, err := s.store.UpdateReportTemplate(r.Context(), r.PathValue("id"), u)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.ReportTemplate(t)})
	return nil
}
