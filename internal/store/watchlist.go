package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
)

// Watch lists are configuration, as templates are: their changes write no events. An
// import is one transaction (the old entries go, the new ones come, the version moves,
// the re-screening job is queued), so a screener reads one version or the other.

const watchlistCols = `id, name, format, entry_count, version, created_at, updated_at`

func scanWatchlist(row scanner) (*docket.Watchlist, error) {
	var l docket.Watchlist
	var created, updated int64
	if err := row.Scan(&l.ID, &l.Name, &l.Format, &l.EntryCount, &l.Version, &created, &updated); err != nil {
		return nil, err
	}
	l.CreatedAt, l.UpdatedAt = fromMS(created), fromMS(updated)
	return &l, nil
}

// CreateWatchlist validates and stores a new, empty list.
func (s *Store) CreateWatchlist(ctx context.Context, l *docket.Watchlist) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		l.ID, l.EntryCount, l.Version, l.CreatedAt, l.UpdatedAt = docket.NewID(docket.PrefixWatchlist), 0, 0, tx.now, tx.now
		_, err := tx.exec(ctx, `INSERT INTO watchlists (`+watchlistCols+`) VALUES (?, ?, ?, 0, 0, ?, ?)`,
			l.ID, l.Name, l.Format, ms(tx.now), ms(tx.now))
		if isUniqueViolation(err) {
			return docket.Invalid("name", "a watch list named %q already exists", l.Name)
		}
		if err != nil {
			return fmt.Errorf("insert watch list: %w", err)
		}
		return nil
	})
}

// FindWatchlist returns one list.
func (s *Store) FindWatchlist(ctx context.Context, id string) (*docket.Watchlist, error) {
	return findWatchlist(ctx, s.reader(), id, "")
}

func findWatchlist(ctx context.Context, q querier, id, lock string) (*docket.Watchlist, error) {
	l, err := scanWatchlist(q.QueryRowContext(ctx, `SELECT `+watchlistCols+` FROM watchlists WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("watch list", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find watch list %s: %w", id, err)
	}
	return l, nil
}

// ListWatchlists returns every list by name: an installation keeps a handful, and
// screeners read them all (with their versions) before each screening.
func (s *Store) ListWatchlists(ctx context.Context) ([]*docket.Watchlist, error) {
	out, err := queryAll(ctx, s.reader(), `SELECT `+watchlistCols+` FROM watchlists ORDER BY name`, nil, scanWatchlist)
	if err != nil {
		return nil, fmt.Errorf("list watch lists: %w", err)
	}
	return out, nil
}

// importBatch is the entries written by one INSERT (3 parameters each).
const importBatch = 500

// ImportWatchlist replaces the list's entries with entries, bumps its version and
// queues the re-screening of the accounts screened before, in one transaction.
func (s *Store) ImportWatchlist(ctx context.Context, id string, entries []docket.WatchlistEntry, progress func(done, total int)) (*docket.Watchlist, error) {
	var l *docket.Watchlist
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		if l, err = findWatchlist(ctx, tx.reader(), id, s.forUpdate()); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM watchlist_entries WHERE list_id = ?`, id); err != nil {
			return fmt.Errorf("clear watch list %s: %w", id, err)
		}
		for start := 0; start < len(entries); start += importBatch {
			if err := insertEntries(ctx, tx, id, entries[start:min(start+importBatch, len(entries))]); err != nil {
				return err
			}
			if progress != nil {
				progress(min(start+importBatch, len(entries)), len(entries))
			}
		}
		l.EntryCount, l.Version, l.UpdatedAt = len(entries), l.Version+1, tx.now
		if _, err := tx.exec(ctx, `UPDATE watchlists SET entry_count = ?, version = ?, updated_at = ? WHERE id = ?`,
			l.EntryCount, l.Version, ms(tx.now), id); err != nil {
			return fmt.Errorf("update watch list %s: %w", id, err)
		}
		return tx.InsertJobs(ctx, []river.InsertManyParams{{Args: jobs.WatchlistRescreen{ListID: id, Version: l.Version}}})
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

func insertEntries(ctx context.Context, tx *Tx, listID string, entries []docket.WatchlistEntry) error {
	rows := make([]string, len(entries))
	args := make([]any, 0, 3*len(entries))
	for i, e := range entries {
		b, err := jsonArg(e)
		if err != nil {
			return err
		}
		rows[i] = "(?, ?, ?)"
		args = append(args, listID, e.UID, b)
	}
	_, err := tx.exec(ctx, `INSERT INTO watchlist_entries (list_id, uid, entry) VALUES `+strings.Join(rows, ", "), args...)
	if isUniqueViolation(err) {
		return docket.Invalid("entries", "an entry id appears twice")
	}
	if err != nil {
		return fmt.Errorf("insert watch list entries: %w", err)
	}
	return nil
}

// WatchlistEntries returns every entry of a list, by id.
func (s *Store) WatchlistEntries(ctx context.Context, id string) ([]docket.WatchlistEntry, error) {
	out, err := queryAll(ctx, s.reader(), `SELECT entry FROM watchlist_entries WHERE list_id = ? ORDER BY uid`, []any{id},
		func(row scanner) (docket.WatchlistEntry, error) {
			var b []byte
			var e docket.WatchlistEntry
			if err := row.Scan(&b); err != nil {
				return e, err
			}
			return e, decodeJSON(b, &e)
		})
	if err != nil {
		return nil, fmt.Errorf("read watch list %s: %w", id, err)
	}
	return out, nil
}

// ScreenedAccounts returns, by id, up to limit ids after after of the accounts that a
// report with a template screened: the accounts a list update screens again.
func (s *Store) ScreenedAccounts(ctx context.Context, after string, limit int) ([]string, error) {
	out, err := queryAll(ctx, s.reader(), `SELECT DISTINCT account_id FROM reports
		WHERE report_template_id IS NOT NULL AND account_id IS NOT NULL AND account_id > ? ORDER BY account_id LIMIT ?`,
		[]any{after, limit}, func(row scanner) (string, error) {
			var id string
			return id, row.Scan(&id)
		})
	if err != nil {
		return nil, fmt.Errorf("screened accounts: %w", err)
	}
	return out, nil
}

// LatestScreening returns the account's newest report that a template screened.
func (s *Store) LatestScreening(ctx context.Context, accountID string) (*docket.Report, error) {
	r, err := scanReport(s.reader().QueryRowContext(ctx, `SELECT `+reportCols+` FROM reports
		WHERE account_id = ? AND report_template_id IS NOT NULL ORDER BY id DESC LIMIT 1`, accountID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, docket.NotFound("screening report of account", accountID)
	}
	if err != nil {
		return nil, fmt.Errorf("latest screening of %s: %w", accountID, err)
	}
	return r, nil
}

var _ docket.WatchlistService = (*Store)(nil)
