package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docket-hq/docket/internal/storetest"
)

// TestSQLiteDiskFull: when the SQLite database cannot grow, writes fail with 503 and a
// message that says the disk is full and nothing was saved; reads go on; the file passes
// SQLite's integrity check and holds every acknowledged case; with room again, writes
// succeed. The limit is SQLite's max_page_count pragma (given in the database URL): it
// makes SQLite return the same SQLITE_FULL as a full disk, deterministically, where a
// tiny filesystem cannot be mounted and a file-size limit (RLIMIT_FSIZE) makes SQLite
// report a full disk or an I/O error depending on where the write is cut. PostgreSQL's
// disk_full is mapped the same way but not provoked here.
func TestSQLiteDiskFull(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "docket.db")
	s := startServerEnv(t, "sqlite:"+path, nil)
	tmpl := createTemplateKey(t, s.base, "FUL")
	s.stop()
	var pages int
	if err := storetest.RawDB(t, "sqlite:"+path).QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}

	s = startServerEnv(t, fmt.Sprintf("sqlite:%s?_pragma=max_page_count(%d)", path, pages+30), nil)
	body := fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q,"fields":{"risk-score":%q}}}}`, tmpl, strings.Repeat("x", 2000))
	var acked []string
	var refused map[string]any
	for i := 0; i < 2000 && refused == nil; i++ {
		status, doc := call(t, s.base, "POST", "/api/v1/cases", body)
		switch status {
		case 201:
			acked = append(acked, doc["data"].(map[string]any)["id"].(string))
		case 503:
			refused = doc
		default:
			t.Fatalf("create: %d %v", status, doc)
		}
	}
	if refused == nil || len(acked) == 0 {
		t.Fatalf("%d cases created, never refused", len(acked))
	}
	e := refused["errors"].([]any)[0].(map[string]any)
	if !strings.Contains(e["details"].(string), "disk is full") || fmt.Sprint(e["status"]) != "503" {
		t.Fatalf("full disk error: %v", e)
	}
	must(t, 200)(call(t, s.base, "GET", "/api/v1/cases/"+acked[0], ""))
	s.stop()

	var check string
	if err := storetest.RawDB(t, "sqlite:"+path).QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check: %q %v", check, err)
	}
	got := casesIn(t, path)
	for _, id := range acked {
		if !got[id] {
			t.Fatalf("acknowledged case %s lost", id)
		}
	}
	s = startServerEnv(t, "sqlite:"+path, nil)
	must(t, 201)(call(t, s.base, "POST", "/api/v1/cases", body))
}
