package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHelpDoesNotRun: --help describes a command and stops. It once went on to run it, so
// `docket serve --help` started a server and `docket bench cases --help` filled docket.db.
func TestHelpDoesNotRun(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"serve", "--help"}, {"bench", "cases", "--help"}, {"migrate", "--help"}, {"--help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "help.db")
			env := map[string]string{"DOCKET_DATABASE_URL": "sqlite:" + db, "DOCKET_ADDR": "127.0.0.1:0"}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var out bytes.Buffer
			err := runWith(ctx, args, func(k string) string { return env[k] }, &out, &out,
				func(string) { t.Errorf("%v started a server", args) })
			if err != nil {
				t.Fatalf("%v: %v", args, err)
			}
			if !strings.Contains(out.String(), "Usage:") {
				t.Errorf("%v printed no usage:\n%s", args, out.String())
			}
			if _, err := os.Stat(db); err == nil {
				t.Errorf("%v opened the database", args)
			}
		})
	}
}
