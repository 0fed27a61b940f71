package docket

import (
	"strings"
	"unicode"
)

// This file holds what free-text search treats as a word, in one place for both stores:
// Docket splits and lower-cases the text itself, so that SQLite's FTS5 and PostgreSQL's
// full-text search index and match exactly the same words (docs/decisions.md "Search").

// MaxSearchTextWords bounds the words of one free-text search: each is a prefix lookup.
const MaxSearchTextWords = 16

// MaxSearchWordLength bounds an indexed word, in bytes: longer runs of letters (a pasted
// hash, an encoded blob) are cut, which keeps any word's prefix findable.
const MaxSearchWordLength = 64

// SearchWords splits text into lower-case words: runs of letters and digits. "KYC-12,
// ada@example.com" is kyc 12 ada example com.
func SearchWords(text string) []string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		if len(w) > MaxSearchWordLength {
			words[i] = cutRunes(w, MaxSearchWordLength)
		}
	}
	return words
}

// cutRunes cuts s to at most n bytes without splitting a character.
func cutRunes(s string, n int) string {
	end := 0
	for i := range s {
		if i > n {
			break
		}
		end = i
	}
	return s[:end]
}

// ParseSearchText checks the text of a free-text search and returns its words; field is
// the text's path (see Error).
func ParseSearchText(text, field string) ([]string, error) {
	words := SearchWords(text)
	if len(words) > MaxSearchTextWords {
		return nil, Invalid(field, "a text search takes at most %d words", MaxSearchTextWords)
	}
	return words, nil
}
