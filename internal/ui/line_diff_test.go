package ui

import (
	"fmt"
	"strings"
	"testing"
)

func TestLineDiff(t *testing.T) {
	t.Parallel()
	lines := func(n int, change map[int]string) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			if s, ok := change[i]; ok {
				if s != "" {
					b.WriteString(s + "\n")
				}
				continue
			}
			fmt.Fprintf(&b, "line %d\n", i)
		}
		return strings.TrimSuffix(b.String(), "\n")
	}
	show := func(hs []diffHunk) string {
		var b strings.Builder
		for _, h := range hs {
			b.WriteString("@@\n")
			for _, l := range h.Lines {
				fmt.Fprintf(&b, "%s %d %d %s\n", l.Kind, l.Old, l.New, l.Text)
			}
		}
		return b.String()
	}
	for _, tt := range []struct {
		name, before, after, want string
	}{
		{"equal", lines(5, nil), lines(5, nil), ""},
		{"one line changed", lines(10, nil), lines(10, map[int]string{5: "five"}),
			"@@\nsame 2 2 line 2\nsame 3 3 line 3\nsame 4 4 line 4\ndel 5 0 line 5\nadd 0 5 five\nsame 6 6 line 6\nsame 7 7 line 7\nsame 8 8 line 8\n"},
		{"line removed", lines(3, nil), lines(3, map[int]string{2: ""}), "@@\nsame 1 1 line 1\ndel 2 0 line 2\nsame 3 2 line 3\n"},
		{"two hunks", lines(20, nil), lines(20, map[int]string{2: "two", 19: "nineteen"}),
			"@@\nsame 1 1 line 1\ndel 2 0 line 2\nadd 0 2 two\nsame 3 3 line 3\nsame 4 4 line 4\nsame 5 5 line 5\n" +
				"@@\nsame 16 16 line 16\nsame 17 17 line 17\nsame 18 18 line 18\ndel 19 0 line 19\nadd 0 19 nineteen\nsame 20 20 line 20\n"},
		{"from nothing", "", "a\nb", "@@\nadd 0 1 a\nadd 0 2 b\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := show(lineDiff(tt.before, tt.after)); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
