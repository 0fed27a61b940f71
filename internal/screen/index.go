package screen

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"

	"github.com/docket-hq/docket"
)

// Index holds one list's entries, normalised once, and the entries each token key
// leads to, so that a query scores only the entries that share a word's phonetic key or
// its first three letters with it, not the whole list.
type Index struct {
	ListID   string
	ListName string
	Version  int
	entries  []indexed
	byKey    map[string][]int32
	vocab    map[string]int32
	// onScore, if set, is called for each entry scored (tests count candidates).
	onScore func()
}

type indexed struct {
	entry     docket.WatchlistEntry
	names     []name // the entry's name, then its aliases
	years     []int
	countries []string
}

// NewIndex indexes a list's entries.
func NewIndex(l *docket.Watchlist, entries []docket.WatchlistEntry) *Index {
	ix := &Index{ListID: l.ID, ListName: l.Name, Version: l.Version, byKey: make(map[string][]int32), vocab: make(map[string]int32)}
	ix.entries = make([]indexed, len(entries))
	for i, e := range entries {
		x := indexed{entry: e, years: years(e.BirthDates), countries: CountryCodes(e.Countries)}
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			nm := newName(n)
			if len(nm.toks) == 0 {
				continue
			}
			nm.ids = make([]int32, len(nm.toks))
			for j, t := range nm.toks {
				id, ok := ix.vocab[t]
				if !ok {
					id = int32(len(ix.vocab))
					ix.vocab[t] = id
				}
				nm.ids[j] = id
			}
			x.names = append(x.names, nm)
			for _, k := range tokenKeys(nm) {
				ids := ix.byKey[k]
				if len(ids) == 0 || ids[len(ids)-1] != int32(i) {
					ix.byKey[k] = append(ids, int32(i))
				}
			}
		}
		ix.entries[i] = x
	}
	return ix
}

// Len is the number of entries.
func (ix *Index) Len() int { return len(ix.entries) }

// tokenKeys are the keys a name is found by: each word's phonetic key and first three
// letters (initials find nothing by themselves), and, for names written as one word or
// two ("Abdulrahman", "Abdul Rahman"), each word and each pair of adjacent words run
// together.
func tokenKeys(n name) []string {
	keys := make([]string, 0, 4*len(n.toks))
	for i, t := range n.toks {
		if len(t) < 2 {
			continue
		}
		keys = append(keys, wordKeys(t, n.keys[i])...)
		keys = append(keys, "s:"+t)
		if i+1 < len(n.toks) {
			keys = append(keys, "j:"+t+n.toks[i+1])
		}
	}
	return keys
}

// wordKeys are one word's keys: its phonetic key and its first three letters.
func wordKeys(tok, key string) []string {
	return []string{"k:" + key, "p:" + tok[:min(3, len(tok))]}
}

// Query is a normalised screening query.
type Query struct {
	name    name
	year    int
	country string
}

// NewQuery normalises a report's query.
func NewQuery(q docket.ScreeningQuery) Query {
	out := Query{name: newName(q.FullName()), country: strings.ToUpper(q.Country)}
	if ys := years([]string{q.Birthdate}); len(ys) > 0 {
		out.year = ys[0]
	}
	return out
}

// Search returns the entries scoring at least threshold, best first. Only the entries
// that share keys with enough of the query's words are scored: with two words or more,
// an entry must share keys with two of them, since one matched word cannot make a match
// (see nameScore).
func (ix *Index) Search(q Query, threshold float64) []docket.ScreeningMatch {
	// hits marks, per entry, the query words it shares a key with; touched lists the
	// entries marked, so that the dense marks need no clearing or map.
	hits := make([]uint32, len(ix.entries))
	var touched []int32
	mark := func(k string, bit uint32) {
		for _, e := range ix.byKey[k] {
			if hits[e] == 0 {
				touched = append(touched, e)
			}
			hits[e] |= bit
		}
	}
	for i, t := range q.name.toks {
		if len(t) < 2 || i >= 30 {
			continue
		}
		for _, k := range wordKeys(t, q.name.keys[i]) {
			mark(k, 1<<i)
		}
		// A word listed as two ("Abdulrahman" for "Abdul Rahman"), or two listed as
		// one, counts as two words.
		mark("j:"+t, 1<<i|1<<31)
		if i+1 < len(q.name.toks) {
			mark("s:"+t+q.name.toks[i+1], 1<<i|1<<(i+1))
		}
	}
	need := min(2, significantWords(q.name))
	m := make(memo)
	var out []docket.ScreeningMatch
	for _, e := range touched {
		if h := hits[e]; bits.OnesCount32(h) < need {
			continue
		}
		if ix.onScore != nil {
			ix.onScore()
		}
		if m, ok := ix.score(q, &ix.entries[e], threshold, m); ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b docket.ScreeningMatch) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Entry.UID, b.Entry.UID))
	})
	return out
}

// significantWords counts the words of a name that are more than an initial or a particle.
func significantWords(n name) int {
	c := 0
	for _, t := range n.toks {
		if len(t) > 1 && !minorWords[t] {
			c++
		}
	}
	return max(c, 1)
}

func (ix *Index) score(q Query, e *indexed, threshold float64, m memo) (docket.ScreeningMatch, bool) {
	best, bestName := 0.0, ""
	for _, n := range e.names {
		if s := nameScore(q.name, n, m); s > best {
			best, bestName = s, n.raw
		}
	}
	// A name far below the threshold is not lifted over it by a birth year.
	if best < threshold-sameYear-sameCountry {
		return docket.ScreeningMatch{}, false
	}
	s := adjust(best, q.year, q.country, e.years, e.countries)
	if s < threshold {
		return docket.ScreeningMatch{}, false
	}
	return docket.ScreeningMatch{ListID: ix.ListID, ListName: ix.ListName, Entry: e.entry, MatchedName: bestName,
		Score: float64(int(s*1000+0.5)) / 1000}, true
}

// Score scores a query against one entry (for the labelled pairs and tests).
func Score(q docket.ScreeningQuery, e docket.WatchlistEntry) float64 {
	ix := NewIndex(&docket.Watchlist{}, []docket.WatchlistEntry{e})
	if len(ix.entries) == 0 {
		return 0
	}
	m, ok := ix.score(NewQuery(q), &ix.entries[0], 0, nil)
	if !ok {
		return 0
	}
	return m.Score
}
