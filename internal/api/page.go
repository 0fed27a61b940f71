package api

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// parsePage reads page[size], page[after] and page[before]; cursors must be ids of the
// listed type. filters names the list's filters: any other filter[...] is refused (see
// checkListParams).
func parsePage(r *http.Request, prefix string, filters ...string) (docket.Page, error) {
	return parseCursorPage(r, func(v string) bool { return docket.ValidID(prefix, v) }, "the id of a "+prefix+" object", filters...)
}

// parseCursorPage is parsePage for a list whose cursors are not ids: valid says whether a
// cursor is one, and what describes it in the refusal ("a version number").
func parseCursorPage(r *http.Request, valid func(string) bool, what string, filters ...string) (docket.Page, error) {
	q := r.URL.Query()
	if err := checkListParams(q, filters); err != nil {
		return docket.Page{}, err
	}
	p := docket.Page{Size: docket.DefaultPageSize, After: q.Get("page[after]"), Before: q.Get("page[before]")}
	if v := q.Get("page[size]"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > docket.MaxPageSize {
			return p, badParam("page[size]", "page[size] must be a whole number from 1 to %d", docket.MaxPageSize)
		}
		p.Size = n
	}
	if p.After != "" && p.Before != "" {
		return p, badParam("page[before]", "use page[after] or page[before], not both")
	}
	for param, v := range map[string]string{"page[after]": p.After, "page[before]": p.Before} {
		if v != "" && !valid(v) {
			return p, badParam(param, "%s must be %s", param, what)
		}
	}
	return p, nil
}

// pageParams are the paging parameters every list takes.
var pageParams = []string{"page[size]", "page[after]", "page[before]"}

// checkListParams refuses filter[...] and page[...] parameters a list does not take, in
// any inflection, and a filter given twice (twice over, or in two inflections): an
// unknown or misspelt filter (filter[statuss]) would otherwise be ignored, and the whole
// list returned as if it matched.
func checkListParams(q url.Values, filters []string) error {
	seen := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(q)) {
		if strings.HasPrefix(k, "page[") && !slices.Contains(pageParams, k) {
			return badParam(k, "unknown paging parameter %s (lists take %s)", k, strings.Join(pageParams, ", "))
		}
		name, ok := strings.CutPrefix(k, "filter[")
		if !ok {
			continue
		}
		if name, ok = strings.CutSuffix(name, "]"); !ok || name == "" {
			return badParam(k, "%s is not a filter: filters are written filter[name]", k)
		}
		n := jsonapi.Kebab(name)
		switch {
		case !slices.Contains(filters, n) && len(filters) == 0:
			return badParam(k, "unknown filter %q: this list has no filters", name)
		case !slices.Contains(filters, n):
			return badParam(k, "unknown filter %q (this list filters by %s)", name, strings.Join(filters, ", "))
		case seen[n] != "":
			return badParam(k, "%s and %s are the same filter: send it once", seen[n], k)
		case len(q[k]) > 1:
			return badParam(k, "%s is given %d times: send it once", k, len(q[k]))
		}
		seen[n] = k
	}
	return nil
}

// listLinks builds links.next and links.prev, keeping the request's other parameters.
func listLinks(r *http.Request, firstID, lastID string, pr docket.PageResult) obj {
	link := func(param, id string) any {
		q := r.URL.Query()
		q.Del("page[after]")
		q.Del("page[before]")
		q.Set(param, id)
		return r.URL.Path + "?" + q.Encode()
	}
	links := obj{"next": nil, "prev": nil}
	if pr.HasNext && lastID != "" {
		links["next"] = link("page[after]", lastID)
	}
	if pr.HasPrev && firstID != "" {
		links["prev"] = link("page[before]", firstID)
	}
	return links
}

// listDoc renders a page of resources.
func listDoc(r *http.Request, data []any, ids []string, pr docket.PageResult) obj {
	first, last := "", ""
	if len(ids) > 0 {
		first, last = ids[0], ids[len(ids)-1]
	}
	return obj{"data": data, "links": listLinks(r, first, last, pr)}
}

// parseInclude reads ?include=a,b and refuses names outside allowed.
func parseInclude(r *http.Request, allowed ...string) (map[string]bool, error) {
	out := map[string]bool{}
	raw := r.URL.Query().Get("include")
	if raw == "" {
		return out, nil
	}
	for _, name := range strings.Split(raw, ",") {
		name = jsonapi.Kebab(strings.TrimSpace(name))
		if !slices.Contains(allowed, name) {
			return nil, badParam("include", "cannot include %q (one of %s)", name, strings.Join(allowed, ", "))
		}
		out[name] = true
	}
	return out, nil
}

// filterParam reads filter[name]; it accepts the name in any key inflection.
func filterParam(q url.Values, name string) string {
	for _, n := range []string{name, jsonapi.InflectKey(name, jsonapi.InflectSnake), jsonapi.InflectKey(name, jsonapi.InflectCamel)} {
		if v := q.Get("filter[" + n + "]"); v != "" {
			return v
		}
	}
	return ""
}

// filterID reads a filter that must hold an id with the given prefix.
func filterID(q url.Values, name, prefix string) (string, error) {
	v := filterParam(q, name)
	if v != "" && !docket.ValidID(prefix, v) {
		return "", badParam("filter["+name+"]", "filter[%s] must be an id starting with %s_", name, prefix)
	}
	return v, nil
}

// filterTime reads a filter that holds an RFC 3339 time.
func filterTime(q url.Values, name string) (*time.Time, error) {
	v := filterParam(q, name)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return nil, badParam("filter["+name+"]", "filter[%s] must be an RFC 3339 time like 2026-01-02T15:04:05Z", name)
	}
	return &t, nil
}

// listOf renders a page of items with render and adds the paging links.
func listOf[T any](r *http.Request, items []T, pr docket.PageResult, render func(T) obj) obj {
	data, ids := make([]any, len(items)), make([]string, len(items))
	for i, x := range items {
		res := render(x)
		data[i], ids[i] = res, res["id"].(string)
	}
	return listDoc(r, data, ids, pr)
}
