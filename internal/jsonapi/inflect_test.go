package jsonapi

import "testing"

// Every kebab-case key comes back as itself from the camel and snake forms a client
// may send or read, numbered keys (address-street-1) included.
func TestKebabUndoesInflection(t *testing.T) {
	for _, key := range []string{"address-street-1", "address-street-2", "name-first", "reference-id",
		"identification-numbers", "page", "social-security-number"} {
		for _, style := range []string{InflectCamel, InflectSnake, InflectKebab} {
			if got := Kebab(InflectKey(key, style)); got != key {
				t.Errorf("Kebab(InflectKey(%q, %s)) = %q", key, style, got)
			}
		}
	}
}
