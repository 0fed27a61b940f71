package screen

import "math/bits"

// Candidates counts the entries Search would score for q (for the benchmark's report).
func Candidates(ix *Index, q Query) int {
	hits := make(map[int32]uint32)
	for i, t := range q.name.toks {
		if len(t) < 2 || i >= 31 {
			continue
		}
		for _, k := range wordKeys(t, q.name.keys[i]) {
			for _, e := range ix.byKey[k] {
				hits[e] |= 1 << i
			}
		}
	}
	if len(q.name.toks) > 1 {
		for _, e := range ix.byKey["p:"+q.name.plain[:3]] {
			hits[e] |= 1 << 31
		}
	}
	need, c := min(2, significantWords(q.name)), 0
	for _, h := range hits {
		if bits.OnesCount32(h) >= need || h&(1<<31) != 0 {
			c++
		}
	}
	return c
}
