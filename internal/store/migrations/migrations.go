// Package migrations holds Docket's schema: numbered SQL files, one folder per dialect,
// applied with goose, then River's own tables. The store applies them when it opens;
// storetest applies them once to a template that each test's schema is copied from.
package migrations

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed sqlite postgres
var files embed.FS

// Source returns the text of one migration file, named by dialect folder and file name
// ("sqlite/00025_analytics.sql"): store.BackfillAnalytics reruns one migration's
// statements.
func Source(name string) ([]byte, error) { return files.ReadFile(name) }

// riverLock is the advisory lock key that serializes River's migrations when several
// processes start at once on PostgreSQL.
const riverLock = 7_301_100

// Apply applies Docket's pending migrations to db (PostgreSQL when pg, else SQLite).
func Apply(ctx context.Context, db *sql.DB, pg bool) error {
	// Goose takes a lock for the whole database (retried every 5 s) even when there is
	// nothing to do; a schema already at the latest version needs neither the lock nor
	// goose. Processes starting together, and tests' schemas copied from a migrated
	// template (storetest), then start at once.
	if latest, err := Latest(pg); err == nil && latest > 0 && Version(ctx, db) >= latest {
		return nil
	}
	dialect, dir := goose.DialectSQLite3, "sqlite"
	var opts []goose.ProviderOption
	if pg {
		dialect, dir = goose.DialectPostgres, "postgres"
		// Several processes may start at once; an advisory lock lets one migrate at a time.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(files, dir)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, db, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Latest is the number of the newest migration of the dialect: what a database made by
// this build records as its version. Files are named NNNNN_name.sql.
func Latest(pg bool) (int64, error) {
	dir := "sqlite"
	if pg {
		dir = "postgres"
	}
	entries, err := files.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var latest int64
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseInt(num, 10, 64); err == nil && v > latest {
			latest = v
		}
	}
	return latest, nil
}

// Version is the newest migration applied to db, 0 if none or unknown.
func Version(ctx context.Context, db *sql.DB) int64 {
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT max(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
		return 0
	}
	return v.Int64
}

// Digest identifies the schema this build makes on PostgreSQL: every migration file's
// name and content, and River's migrations (storetest names its template after it).
func Digest() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(files, "postgres", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(path)
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	m, err := rivermigrate.New(riverdatabasesql.New(nil), nil)
	if err != nil {
		return "", err
	}
	for _, v := range m.AllVersions() {
		fmt.Fprintf(h, "river %d\n%s\n", v.Version, v.SQLUp)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// River creates or upgrades River's tables in db.
func River(ctx context.Context, db *sql.DB, pg bool) error {
	var driver riverdriver.Driver[*sql.Tx] = riversqlite.New(db)
	if pg {
		driver = riverdatabasesql.New(db)
	}
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	if pg {
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("river migrations: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, riverLock); err != nil {
			return fmt.Errorf("river migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverLock)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("apply river migrations: %w", err)
	}
	return nil
}
