package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

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
	fmt.Fprintln(w, "ID\tNAME\tSCOPES\tUSER\tCREATED\tREVOKED")
	for _, k := range keys {
		user, revoked := "-", "-"
		if k.UserID != nil {
			user = *k.UserID
		}
		if k.RevokedAt != nil {
			revoked = k.RevokedAt.Format(docket.TimeFormat)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, strings.Join(k.Scopes, ","), user, k.CreatedAt.Format(docket.TimeFormat), revoked)
	}
	return w.Flush()
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
