package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

// chainBatch is how many links the audit commands read at a time.
const chainBatch = 1000

type auditCmds struct {
	Verify auditVerifyCmd `cmd:"" help:"Check the event chain: report the first event edited, deleted or inserted out of order (exit status 1 if any)."`
	Anchor auditAnchorCmd `cmd:"" help:"Print the chain's head (<sequence>:<hash> and its time), to keep elsewhere as an anchor."`
}

type auditVerifyCmd struct {
	dbFlags
	Anchor string `name:"anchor" help:"An anchor printed earlier by audit anchor (<sequence>:<hash>): check the chain still holds it."`
}

// Run prints the report; a broken chain is an error, so that the exit status says so.
func (c *auditVerifyCmd) Run(e *env) error {
	var anchor *docket.Anchor
	if c.Anchor != "" {
		a, err := docket.ParseAnchor(c.Anchor)
		if err != nil {
			return fmt.Errorf("--anchor: %w", err)
		}
		anchor = &a
	}
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := docket.VerifyChain(e.ctx, s, anchor, chainBatch)
	if err != nil {
		return err
	}
	if r.Fault != nil {
		f := r.Fault
		fmt.Fprintf(e.stdout, "BROKEN: %s at sequence %d", f.Kind, f.Seq)
		if f.EventID != "" {
			fmt.Fprintf(e.stdout, ", event %s", f.EventID)
		}
		if f.PrevEventID != "" {
			fmt.Fprintf(e.stdout, " (after event %s)", f.PrevEventID)
		}
		fmt.Fprintf(e.stdout, ": %s\n%d events checked before it\n", f.Detail, r.Events)
		return errors.New("the event chain is broken")
	}
	fmt.Fprintf(e.stdout, "OK: %d events, %d with snapshots erased by redaction\nhead %s at %s\n",
		r.Events, r.Erased, docket.Anchor{Seq: r.Head.Seq, Hash: r.Head.Hash}, docket.ChainTime(r.Head.UpdatedAt))
	if anchor != nil {
		fmt.Fprintf(e.stdout, "anchor %s held\n", anchor)
	}
	return nil
}

type auditAnchorCmd struct {
	dbFlags
}

func (c *auditAnchorCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := s.ChainHead(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s %s\n", docket.Anchor{Seq: h.Seq, Hash: h.Hash}, docket.ChainTime(h.UpdatedAt))
	return nil
}

type eventsCmds struct {
	Export eventsExportCmd `cmd:"" help:"Write every event after a cursor to standard output as NDJSON, oldest first, with its chain fields."`
}

type eventsExportCmd struct {
	dbFlags
	After int64 `name:"after" default:"0" help:"Export the events after this sequence number (the last line's sequence of an earlier export)."`
}

// Run writes the whole chain after the cursor, unfiltered: the command runs with the
// database's credentials, which see everything.
func (c *eventsExportCmd) Run(e *env) error {
	if c.After < 0 {
		return errors.New("--after: a sequence number, 0 or more")
	}
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	w := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err = docket.ExportChain(e.ctx, s, docket.ChainFilter{After: c.After}, chainBatch, func(links []*docket.ChainLink) error {
		for _, l := range links {
			if err := enc.Encode(jsonapi.NewChainLine(l)); err != nil {
				return err
			}
		}
		return w.Flush()
	})
	if err != nil {
		return fmt.Errorf("export events: %w", err)
	}
	return w.Flush()
}
