package screen

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"

	edlib "github.com/hbollon/go-edlib"
)

// name is a normalised name: its tokens and their phonetic keys, computed once.
// surname marks the words before a comma ("PUTIN, Vladimir"), as lists write people.
// ids are the words' numbers in an index's vocabulary (for remembering similarities),
// sorted and plain the words run together.
type name struct {
	raw     string
	toks    []string
	keys    []string
	ids     []int32
	surname uint64
	sorted  string
	plain   string
}

// maxTokens bounds the words of a name that are scored (pairing keeps a bit per word).
const maxTokens = 16

func newName(raw string) name {
	toks := Tokens(raw)
	if len(toks) > maxTokens {
		toks = toks[:maxTokens]
	}
	keys := make([]string, len(toks))
	for i, t := range toks {
		keys[i] = PhoneticKey(t)
	}
	n := name{raw: raw, toks: toks, keys: keys, sorted: joined(toks, true), plain: joined(toks, false)}
	if last, _, ok := strings.Cut(raw, ","); ok {
		for i := range min(len(Tokens(last)), len(toks)) {
			n.surname |= 1 << i
		}
	}
	return n
}

// Scoring weights. They were set on testdata/name_pairs.csv (docs/benchmarks.md).
const (
	// queryWeight is the share of the score that says how much of the query the entry
	// covers; the rest says how much of the entry the query covers, so that a listed
	// patronymic or second given name the query lacks costs a little, not the match.
	queryWeight = 0.8
	// initialSim is what an initial scores against a word it starts ("J" ~ "John").
	initialSim = 0.9
	// phoneticSim is the least that two words with the same phonetic key score, so that
	// "Mohammed" ~ "Muhammad" counts as the same name written twice.
	phoneticSim = 0.92
	// weakToken is the similarity under which a paired word counts as not matched: a
	// Jaro-Winkler of 0.7 between two different names is common.
	weakToken = 0.85
	// lengthPenalty is taken from a word pair's similarity for each letter of length
	// they differ by beyond one.
	lengthPenalty = 0.04
	// surnameCap is the most a name scores when none of the entry's surname words is
	// matched: "Abu Bakr" is not "AL-BAGHDADI, Abu Bakr".
	surnameCap = 0.8
	// strongToken is the similarity a surname word must reach to count as matched.
	strongToken = 0.88
)

// minorWords are particles, titles and company forms: they count as one letter, so that
// having or lacking them moves a score little ("Mullah Mohammad Omar", "al-Assad", "Co").
var minorWords = map[string]bool{
	"al": true, "el": true, "bin": true, "ibn": true, "bint": true, "ben": true, "de": true, "del": true,
	"da": true, "di": true, "la": true, "le": true, "van": true, "von": true, "der": true, "den": true,
	"mullah": true, "seyed": true, "sayed": true, "sayyid": true, "sheikh": true, "shaykh": true, "haji": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "the": true, "of": true, "and": true,
	"co": true, "company": true, "ltd": true, "limited": true, "inc": true, "llc": true, "sa": true,
	"oao": true, "ooo": true, "pjsc": true, "ojsc": true, "jsc": true, "gmbh": true, "ag": true, "corp": true,
}

// tokenSim scores two normalised words 0..1.
func tokenSim(a, b, ka, kb string) float64 {
	if a == b {
		return 1
	}
	if len(a) == 1 || len(b) == 1 {
		if a[0] == b[0] {
			return initialSim
		}
		return 0
	}
	s := float64(edlib.JaroWinklerSimilarity(a, b))
	// Jaro-Winkler rewards a shared prefix: "smith" ~ "smithson" would score 0.93. Words
	// of different lengths are different names more often than typos of one.
	if d := abs(len(a)-len(b)) - 1; d > 0 {
		s -= lengthPenalty * float64(d)
	}
	if ka == kb && len(ka) >= 3 && s < phoneticSim {
		s = phoneticSim
	}
	if s < weakToken {
		return 0
	}
	return s
}

// memo remembers, for one query, the similarity of its i-th word to a vocabulary word
// (key i<<32 | id): list entries share many words.
type memo map[uint64]float64

func (m memo) sim(q, e name, i, j int) float64 {
	if m == nil || e.ids == nil {
		return tokenSim(q.toks[i], e.toks[j], q.keys[i], e.keys[j])
	}
	k := uint64(i)<<32 | uint64(uint32(e.ids[j]))
	if s, ok := m[k]; ok {
		return s
	}
	s := tokenSim(q.toks[i], e.toks[j], q.keys[i], e.keys[j])
	m[k] = s
	return s
}

func weight(tok string) float64 {
	if len(tok) == 1 || minorWords[tok] {
		return 1
	}
	return float64(len(tok))
}

// nameScore scores query name q against entry name e 0..1, whatever the order of their
// words: each query word is paired with at most one entry word, best pairs first.
func nameScore(q, e name, m memo) float64 {
	if len(q.toks) == 0 || len(e.toks) == 0 {
		return 0
	}
	type pair struct {
		i, j int
		s    float64
	}
	pairs := make([]pair, 0, len(q.toks)*len(e.toks))
	for i := range q.toks {
		for j := range e.toks {
			if s := m.sim(q, e, i, j); s > 0 {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(b.s, a.s) })
	var usedQ, usedE uint64
	var qGot, eGot, eMatched float64
	surnameMet := e.surname == 0 || len(q.toks) == 1
	for _, p := range pairs {
		if usedQ&(1<<p.i) != 0 || usedE&(1<<p.j) != 0 {
			continue
		}
		usedQ, usedE = usedQ|1<<p.i, usedE|1<<p.j
		qGot += p.s * weight(q.toks[p.i])
		eGot += p.s * weight(e.toks[p.j])
		eMatched += weight(e.toks[p.j])
		if e.surname&(1<<p.j) != 0 && p.s >= strongToken && !minorWords[e.toks[p.j]] {
			surnameMet = true
		}
	}
	// The entry's words the query lacks (a patronymic, a second given name) count half:
	// lists carry full names, customers the names they use.
	eTotal := eMatched + (totalWeight(e.toks)-eMatched)/2
	score := queryWeight*qGot/totalWeight(q.toks) + (1-queryWeight)*eGot/eTotal
	// One word against a full name is too little to call a match on, and so is a name
	// that leaves out the listed surname.
	if (len(q.toks) == 1 && len(e.toks) > 1) || !surnameMet {
		score = min(score, surnameCap)
	}
	// Names written as one word or two ("Abdulrahman", "Abdul Rahman").
	if len(q.toks) != len(e.toks) && abs(len(q.plain)-len(e.plain)) <= 2 {
		j := max(jw(q.sorted, e.sorted), jw(q.plain, e.plain))
		if j >= 0.95 {
			score = max(score, j*0.97)
		}
	}
	return score
}

func jw(a, b string) float64 { return float64(edlib.JaroWinklerSimilarity(a, b)) }

func totalWeight(toks []string) float64 {
	var w float64
	for _, t := range toks {
		w += weight(t)
	}
	return w
}

// joined runs a name's words together, sorted or as written.
func joined(toks []string, sorted bool) string {
	if sorted {
		toks = slices.Clone(toks)
		slices.Sort(toks)
	}
	return strings.Join(toks, "")
}

// Birth-year and country agreement move a name's score: the same year of birth makes
// a match likelier, a different one much less likely (the commonest false positive is a
// namesake); a different country less so (people move, lists name several).
const (
	sameYear      = 0.05
	nearYear      = 0.02
	otherYear     = -0.2
	sameCountry   = 0.03
	otherCountry  = -0.05
	maxMatchScore = 1.0
)

var yearRE = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)

// years returns the years found in birth dates ("1952-10-07", "circa 1960", "1958 to 1962").
func years(dates []string) []int {
	var out []int
	for _, d := range dates {
		for _, m := range yearRE.FindAllString(d, -1) {
			y, _ := strconv.Atoi(m)
			out = append(out, y)
		}
	}
	return out
}

// adjust applies the birth-year and country agreement to a name score.
func adjust(score float64, qYear int, qCountry string, eYears []int, eCountries []string) float64 {
	if qYear != 0 && len(eYears) > 0 {
		best := 1 << 30
		for _, y := range eYears {
			best = min(best, abs(y-qYear))
		}
		switch {
		case best == 0:
			score += sameYear
		case best == 1:
			score += nearYear
		default:
			score += otherYear
		}
	}
	if qCountry != "" && len(eCountries) > 0 {
		if slices.Contains(eCountries, qCountry) {
			score += sameCountry
		} else {
			score += otherCountry
		}
	}
	return max(0, min(maxMatchScore, score))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
