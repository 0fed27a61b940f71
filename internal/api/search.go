package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// parseSearch reads a POST /cases/search body:
// {"query": {...}, "text": "ada lovelace", "sort": "-created-at", "page": {"size": 10, "after": "case_..."}}.
// A search with text is ordered by rank (best match first) unless it names a sort.
func parseSearch(raw obj, now time.Time) (docket.SearchQuery, error) {
	q := docket.SearchQuery{Sort: docket.SearchSort{Desc: true}, Page: docket.Page{Size: docket.DefaultPageSize}}
	for k := range raw {
		if k != "query" && k != "text" && k != "sort" && k != "page" {
			return q, badPointer("/"+k, "unexpected key %q: a search takes query, text, sort and page", k)
		}
	}
	if v, ok := raw["query"]; ok && v != nil {
		p, err := docket.ParsePredicate(v, now, "query")
		if err != nil {
			return q, err
		}
		q.Where = p
	}
	if err := parseSearchText(raw, &q); err != nil {
		return q, err
	}
	if v, ok := raw["sort"]; ok && v != nil {
		s, ok := v.(string)
		attr := strings.TrimPrefix(s, "-")
		switch {
		case ok && s == docket.SearchSortRank && q.Text != "":
			q.Sort = docket.SearchSort{Attribute: s}
		case !ok || (attr != "created-at" && attr != "updated-at"):
			return q, badPointer("/sort", `sort must be "created-at" or "updated-at", with a leading - for newest first, or "rank" with a text`)
		default:
			q.Sort = docket.SearchSort{Attribute: attr, Desc: strings.HasPrefix(s, "-")}
		}
	}
	if v, ok := raw["page"]; ok && v != nil {
		pm, ok := v.(obj)
		if !ok {
			return q, badPointer("/page", "page must be an object")
		}
		g := getter{pm, "/page"}
		if err := g.onlyKeys("size", "after"); err != nil {
			return q, err
		}
		size, err := g.int64Ptr("size")
		if err != nil {
			return q, err
		}
		if size != nil {
			if *size < 1 || *size > docket.MaxPageSize {
				return q, badPointer("/page/size", "page.size must be from 1 to %d", docket.MaxPageSize)
			}
			q.Page.Size = int(*size)
		}
		if q.Page.After, err = g.str("after"); err != nil {
			return q, err
		}
		if q.Page.After != "" && !docket.ValidID(docket.PrefixCase, q.Page.After) {
			return q, badPointer("/page/after", "page.after must be a case id")
		}
	}
	return q, nil
}

// parseSearchText reads a search's free text; a text search is in rank order until a
// sort says otherwise.
func parseSearchText(raw obj, q *docket.SearchQuery) error {
	v, ok := raw["text"]
	if !ok || v == nil {
		return nil
	}
	text, ok := v.(string)
	if !ok || len(text) > docket.MaxCaseQueryLength {
		return badPointer("/text", "text must be a string of at most %d characters", docket.MaxCaseQueryLength)
	}
	if _, err := docket.ParseSearchText(text, "text"); err != nil {
		return err
	}
	if q.Text = strings.TrimSpace(text); q.Text != "" {
		q.Sort = docket.SearchSort{Attribute: docket.SearchSortRank}
	}
	return nil
}

func (s *Server) searchCases(w http.ResponseWriter, r *http.Request) error {
	q, err := parseSearch(readJSON(r), time.Now())
	if err != nil {
		return err
	}
	if q.Visibility, err = s.visibility(r); err != nil {
		return err
	}
	unindexed, err := s.store.UnindexedSearchAttributes(r.Context(), q.Where)
	if err != nil {
		return err
	}
	cases, pr, err := s.store.SearchCases(r.Context(), q)
	if err != nil {
		return err
	}
	data, ids := make([]any, len(cases)), make([]string, len(cases))
	for i, c := range cases {
		data[i], ids[i] = jsonapi.Case(c), c.ID
	}
	// A search is a POST, so the next page is asked for with page.after, not a link.
	var next any
	if pr.HasNext && len(ids) > 0 {
		next = ids[len(ids)-1]
	}
	// not-indexed names the attributes no index serves: the search read every case.
	meta := obj{"next-page-after": next}
	if len(unindexed) > 0 {
		slices.Sort(unindexed)
		meta["not-indexed"] = unindexed
	}
	doc := obj{"data": data, "meta": meta}
	writeJSON(w, r, http.StatusOK, doc)
	return nil
}
