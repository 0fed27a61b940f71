package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/screen"
)

type listsCmds struct {
	Import listsImportCmd `cmd:"" help:"Import a sanctions or watch list's files, replacing its entries (the list is created if no list has the name)."`
	Show   listsShowCmd   `cmd:"" help:"Print the watch lists with their entry counts and versions."`
}

type listsImportCmd struct {
	dbFlags
	Name    string `name:"name" required:"" help:"The list's name (e.g. \"OFAC SDN\")."`
	Format  string `name:"format" default:"ofac-sdn" enum:"ofac-sdn,csv,json" help:"ofac-sdn (SDN.CSV with ALT.CSV and ADD.CSV), csv or json (Docket's simple layout)."`
	SDN     string `name:"sdn" type:"existingfile" help:"OFAC's SDN.CSV."`
	ALT     string `name:"alt" type:"existingfile" help:"OFAC's ALT.CSV (aliases)."`
	ADD     string `name:"add" type:"existingfile" help:"OFAC's ADD.CSV (addresses: countries)."`
	Entries string `name:"entries" type:"existingfile" help:"The entries file of the csv or json format."`
}

// Run parses the files, then writes the entries in one transaction, telling the
// progress on standard error; the workers then re-screen the accounts screened before.
func (c *listsImportCmd) Run(e *env) error {
	files := map[string]io.Reader{}
	for key, path := range map[string]string{screen.FileSDN: c.SDN, screen.FileALT: c.ALT, screen.FileADD: c.ADD, screen.FileEntries: c.Entries} {
		if path == "" {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		files[key] = f
	}
	entries, err := screen.Parse(c.Format, files)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "read %d entries\n", len(entries))
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	l, err := c.list(e, s)
	if err != nil {
		return err
	}
	last := -1
	l, err = s.ImportWatchlist(e.ctx, l.ID, entries, func(done, total int) {
		// One line a tenth of the way, and the last.
		if pct := done * 10 / max(total, 1); pct != last || done == total {
			last = pct
			fmt.Fprintf(e.stderr, "wrote %d/%d entries\n", done, total)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s\t%s\t%d entries\tversion %d\n", l.ID, l.Name, l.EntryCount, l.Version)
	return nil
}

// list finds the list by name, or creates it in the command's format.
func (c *listsImportCmd) list(e *env, s interface {
	ListWatchlists(ctx context.Context) ([]*docket.Watchlist, error)
	CreateWatchlist(ctx context.Context, l *docket.Watchlist) error
}) (*docket.Watchlist, error) {
	lists, err := s.ListWatchlists(e.ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range lists {
		if l.Name == c.Name {
			if l.Format != c.Format {
				return nil, fmt.Errorf("list %q is in the %s format, not %s", l.Name, l.Format, c.Format)
			}
			return l, nil
		}
	}
	l := &docket.Watchlist{Name: c.Name, Format: c.Format}
	if err := s.CreateWatchlist(e.ctx, l); err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "created list %s (%s)\n", l.Name, l.ID)
	return l, nil
}

type listsShowCmd struct {
	dbFlags
}

func (c *listsShowCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	lists, err := s.ListWatchlists(e.ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tFORMAT\tENTRIES\tVERSION\tUPDATED")
	for _, l := range lists {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\n", l.ID, l.Name, l.Format, l.EntryCount, l.Version, l.UpdatedAt.Format(docket.TimeFormat))
	}
	return w.Flush()
}
