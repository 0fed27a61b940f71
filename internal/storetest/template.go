package storetest

import (
	"bytes"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/docket-hq/docket/internal/store/migrations"
)

// Migrating a fresh PostgreSQL schema takes some thirty transactions (goose's and
// River's migrations, their version rows) behind goose's database-wide lock, which it
// retries every 5 s: with every test package migrating at once, seconds per test.
// Instead each test binary migrates one template schema once, dumps it with pg_dump,
// drops it, and replays the dump, renamed, for each test: one transaction, one round
// trip. (A database per test, copied with CREATE DATABASE ... TEMPLATE, was tried and
// measured slower: PostgreSQL checkpoints at every DROP DATABASE, see
// docs/benchmarks.md.) Without pg_dump, tests fall back to migrating their schema.

// schemaScript is the template's dump, with templateName where the schema's name goes.
var schemaScript struct {
	once   sync.Once
	script string
	err    error
}

// templateName marks the schema's name in the script; random, so that it cannot occur
// in the dump otherwise.
var templateName = "docket_tpl_" + randomHex(8)

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// createSchema creates schema on the database at base, with every migration applied
// when the template could be dumped, empty (the store migrates it) otherwise. db must
// be closed after it: the dump resets search_path for its session.
func createSchema(db *sql.DB, base, schema string) error {
	schemaScript.once.Do(func() { schemaScript.script, schemaScript.err = dumpTemplate(base) })
	if schemaScript.err != nil {
		_, err := db.Exec("CREATE SCHEMA " + schema)
		return err
	}
	// Without arguments, pgx sends the script as one simple query: one round trip.
	_, err := db.Exec("BEGIN;\n" + strings.ReplaceAll(schemaScript.script, templateName, schema) + "\nCOMMIT;")
	return err
}

// withSchema returns base with search_path set to schema.
func withSchema(base, schema string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// dumpTemplate migrates a template schema, dumps it, and drops it.
func dumpTemplate(base string) (string, error) {
	pgDump, err := findPGDump()
	if err != nil {
		return "", err
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA " + templateName); err != nil {
		return "", err
	}
	defer db.Exec("DROP SCHEMA " + templateName + " CASCADE")
	if err := migrate(base); err != nil {
		return "", err
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(pgDump, "--dbname="+base, "--schema="+templateName, "--no-owner", "--no-privileges", "--inserts")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("pg_dump: %v: %s", err, stderr.String())
	}
	// Lines starting with a backslash are psql's meta-commands (\restrict), not SQL.
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if !strings.HasPrefix(l, `\`) {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n"), nil
}

// migrate applies every migration, Docket's and River's, to the template schema.
func migrate(base string) error {
	u, err := withSchema(base, templateName)
	if err != nil {
		return err
	}
	tdb, err := sql.Open("pgx", u)
	if err != nil {
		return err
	}
	defer tdb.Close()
	if err := migrations.Apply(bgctx, tdb, true); err != nil {
		return err
	}
	return migrations.River(bgctx, tdb, true)
}

// findPGDump returns the newest pg_dump installed: Debian keeps one per major version
// under /usr/lib/postgresql, and pg_dump must be at least as new as the server.
func findPGDump() (string, error) {
	best, bestMajor := "", -1
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	for _, p := range found {
		major, err := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
		if err == nil && major > bestMajor {
			best, bestMajor = p, major
		}
	}
	if best != "" {
		return best, nil
	}
	return exec.LookPath("pg_dump")
}
