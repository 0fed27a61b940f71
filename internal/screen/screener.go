package screen

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/docket-hq/docket"
)

// Source is where a screener reads lists: the store.
type Source interface {
	ListWatchlists(ctx context.Context) ([]*docket.Watchlist, error)
	WatchlistEntries(ctx context.Context, id string) ([]docket.WatchlistEntry, error)
}

// Screener screens queries against the lists of a template. It keeps an index of each
// list in memory and rebuilds it when the list's version moves (an import in any
// process), checked before every screening: one small query for the versions.
type Screener struct {
	src Source
	mu  sync.Mutex
	ix  map[string]*Index
}

// NewScreener returns a screener over src.
func NewScreener(src Source) *Screener {
	return &Screener{src: src, ix: make(map[string]*Index)}
}

// indexes returns the current index of each list the template screens against (all
// lists when it names none).
func (s *Screener) indexes(ctx context.Context, t *docket.ReportTemplate) ([]*Index, error) {
	lists, err := s.src.ListWatchlists(ctx)
	if err != nil {
		return nil, err
	}
	// One build at a time: a burst of screenings after an import builds the index once.
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*Index
	for _, l := range lists {
		if len(t.ListIDs) > 0 && !slices.Contains(t.ListIDs, l.ID) {
			continue
		}
		ix := s.ix[l.ID]
		if ix == nil || ix.Version != l.Version {
			entries, err := s.src.WatchlistEntries(ctx, l.ID)
			if err != nil {
				return nil, err
			}
			ix = NewIndex(l, entries)
			s.ix[l.ID] = ix
		}
		out = append(out, ix)
	}
	return out, nil
}

// Screen returns the entries of the template's lists that q matches at the template's
// threshold, best first.
func (s *Screener) Screen(ctx context.Context, t *docket.ReportTemplate, q docket.ScreeningQuery) ([]docket.ScreeningMatch, []*Index, error) {
	ixs, err := s.indexes(ctx, t)
	if err != nil {
		return nil, nil, fmt.Errorf("screen: %w", err)
	}
	nq := NewQuery(q)
	var out []docket.ScreeningMatch
	for _, ix := range ixs {
		out = append(out, ix.Search(nq, t.Threshold)...)
	}
	slices.SortStableFunc(out, func(a, b docket.ScreeningMatch) int { return cmp.Compare(b.Score, a.Score) })
	return out, ixs, nil
}

// Report screens q and returns base made into the finished report: ready, matched if
// anything matched, its result holding the query, the lists and their versions, and the
// matches with their entries and scores (docs/decisions.md shows the layout).
func (s *Screener) Report(ctx context.Context, t *docket.ReportTemplate, q docket.ScreeningQuery, base docket.NewReport) (docket.NewReport, error) {
	matches, ixs, err := s.Screen(ctx, t, q)
	if err != nil {
		return base, err
	}
	type list struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Version int    `json:"version"`
	}
	lists := make([]list, len(ixs))
	for i, ix := range ixs {
		lists[i] = list{ix.ListID, ix.ListName, ix.Version}
	}
	keys := make([]string, len(matches))
	for i, m := range matches {
		keys[i] = MatchKey(m.ListID, m.Entry.UID)
	}
	if matches == nil {
		matches = []docket.ScreeningMatch{}
	}
	result, err := toMap(map[string]any{"query": q, "threshold": t.Threshold, "watchlists": lists,
		"matches": matches, "match-keys": keys})
	if err != nil {
		return base, err
	}
	base.Type, base.Status, base.Matched, base.Result, base.TemplateID = t.Type, docket.ReportReady, len(matches) > 0, result, &t.ID
	return base, nil
}

// MatchKey names a matched entry across versions of its list.
func MatchKey(listID, uid string) string { return listID + "/" + uid }

// toMap gives a result the shape it has when read back from the store (numbers as
// json.Number), so that the events written now and the report read later agree.
func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode screening result: %w", err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out map[string]any
	if err := d.Decode(&out); err != nil {
		return nil, fmt.Errorf("encode screening result: %w", err)
	}
	return out, nil
}

// matchKeys reads a screening report's matched entries back from its result.
func matchKeys(r *docket.Report) []string {
	raw, _ := r.Result["match-keys"].([]any)
	out := make([]string, 0, len(raw))
	for _, k := range raw {
		if s, ok := k.(string); ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
