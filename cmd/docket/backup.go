package main

import (
	"fmt"

	"github.com/docket-hq/docket/internal/store"
)

type backupCmd struct {
	dbFlags
	Out string `name:"out" required:"" placeholder:"FILE" help:"The backup file to write (must not exist)."`
}

// Run copies the live SQLite database; servers and workers may keep running.
func (c *backupCmd) Run(e *env) error {
	info, err := store.Backup(e.ctx, c.Database, c.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up to %s: %d bytes, %d cases, migration %d\n", c.Out, info.Bytes, info.Cases, info.Version)
	return nil
}

type restoreCmd struct {
	dbFlags
	From  string `name:"from" required:"" placeholder:"FILE" help:"The backup file to restore."`
	Force bool   `name:"force" help:"Replace an existing database (stop every docket process using it first; the old file is kept, renamed)."`
	Check bool   `name:"check" help:"Only check the backup file; install nothing."`
}

// Run checks the backup and installs it in place of the database.
func (c *restoreCmd) Run(e *env) error {
	if c.Check {
		info, err := store.CheckBackup(e.ctx, c.From)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s is a sound backup: %d cases, migration %d\n", c.From, info.Cases, info.Version)
		return nil
	}
	info, kept, err := store.Restore(e.ctx, c.From, c.Database, c.Force)
	if err != nil {
		return err
	}
	if kept != "" {
		fmt.Fprintf(e.stdout, "the previous database is kept as %s\n", kept)
	}
	fmt.Fprintf(e.stdout, "restored %s: %d cases, migration %d (newer migrations apply at the next start)\n", c.From, info.Cases, info.Version)
	return nil
}
