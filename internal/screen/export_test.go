package screen

// Candidates counts the entries Search would score for q (for the benchmark's report):
// Search with a threshold no entry reaches, counting the entries it scored.
func Candidates(ix *Index, q Query) int {
	n := 0
	ix.onScore = func() { n++ }
	defer func() { ix.onScore = nil }()
	ix.Search(q, 2)
	return n
}
