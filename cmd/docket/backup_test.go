package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

// caseWriter creates cases on a server until stopped, remembering each one the server
// acknowledged (201) in order.
type caseWriter struct {
	mu    sync.Mutex
	acked []string
	stop  chan struct{}
	done  sync.WaitGroup
}

func writeCases(t *testing.T, base, tmpl string, workers int) *caseWriter {
	w := &caseWriter{stop: make(chan struct{})}
	body := fmt.Sprintf(`{"data":{"attributes":{"case-template-id":%q}}}`, tmpl)
	for range workers {
		w.done.Add(1)
		go func() {
			defer w.done.Done()
			for {
				select {
				case <-w.stop:
					return
				default:
				}
				status, doc, err := tryCall(base, "POST", "/api/v1/cases", body)
				if err != nil || status != 201 {
					continue
				}
				w.mu.Lock()
				w.acked = append(w.acked, doc["data"].(map[string]any)["id"].(string))
				w.mu.Unlock()
			}
		}()
	}
	return w
}

// ackedSoFar returns the cases acknowledged until now.
func (w *caseWriter) ackedSoFar() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.acked...)
}

func (w *caseWriter) halt() []string {
	close(w.stop)
	w.done.Wait()
	return w.ackedSoFar()
}

// casesIn lists the case ids of an SQLite database file, read directly.
func casesIn(t *testing.T, path string) map[string]bool {
	t.Helper()
	rows, err := storetest.RawDB(t, "sqlite:"+path).Query(`SELECT id FROM cases`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id] = true
	}
	return out
}

// TestBackupUnderLoad: a backup of a live SQLite database taken while cases are being
// created holds every case acknowledged before it began; restored and served, every
// acknowledged case is there. A damaged file or one from a newer Docket is refused, and
// an existing database is replaced only with --force. On PostgreSQL the command points at
// pg_dump.
func TestBackupUnderLoad(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		dir := t.TempDir()
		if !strings.HasPrefix(dbURL, "sqlite:") {
			_, err := docketCmd(t, map[string]string{"DOCKET_DATABASE_URL": dbURL}, "", "backup", "--out", filepath.Join(dir, "b.db"))
			if err == nil || !strings.Contains(err.Error(), "pg_dump") {
				t.Fatalf("backup of PostgreSQL: %v", err)
			}
			return
		}
		env := map[string]string{"DOCKET_DATABASE_URL": dbURL}
		s := startServerEnv(t, dbURL, nil)
		tmpl := createTemplateKey(t, s.base, "BAK")
		w := writeCases(t, s.base, tmpl, 4)
		eventually(t, 30*time.Second, func() (bool, string) { return len(w.ackedSoFar()) >= 20, "fewer than 20 cases" })

		before := w.ackedSoFar()
		during := filepath.Join(dir, "during.db")
		out, err := docketCmd(t, env, "", "backup", "--out", during)
		if err != nil || !strings.Contains(out, "backed up to") {
			t.Fatalf("backup under load: %v %s", err, out)
		}
		acked := w.halt()
		after := filepath.Join(dir, "after.db")
		if _, err := docketCmd(t, env, "", "backup", "--out", after); err != nil {
			t.Fatalf("backup: %v", err)
		}
		if _, err := docketCmd(t, env, "", "backup", "--out", after); err == nil {
			t.Fatal("backup over an existing file")
		}
		got := casesIn(t, during)
		for _, id := range before {
			if !got[id] {
				t.Fatalf("case %s acknowledged before the backup began is not in it (%d of %d there)", id, len(got), len(before))
			}
		}

		// Restored and served: every acknowledged case is there.
		restored := filepath.Join(dir, "restored", "docket.db")
		renv := map[string]string{"DOCKET_DATABASE_URL": "sqlite:" + restored}
		if out, err := docketCmd(t, renv, "", "restore", "--from", after); err != nil || !strings.Contains(out, fmt.Sprintf("%d cases", len(acked))) {
			t.Fatalf("restore: %v %s (acknowledged %d)", err, out, len(acked))
		}
		r := startServerEnv(t, "sqlite:"+restored, nil)
		for _, id := range acked {
			must(t, 200)(call(t, r.base, "GET", "/api/v1/cases/"+id, ""))
		}
		r.stop()

		// Refusals: an existing database without --force, a damaged file, a newer one.
		if _, err := docketCmd(t, renv, "", "restore", "--from", during); err == nil || !strings.Contains(err.Error(), "--force") {
			t.Fatalf("restore over a database without --force: %v", err)
		}
		damaged := filepath.Join(dir, "damaged.db")
		b, _ := os.ReadFile(after)
		os.WriteFile(damaged, b[:len(b)/2], 0o600)
		newer := filepath.Join(dir, "newer.db")
		os.WriteFile(newer, b, 0o600)
		storetest.Exec(t, storetest.RawWriteDB(t, "sqlite:"+newer), "sqlite:", `INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)`)
		for _, c := range []struct{ file, want string }{{damaged, "integrity"}, {newer, "newer Docket"}, {filepath.Join(dir, "none.db"), "no such file"}} {
			if _, err := docketCmd(t, renv, "", "restore", "--force", "--from", c.file); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("restore %s: %v, want %q", c.file, err, c.want)
			}
		}
		if got := casesIn(t, restored); len(got) != len(acked) {
			t.Fatalf("a refused restore changed the database: %d cases, want %d", len(got), len(acked))
		}
		// With --force the database is replaced and the old one kept.
		if out, err := docketCmd(t, renv, "", "restore", "--force", "--from", during); err != nil || !strings.Contains(out, "kept as") {
			t.Fatalf("restore --force: %v %s", err, out)
		}
		if got, want := casesIn(t, restored), casesIn(t, during); len(got) != len(want) {
			t.Fatalf("restore --force: %d cases, want the earlier backup's %d", len(got), len(want))
		}
	})
}
