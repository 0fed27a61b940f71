package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/docket-hq/docket/internal/store/migrations"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// Jobs run on River, in Docket's own database, so that a job is enqueued in the same
// transaction as the change that calls for it and survives restarts. Both engines are
// reached through database/sql: River's riverdatabasesql driver on PostgreSQL (job
// claims use SELECT ... FOR UPDATE SKIP LOCKED) and riversqlite on SQLite.

func (s *Store) riverDriver() riverdriver.Driver[*sql.Tx] {
	if s.pg {
		return riverdatabasesql.New(s.w)
	}
	return riversqlite.New(s.w)
}

// listeningDriver is the driver for clients that work jobs. On PostgreSQL it LISTENs on a
// dedicated pgx connection: a job inserted in any process's transaction NOTIFYs on
// commit, and workers everywhere fetch it at once instead of at their next poll.
func (s *Store) listeningDriver(ctx context.Context) (riverdriver.Driver[*sql.Tx], error) {
	if !s.pg {
		return s.riverDriver(), nil
	}
	cfg, err := pgxpool.ParseConfig(s.url)
	if err != nil {
		return nil, fmt.Errorf("job listener: %w", err)
	}
	cfg.MinConns, cfg.MaxConns = 0, 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("job listener: %w", err)
	}
	s.listenPools = append(s.listenPools, pool)
	return riverdatabasesql.NewWithPgxListener(s.w, pool), nil
}

// migrateRiver creates or upgrades River's tables.
func (s *Store) migrateRiver(ctx context.Context) error { return migrations.River(ctx, s.w, s.pg) }

// NewJobClient returns a River client on this store's database. With workers in cfg it
// works jobs; the store then enqueues through it, so that jobs inserted by this process
// wake its own workers at once instead of at the next poll.
func (s *Store) NewJobClient(ctx context.Context, cfg *river.Config) (*river.Client[*sql.Tx], error) {
	driver := s.riverDriver()
	if cfg.Workers != nil {
		var err error
		if driver, err = s.listeningDriver(ctx); err != nil {
			return nil, err
		}
	}
	c, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("job client: %w", err)
	}
	if cfg.Workers != nil {
		s.jobsMu.Lock()
		s.jobs = c
		s.jobsMu.Unlock()
	}
	return c, nil
}

// jobClient returns the client that enqueues jobs (an insert-only one until workers start).
func (s *Store) jobClient() *river.Client[*sql.Tx] {
	s.jobsMu.RLock()
	defer s.jobsMu.RUnlock()
	return s.jobs
}

// InsertJobs queues jobs in the transaction: they exist, and run, if and only if the
// change that calls for them commits.
func (t *Tx) InsertJobs(ctx context.Context, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	if _, err := t.s.jobClient().InsertManyTx(ctx, t.tx, params); err != nil {
		return fmt.Errorf("queue %d jobs (first %s): %w", len(params), params[0].Args.Kind(), err)
	}
	return nil
}

// InsertJobs queues jobs; inside Atomically they join its transaction.
func (s *Store) InsertJobs(ctx context.Context, params []river.InsertManyParams) error {
	return s.write(ctx, func(tx *Tx) error { return tx.InsertJobs(ctx, params) })
}
