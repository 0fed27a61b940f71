package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/docket-hq/docket/internal/store/migrations"
)

// Backups of SQLite are made with VACUUM INTO: one read transaction copies the database
// as it stood when it began (WAL included) into a new, compact file, while writers go
// on. PostgreSQL is backed up with its own tools (pg_dump), see the README.

// errPostgresBackup explains where PostgreSQL backups come from.
var errPostgresBackup = errors.New("backup and restore are for SQLite: back PostgreSQL up with pg_dump and pg_restore (see the README)")

// BackupInfo describes a backup file.
type BackupInfo struct {
	// Version is the newest migration the backup's schema has.
	Version int64
	// Cases counts the cases it holds.
	Cases int64
	Bytes int64
}

// Backup writes a consistent copy of the SQLite database at rawURL to out, which must
// not exist, and checks the copy (CheckBackup).
func Backup(ctx context.Context, rawURL, out string) (*BackupInfo, error) {
	path, ok := strings.CutPrefix(rawURL, "sqlite:")
	if !ok {
		return nil, errPostgresBackup
	}
	path, _, _ = strings.Cut(path, "?")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("backup: database %s: %w", path, err)
	}
	if _, err := os.Stat(out); err == nil {
		return nil, fmt.Errorf("backup: %s exists; choose a new file", out)
	}
	db, err := openSQLiteFile(path, false)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		os.Remove(out)
		return nil, fmt.Errorf("backup: %w", diskError(err))
	}
	info, err := CheckBackup(ctx, out)
	if err != nil {
		os.Remove(out)
		return nil, err
	}
	return info, nil
}

// CheckBackup checks that file is a whole SQLite database of Docket's that this build
// can open: PRAGMA integrity_check finds nothing wrong, and its migrations are this
// build's or older (the store applies the rest when it opens).
func CheckBackup(ctx context.Context, file string) (*BackupInfo, error) {
	st, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("check backup: %w", err)
	}
	db, err := openSQLiteFile(file, true)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check(1)`).Scan(&result); err != nil {
		return nil, fmt.Errorf("check backup %s: integrity check failed: %w", file, err)
	}
	if result != "ok" {
		return nil, fmt.Errorf("check backup %s: integrity check failed: %s", file, result)
	}
	info := &BackupInfo{Bytes: st.Size(), Version: migrations.Version(ctx, db)}
	if info.Version == 0 {
		return nil, fmt.Errorf("check backup %s: not a Docket database (no migrations recorded)", file)
	}
	latest, err := migrations.Latest(false)
	if err != nil {
		return nil, err
	}
	if info.Version > latest {
		return nil, fmt.Errorf("check backup %s: made by a newer Docket (migration %d; this build knows up to %d)", file, info.Version, latest)
	}
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&info.Cases); err != nil {
		return nil, fmt.Errorf("check backup %s: %w", file, err)
	}
	return info, nil
}

// Restore checks the backup file (CheckBackup) and installs a copy of it as the SQLite
// database at rawURL. Every process using that database must be stopped first. An
// existing database is kept beside it, renamed with the time (".before-restore-..."),
// unless there is none; without force an existing database is refused.
func Restore(ctx context.Context, file, rawURL string, force bool) (info *BackupInfo, kept string, err error) {
	path, ok := strings.CutPrefix(rawURL, "sqlite:")
	if !ok {
		return nil, "", errPostgresBackup
	}
	path, _, _ = strings.Cut(path, "?")
	if info, err = CheckBackup(ctx, file); err != nil {
		return nil, "", err
	}
	_, statErr := os.Stat(path)
	exists := statErr == nil
	if exists && !force {
		return nil, "", fmt.Errorf("restore: %s exists: stop every docket process using it, then pass --force (it is kept, renamed)", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, "", fmt.Errorf("restore: %w", err)
	}
	// Copied beside the target, then renamed over it: the database is the old one or
	// the new one, never half of each.
	tmp := path + ".restoring"
	os.Remove(tmp)
	if err := copyDatabase(ctx, file, tmp); err != nil {
		os.Remove(tmp)
		return nil, "", err
	}
	if exists {
		kept = path + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(path, kept); err != nil {
			os.Remove(tmp)
			return nil, "", fmt.Errorf("restore: keep the old database: %w", err)
		}
	}
	// The old database's write-ahead log belongs to it, not to the restored file.
	for _, suffix := range []string{"-wal", "-shm"} {
		if exists {
			os.Rename(path+suffix, kept+suffix)
		}
		os.Remove(path + suffix)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, kept, fmt.Errorf("restore: %w", err)
	}
	return info, kept, nil
}

// copyDatabase copies a checked backup to a new file with VACUUM INTO, so that what is
// installed is a database SQLite wrote, not bytes copied by hand.
func copyDatabase(ctx context.Context, from, to string) error {
	db, err := openSQLiteFile(from, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, to); err != nil {
		return fmt.Errorf("restore: copy %s: %w", from, diskError(err))
	}
	return nil
}

// openSQLiteFile opens one connection to an SQLite file, read-only if asked (which also
// refuses to create a missing file).
func openSQLiteFile(path string, readOnly bool) (*sql.DB, error) {
	uriPath := strings.NewReplacer("%", "%25", "#", "%23", "?", "%3F").Replace(path)
	dsn := "file:" + uriPath + "?_pragma=busy_timeout(10000)"
	if readOnly {
		dsn += "&mode=ro"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// diskError makes SQLite's "database or disk is full" say what to do.
func diskError(err error) error {
	if err != nil && strings.Contains(err.Error(), "full") {
		return fmt.Errorf("the disk is full (free space, then try again): %w", err)
	}
	return err
}
