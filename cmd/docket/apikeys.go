package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docket-hq/docket"
)

type apiKeyListCmd struct {
	dbFlags
}

// Run prints one key a line; secrets are never shown (only their hashes are stored).
func (c *apiKeyListCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	keys, err := s.ListAPIKeys(e.ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tSCOPES\tUSER\tCREATED\tREVOKED\tEXPIRES\tLAST-USED")
	for _, k := range keys {
		user := "-"
		if k.UserID != nil {
			user = *k.UserID
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, strings.Join(k.Scopes, ","), user,
			k.CreatedAt.Format(docket.TimeFormat), timeOrDash(k.RevokedAt), timeOrDash(k.ExpiresAt), timeOrDash(k.LastUsedAt))
	}
	return w.Flush()
}

// timeOrDash formats an optional time for a table: "-" when there is none.
func timeOrDash(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(docket.TimeFormat)
}

type apiKeyRevokeCmd struct {
	dbFlags
	ID string `arg:"" name:"id" help:"The key's id (api_...), as api-keys list shows it."`
}

func (c *apiKeyRevokeCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	k, err := s.RevokeAPIKey(e.ctx, c.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "revoked %s (%s) at %s\n", k.ID, k.Name, k.RevokedAt.Format(docket.TimeFormat))
	return nil
}
