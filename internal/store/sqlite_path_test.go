package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/docket-hq/docket/internal/store"
)

// TestSQLitePathWithURIChars: a database path holding # (Go names a repeated subtest
// "sqlite#01", and t.TempDir uses the name) or % opens that very file. The path once went
// into the file: URI raw, so "a#b/docket.db" opened a file named "a" instead.
func TestSQLitePathWithURIChars(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "odd#name%41")
	path := filepath.Join(dir, "docket.db")
	s, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "odd")); err == nil {
		t.Fatal("the path was cut at #")
	}
}
