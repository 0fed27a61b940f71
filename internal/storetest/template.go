package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/docket-hq/docket/internal/store/migrations"
)

// Migrating a fresh PostgreSQL schema takes some thirty transactions (goose's and
// River's migrations, their version rows) behind goose's database-wide lock, which it
// retries every 5 s: with every test package migrating at once, seconds per test.
// Instead each test gets a database of its own, created with CREATE DATABASE ...
// TEMPLATE from a migrated template database: one statement that copies files. The
// template is named after a digest of the migrations, so test binaries and runs share it
// and a change of migrations makes a new one; templates unused for a week are dropped.

// templateLock is the advisory lock key under which a template database is created.
const templateLock = 7_301_200

var template struct {
	once sync.Once
	name string
	err  error
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// withDatabase returns base with its database replaced by name.
func withDatabase(base, name string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// createDatabase creates the database name as a copy of the migrated template.
func createDatabase(db *sql.DB, base, name string) error {
	template.once.Do(func() { template.name, template.err = ensureTemplate(db, base) })
	if template.err != nil {
		return fmt.Errorf("template database: %w", template.err)
	}
	_, err := db.Exec("CREATE DATABASE " + name + " TEMPLATE " + template.name)
	if err != nil && strings.Contains(err.Error(), "being accessed by other users") {
		// A template's last connections may take a moment to go; PostgreSQL waits 5 s.
		_, err = db.Exec("CREATE DATABASE " + name + " TEMPLATE " + template.name)
	}
	return err
}

// ensureTemplate creates the template database for this build's migrations unless it
// exists, and returns its name.
func ensureTemplate(db *sql.DB, base string) (string, error) {
	digest, err := migrations.Digest()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(digest))
	name := "docket_tpl_" + hex.EncodeToString(sum[:8])
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, templateLock)
	dropStaleTests(ctx, conn)
	var ready bool
	err = conn.QueryRowContext(ctx, `SELECT datistemplate FROM pg_database WHERE datname = $1`, name).Scan(&ready)
	if err == nil && ready {
		return name, nil
	}
	if err == nil { // left half-made by a test binary that died
		if _, err := conn.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			return "", err
		}
	} else if err != sql.ErrNoRows {
		return "", err
	}
	dropStaleTemplates(ctx, conn)
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	if err := migrate(ctx, base, name); err != nil {
		return "", err
	}
	// Marked last: a template is used only once fully migrated. ALLOW_CONNECTIONS false
	// keeps stray connections from blocking the copies.
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+name+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return "", err
	}
	return name, nil
}

// migrate applies every migration to the database name.
func migrate(ctx context.Context, base, name string) error {
	u, err := withDatabase(base, name)
	if err != nil {
		return err
	}
	tdb, err := sql.Open("pgx", u)
	if err != nil {
		return err
	}
	defer tdb.Close()
	if err := migrations.Apply(ctx, tdb, true); err != nil {
		return err
	}
	return migrations.River(ctx, tdb, true)
}

// dropDatabase drops a finished test's database.
func dropDatabase(base, name string) {
	db, err := sql.Open("pgx", base)
	if err != nil {
		return
	}
	defer db.Close()
	// FORCE: a process the test started may not have closed its connections yet.
	db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
}

// dropStaleTests drops test databases made over an hour ago that nobody is connected
// to: left by test binaries killed before their cleanup (no test runs that long).
func dropStaleTests(ctx context.Context, conn *sql.Conn) {
	dropOld(ctx, conn, `t\_%`, "1 hour", false)
}

// dropStaleTemplates drops the templates of other migrations that nobody has made a
// database from for a week (their creation time is the best PostgreSQL keeps).
func dropStaleTemplates(ctx context.Context, conn *sql.Conn) {
	dropOld(ctx, conn, `docket\_tpl\_%`, "7 days", true)
}

// dropOld drops the databases named like pattern created longer than age ago.
func dropOld(ctx context.Context, conn *sql.Conn, pattern, age string, templates bool) {
	rows, err := conn.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE $1
		AND (pg_stat_file('base/' || oid || '/PG_VERSION')).modification < now() - $2::interval
		AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)`, pattern, age)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) == nil {
			stale = append(stale, n)
		}
	}
	rows.Close()
	for _, n := range stale {
		if templates {
			conn.ExecContext(ctx, "ALTER DATABASE "+n+" WITH IS_TEMPLATE false")
		}
		conn.ExecContext(ctx, "DROP DATABASE "+n+" WITH (FORCE)")
	}
}
