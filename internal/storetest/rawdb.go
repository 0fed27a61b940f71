package storetest

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // registers the "sqlite" driver for RawDB
)

// RawDB opens the test database directly, read-only on SQLite, to see rows the store's
// API does not list (notifications without a user, River's jobs).
func RawDB(t testing.TB, dbURL string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// RawWriteDB opens the test database directly for writing, to change rows behind the
// store's back (the event chain's tamper tests).
func RawWriteDB(t testing.TB, dbURL string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Exec runs a statement on db (from RawWriteDB), written with ? placeholders on both
// stores.
func Exec(t testing.TB, db *sql.DB, dbURL, q string, args ...any) {
	t.Helper()
	if !strings.HasPrefix(dbURL, "sqlite:") {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// JobArgs decodes the arguments of every River job of a kind, read straight from River's
// table.
func JobArgs[T any](t testing.TB, dbURL, kind string) []T {
	t.Helper()
	q := `SELECT args::text FROM river_job WHERE kind = $1`
	if strings.HasPrefix(dbURL, "sqlite:") {
		q = `SELECT json(args) FROM river_job WHERE kind = ?` // River keeps args as JSONB on SQLite too
	}
	rows, err := RawDB(t, dbURL).Query(q, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		var a T
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatalf("%s job args %s: %v", kind, raw, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
