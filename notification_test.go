package docket

import (
	"slices"
	"testing"
)

func TestMentions(t *testing.T) {
	tests := []struct {
		body string
		want []string
	}{
		{"@ada@example.com please look", []string{"ada@example.com"}},
		{"cc @Ada@Example.com and @bob@example.org.", []string{"ada@example.com", "bob@example.org"}},
		{"twice @a@b.co @a@b.co", []string{"a@b.co"}},
		{"mail ada@example.com without at-sign", nil},
		{"(@x@y.io)", []string{"x@y.io"}},
		{"no mentions", nil},
	}
	for _, tt := range tests {
		if got := Mentions(tt.body); !slices.Equal(got, tt.want) {
			t.Errorf("Mentions(%q) = %v, want %v", tt.body, got, tt.want)
		}
	}
}
