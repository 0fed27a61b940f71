package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/auth"
	"github.com/docket-hq/docket/internal/store"
)

// authFlags configure dashboard sign-in; serve and the users commands share them.
type authFlags struct {
	BaseURL        string        `name:"base-url" env:"DOCKET_BASE_URL" help:"Where Docket is reached from outside, for links (default http://127.0.0.1:8080; serve defaults to its listen address). An https URL makes cookies Secure."`
	TrustedProxies []string      `name:"trusted-proxies" env:"DOCKET_TRUSTED_PROXIES" help:"CIDRs of proxies whose X-Forwarded-For is believed (comma-separated)."`
	SessionIdle    time.Duration `name:"session-idle" env:"DOCKET_SESSION_IDLE" default:"12h" help:"Sign a dashboard user out after this long without use."`
	SessionMaxAge  time.Duration `name:"session-max-age" env:"DOCKET_SESSION_MAX_AGE" default:"168h" help:"Sign a dashboard user out this long after sign-in, however active."`
}

// service builds the sign-in service; fallbackBase is used when no base URL is set.
func (f authFlags) service(e *env, s *store.Store, fallbackBase string) (*auth.Service, error) {
	proxies, err := auth.ParseTrustedProxies(f.TrustedProxies)
	if err != nil {
		return nil, err
	}
	cfg := auth.DefaultConfig()
	cfg.BaseURL = f.BaseURL
	if cfg.BaseURL == "" {
		cfg.BaseURL = fallbackBase
	}
	cfg.TrustedProxies, cfg.SessionIdle, cfg.SessionMaxAge, cfg.Log = proxies, f.SessionIdle, f.SessionMaxAge, e.log
	return auth.New(s, cfg)
}

type usersCmd struct {
	Create        usersCreateCmd `cmd:"" help:"Create a user; reads a password from standard input, or prints a one-time sign-in link."`
	ResetPassword usersResetCmd  `cmd:"" name:"reset-password" help:"Print a one-time link with which a user sets a new password."`
}

// cliActor is recorded as the creator of users made on the command line.
var cliActor = docket.Actor{Type: docket.ActorSystem, ID: "cli"}

type usersCreateCmd struct {
	dbFlags
	authFlags
	Email string `name:"email" required:"" help:"Email address (the sign-in name)."`
	Name  string `name:"name" help:"Display name."`
	Role  string `name:"role" default:"reviewer" enum:"admin,manager,reviewer,viewer" help:"admin, manager, reviewer or viewer."`
}

func (c *usersCreateCmd) Run(e *env) error {
	pw, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	if pw != "" {
		if msg := auth.CheckPasswordRules(pw); msg != "" {
			return fmt.Errorf("password from standard input: %s", msg)
		}
	}
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := c.service(e, s, auth.DefaultBaseURL)
	if err != nil {
		return err
	}
	u := &docket.User{Email: c.Email, Name: c.Name, Role: c.Role, Available: true}
	if err := s.CreateUser(e.ctx, cliActor, u); err != nil {
		return err
	}
	if pw != "" {
		if err := a.SetPassword(e.ctx, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Created %s (%s, %s). Sign in at %s/login\n", u.Email, u.Role, u.ID, a.BaseURL())
		return nil
	}
	l, err := a.IssueLink(e.ctx, u.ID, docket.LinkSignIn)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created %s (%s, %s).\nOne-time sign-in link (choose a password; valid until %s):\n%s\n",
		u.Email, u.Role, u.ID, l.ExpiresAt.Format(time.RFC3339), l.URL)
	return nil
}

type usersResetCmd struct {
	dbFlags
	authFlags
	Email string `name:"email" required:"" help:"The user's email address."`
}

func (c *usersResetCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := c.service(e, s, auth.DefaultBaseURL)
	if err != nil {
		return err
	}
	u, err := s.FindUserByEmail(e.ctx, c.Email)
	if err != nil {
		return err
	}
	l, err := a.IssueLink(e.ctx, u.ID, docket.LinkReset)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Password reset link for %s (valid until %s; the current password works until it is used):\n%s\n",
		u.Email, l.ExpiresAt.Format(time.RFC3339), l.URL)
	return nil
}

// readPassword returns the first line of standard input, or "" when standard input is a
// terminal (nothing was piped in) or empty. Only the line ending is removed: spaces may
// belong to the password.
func readPassword(in io.Reader) (string, error) {
	if in == nil {
		return "", nil
	}
	if f, ok := in.(*os.File); ok {
		st, err := f.Stat()
		if err != nil || st.Mode()&os.ModeCharDevice != 0 {
			return "", nil
		}
	}
	line, err := bufio.NewReader(io.LimitReader(in, auth.MaxPasswordBytes+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
