package screen_test

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/screen"
)

// FuzzParse feeds list files from outside to the parsers: they must refuse or read, never
// panic, and what they read has an id and a name, and scores without panicking.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/ofac/SDN.CSV", "testdata/entries.csv", "testdata/entries.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, format := range docket.WatchlistFormats {
			entries, err := screen.Parse(format, map[string]io.Reader{screen.FileSDN: strings.NewReader(body),
				screen.FileALT: strings.NewReader(body), screen.FileADD: strings.NewReader(body), screen.FileEntries: strings.NewReader(body)})
			if err != nil {
				continue
			}
			for _, e := range entries {
				if e.UID == "" || e.Name == "" {
					t.Fatalf("%s: entry without id or name: %+v", format, e)
				}
			}
			ix := screen.NewIndex(&docket.Watchlist{ID: "wl_f"}, entries)
			for _, e := range entries {
				ix.Search(screen.NewQuery(docket.ScreeningQuery{Term: e.Name}), 0.5)
			}
		}
	})
}
