package screen

import (
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// countryNames maps lower-case English country names to ISO 3166-1 alpha-2 codes, from
// CLDR's names (x/text) plus the forms the OFAC list writes ("Korea, North", "Burma").
var countryNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{
		"korea, north": "KP", "korea, south": "KR", "burma": "MM", "russia": "RU", "iran": "IR",
		"syria": "SY", "congo, democratic republic of the": "CD", "congo": "CG", "cote d'ivoire": "CI",
		"west bank": "PS", "gaza": "PS", "palestinian": "PS", "region: crimea": "UA", "crimea": "UA",
		"united states": "US", "usa": "US", "united kingdom": "GB", "uk": "GB", "bosnia and herzegovina": "BA",
		"venezuela": "VE", "laos": "LA", "vietnam": "VN", "turkey": "TR", "macedonia": "MK",
	}
	names := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || !r.IsCountry() || r.String() != code || r.Canonicalize().String() != code {
				continue
			}
			if n := strings.ToLower(names.Name(r)); n != "" {
				if _, ok := m[n]; !ok {
					m[n] = code
				}
			}
		}
	}
	return m
})

// CountryCode returns the alpha-2 code for a code or an English country name, or ""
// when it knows none.
func CountryCode(s string) string {
	s = strings.TrimSpace(s)
	if len(s) == 2 {
		if r, err := language.ParseRegion(s); err == nil && r.IsCountry() {
			return r.String()
		}
	}
	return countryNames()[strings.ToLower(s)]
}

// CountryCodes maps a list's countries to codes, keeping the ones it does not know as
// written (they then agree with no query, which costs a little, never a match).
func CountryCodes(list []string) []string {
	out := make([]string, 0, len(list))
	for _, c := range list {
		if code := CountryCode(c); code != "" {
			out = append(out, code)
		} else if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}
