// Package storetest gives tests a fresh database on every store Docket supports: a new
// SQLite file always, and a new PostgreSQL schema when DOCKET_TEST_POSTGRES_URL is set.
package storetest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// PostgresEnv names the variable holding the PostgreSQL URL for tests.
const PostgresEnv = "DOCKET_TEST_POSTGRES_URL"

// RequireEnv, when set to 1 (as CI does), turns a missing PostgreSQL URL into a failure
// instead of a skip, so that CI cannot pass without having tested PostgreSQL.
const RequireEnv = "DOCKET_TEST_REQUIRE_POSTGRES"

// Each runs fn as a subtest once per store ("sqlite", "postgres"), each with the URL of a
// fresh, empty database. PostgreSQL is skipped, with a message, when PostgresEnv is unset.
func Each(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURL(t)) })
}

// SQLiteURL returns the URL of a new SQLite file in the test's temporary folder.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "docket.db")
}

// PostgresURL creates a schema of its own for the test, already migrated (a copy of a
// template, see template.go), and returns a URL that uses it. The schema is dropped when
// the test ends.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatal(PostgresEnv + " is not set but " + RequireEnv + "=1: PostgreSQL tests must run")
		}
		t.Skip(PostgresEnv + " is not set: PostgreSQL tests skipped")
	}
	schema := "t_" + randomHex(6)
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	defer db.Close()
	if err := createSchema(db, base, schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.ExecContext(bgctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := withSchema(base, schema)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	return u
}

var bgctx = context.Background()
