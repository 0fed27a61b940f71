package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// withDeadline runs a read that must give up at ctx's deadline, such as a count that may
// have to scan, and reports giving up as an error wrapping context.DeadlineExceeded.
// SQLite interrupts a statement whose context ends. On PostgreSQL, cancelling a query
// through its context costs the connection, so the deadline becomes the statement's own
// timeout (SET LOCAL statement_timeout, in a read-only transaction): the server stops the
// statement and the connection stays in the pool.
func (s *Store) withDeadline(ctx context.Context, fn func(ctx context.Context, q querier) error) error {
	deadline, ok := ctx.Deadline()
	if !ok || !s.pg {
		err := fn(ctx, s.reader())
		if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
		}
		return err
	}
	left := time.Until(deadline)
	if left <= 0 {
		return context.DeadlineExceeded
	}
	// The server's timeout ends the statement; the context only guards against a server
	// that does not answer at all.
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), left+5*time.Second)
	defer cancel()
	tx, err := s.r.BeginTx(qctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ms := max(1, left.Milliseconds())
	if _, err := tx.ExecContext(qctx, fmt.Sprintf("SET LOCAL statement_timeout = %d", ms)); err != nil {
		return err
	}
	err = fn(qctx, rebinder{s: s, q: tx})
	if err != nil && strings.Contains(err.Error(), "SQLSTATE 57014") { // query_canceled
		return fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
	}
	return err
}
