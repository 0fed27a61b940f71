package ui

import (
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// diffLine is one line of a line diff: the same in both texts, deleted from the first or
// added in the second, with its number in each text it is in (0 where it is not).
type diffLine struct {
	Kind     string // "same", "del" or "add"
	Old, New int
	Text     string
}

// diffHunk is a run of changed lines with a few unchanged lines around it.
type diffHunk struct{ Lines []diffLine }

// diffContext is how many unchanged lines a hunk shows around its changes.
const diffContext = 3

// lineDiff compares two texts line by line (go-udiff, a port of the Go tools' Myers
// diff). Equal texts give no hunks.
func lineDiff(before, after string) []diffHunk {
	before, after = withNewline(before), withNewline(after)
	u, err := udiff.ToUnifiedDiff("before", "after", before, udiff.Lines(before, after), diffContext)
	if err != nil {
		// The edits come from the same texts, so this cannot happen; show the texts whole.
		return []diffHunk{wholeDiff(before, after)}
	}
	out := make([]diffHunk, 0, len(u.Hunks))
	for _, h := range u.Hunks {
		old, nu := h.FromLine, h.ToLine
		var dh diffHunk
		for _, l := range h.Lines {
			dl := diffLine{Text: strings.TrimSuffix(l.Content, "\n")}
			switch l.Kind {
			case udiff.Delete:
				dl.Kind, dl.Old = "del", old
				old++
			case udiff.Insert:
				dl.Kind, dl.New = "add", nu
				nu++
			default:
				dl.Kind, dl.Old, dl.New = "same", old, nu
				old, nu = old+1, nu+1
			}
			dh.Lines = append(dh.Lines, dl)
		}
		out = append(out, dh)
	}
	return out
}

// wholeDiff shows every line of before as deleted and every line of after as added.
func wholeDiff(before, after string) diffHunk {
	var h diffHunk
	for i, l := range strings.Split(strings.TrimSuffix(before, "\n"), "\n") {
		h.Lines = append(h.Lines, diffLine{Kind: "del", Old: i + 1, Text: l})
	}
	for i, l := range strings.Split(strings.TrimSuffix(after, "\n"), "\n") {
		h.Lines = append(h.Lines, diffLine{Kind: "add", New: i + 1, Text: l})
	}
	return h
}

func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}
