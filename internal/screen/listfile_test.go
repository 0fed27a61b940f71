package screen_test

import (
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/screen"
)

// OFACFiles opens the SDN fixture's files for an import.
func ofacFiles(t testing.TB) map[string]io.Reader {
	t.Helper()
	files := map[string]io.Reader{}
	for key, name := range map[string]string{screen.FileSDN: "SDN.CSV", screen.FileALT: "ALT.CSV", screen.FileADD: "ADD.CSV"} {
		f, err := os.Open("testdata/ofac/" + name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		files[key] = f
	}
	return files
}

func TestParseOFAC(t *testing.T) {
	t.Parallel()
	entries, err := screen.Parse(docket.WatchlistOFAC, ofacFiles(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 16 {
		t.Fatalf("%d entries, want 16", len(entries))
	}
	i := slices.IndexFunc(entries, func(e docket.WatchlistEntry) bool { return e.UID == "27350" })
	putin := entries[i]
	if putin.Name != "PUTIN, Vladimir Vladimirovich" || putin.Type != "individual" ||
		!slices.Equal(putin.BirthDates, []string{"07 Oct 1952"}) || !slices.Equal(putin.Countries, []string{"Russia"}) ||
		!slices.Equal(putin.Aliases, []string{"ПУТИН, Владимир Владимирович"}) || !slices.Equal(putin.Programs, []string{"RUSSIA-EO14024"}) {
		t.Errorf("putin = %+v", putin)
	}
	rosneft := entries[slices.IndexFunc(entries, func(e docket.WatchlistEntry) bool { return e.UID == "15012" })]
	if rosneft.Type != "entity" || !slices.Equal(rosneft.Programs, []string{"UKRAINE-EO13662", "RUSSIA-EO14024"}) || len(rosneft.Aliases) != 2 {
		t.Errorf("rosneft = %+v", rosneft)
	}
}

func TestParseSimple(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ format, file string }{{docket.WatchlistCSV, "testdata/entries.csv"}, {docket.WatchlistJSON, "testdata/entries.json"}} {
		f, err := os.Open(c.file)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := screen.Parse(c.format, map[string]io.Reader{screen.FileEntries: f})
		f.Close()
		if err != nil || len(entries) == 0 || entries[0].Name == "" || len(entries[0].Aliases) == 0 {
			t.Errorf("%s: %+v, %v", c.format, entries, err)
		}
	}
	for _, c := range []struct{ format, body, field string }{
		{docket.WatchlistCSV, "name\nX\n", "entries"},
		{docket.WatchlistCSV, "id,name\n1,\n", "entries"},
		{docket.WatchlistCSV, "id,name\n1,A\n1,B\n", "entries"},
		{docket.WatchlistJSON, `{"id":"1"}`, "entries"},
		{docket.WatchlistJSON, `[{"id":"1","name":"A","nick":"x"}]`, "entries"},
		{docket.WatchlistOFAC, "1,X\n", "sdn"},
		{"xml", "", "format"},
	} {
		files := map[string]io.Reader{screen.FileEntries: strings.NewReader(c.body), screen.FileSDN: strings.NewReader(c.body)}
		_, err := screen.Parse(c.format, files)
		var de *docket.Error
		if !errors.As(err, &de) || de.Field != c.field {
			t.Errorf("%s %q: %v, want an error on %s", c.format, c.body, err, c.field)
		}
	}
}
