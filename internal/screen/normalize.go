// Package screen matches names against watch lists: it normalises names (case,
// diacritics, Cyrillic and Greek letters, punctuation), scores a query against a list
// entry (Jaro-Winkler on tokens, paired one to one whatever their order, with initials,
// a phonetic key for transliteration variants, and birth-year and country agreement),
// and indexes a list by token keys so that a query scores only the entries that share a
// key with it. It also reads the list files Docket imports (OFAC's SDN CSV files and
// Docket's simple CSV or JSON), and re-screens accounts when a list changes.
package screen

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// stripMarks decomposes letters and drops the combining marks: "Müller" → "Muller",
// "Ørsted" is left to the letter table below (Ø does not decompose).
var stripMarks = transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// letters transliterates letters that do not decompose to ASCII, and Cyrillic and Greek
// letters, as name lists romanise them (BGN/PCGN-like: "Путин" → "putin").
var letters = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z",
	'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
	'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh",
	'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya", 'і': "i", 'ї': "yi",
	'є': "ye", 'ґ': "g",
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th", 'ι': "i",
	'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p", 'ρ': "r", 'σ': "s",
	'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps", 'ω': "o",
}

// Tokens returns the normalised words of a name: lower case ASCII where a transliteration
// is known, without diacritics or punctuation. Apostrophes join ("O'Brien" → "obrien");
// hyphens, dots and commas separate ("al-Assad" → "al", "assad").
func Tokens(name string) []string {
	s, _, err := transform.String(stripMarks, strings.ToLower(name))
	if err != nil {
		s = strings.ToLower(name)
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '`' || r == 'ʼ':
			// dropped: joins the word
		case letters[r] != "" || r == 'ъ' || r == 'ь':
			b.WriteString(letters[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Fields(b.String())
}

// PhoneticKey reduces a normalised token to a consonant skeleton, so that common
// transliteration variants share it: "mohammed", "muhammad" and "mohamad" → "mmd";
// "qaddafi" and "kadhafi" → "kdf"; "yusuf" and "youssef" → "asf". Vowels and h after
// the first letter go, letters that romanisations swap map to one, and doubled letters
// collapse.
func PhoneticKey(tok string) string {
	if tok == "" {
		return ""
	}
	// Digraphs first: they stand for one sound in most romanisations.
	for _, d := range [][2]string{{"sch", "s"}, {"sh", "s"}, {"ch", "k"}, {"kh", "k"}, {"ph", "f"},
		{"th", "t"}, {"dh", "d"}, {"gh", "g"}, {"ck", "k"}, {"ou", "u"}, {"ee", "i"}, {"oo", "u"}} {
		tok = strings.ReplaceAll(tok, d[0], d[1])
	}
	var b strings.Builder
	var last byte
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch c {
		case 'q', 'c':
			c = 'k'
		case 'z':
			c = 's'
		case 'w':
			c = 'v'
		case 'j':
			c = 'y'
		case 'h':
			if i > 0 {
				continue // a silent or aspirate h inside a word
			}
		}
		if isVowel(c) {
			if i > 0 {
				last = c // a vowel parts consonants: "mm" in "mohammed" is one, "m-m" in "mumm" two
				continue
			}
			c = 'a' // a word starting with any vowel keeps one mark of it
		}
		if c == last {
			continue
		}
		b.WriteByte(c)
		last = c
	}
	return b.String()
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}
