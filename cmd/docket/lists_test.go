package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/docket-hq/docket/internal/storetest"
)

// TestListsImport: docket lists import reads OFAC's three files, creates the list, tells
// its progress, and a second import replaces the entries and moves the version; a file
// in the wrong layout is refused with its line and leaves the list as it was.
func TestListsImport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		cli := func(args ...string) (string, string, error) {
			var out, errOut bytes.Buffer
			getenv := func(k string) string {
				return map[string]string{"DOCKET_DATABASE_URL": dbURL, "DOCKET_LOG_LEVEL": "warn"}[k]
			}
			err := run(context.Background(), args, getenv, &out, &errOut)
			return out.String(), errOut.String(), err
		}
		dir := "../../internal/screen/testdata/"
		ofac := []string{"lists", "import", "--name", "OFAC SDN", "--sdn", dir + "ofac/SDN.CSV", "--alt", dir + "ofac/ALT.CSV", "--add", dir + "ofac/ADD.CSV"}
		out, progress, err := cli(ofac...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "OFAC SDN\t16 entries\tversion 1") || !strings.Contains(progress, "read 16 entries") ||
			!strings.Contains(progress, "wrote 16/16 entries") || !strings.Contains(progress, "created list OFAC SDN") {
			t.Errorf("first import: %q, progress %q", out, progress)
		}
		if out, _, err = cli(ofac...); err != nil || !strings.Contains(out, "version 2") {
			t.Errorf("second import: %q, %v", out, err)
		}
		if _, _, err = cli("lists", "import", "--name", "OFAC SDN", "--sdn", dir+"entries.csv"); err == nil || !strings.Contains(err.Error(), "sdn line 1") {
			t.Errorf("entries.csv as SDN.CSV: %v", err)
		}
		if _, _, err = cli("lists", "import", "--name", "EU", "--format", "csv", "--entries", dir+"entries.csv"); err != nil {
			t.Fatal(err)
		}
		out, _, err = cli("lists", "show")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.Contains(lines[1], "EU") || !strings.Contains(lines[1], "csv") ||
			!strings.Contains(lines[2], "OFAC SDN") || strings.Fields(lines[2])[len(strings.Fields(lines[2]))-3] != "16" {
			t.Errorf("lists show:\n%s", out)
		}
	})
}
