// Package auth signs people in to the dashboard: argon2id password hashes, sessions kept
// in the database, CSRF tokens, throttling of wrong passwords, one-time password links and
// the client address behind trusted proxies. It holds the policy (lifetimes, thresholds);
// the store only persists what it is given.
package auth

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/docket-hq/docket"
)

// Store is what auth needs from storage.
type Store interface {
	docket.CredentialService
	FindUser(ctx context.Context, id string) (*docket.User, error)
	FindUserByEmail(ctx context.Context, email string) (*docket.User, error)
}

// Config is the sign-in policy. Zero fields take the defaults of DefaultConfig.
type Config struct {
	// BaseURL is where Docket is reached from outside (https://docket.example.com); links
	// are built on it, and an https base URL makes cookies Secure on every request.
	BaseURL string
	// SessionIdle ends a session that has not been used for this long.
	SessionIdle time.Duration
	// SessionMaxAge ends a session this long after sign-in, however active.
	SessionMaxAge time.Duration
	// TouchEvery bounds how often a session's last use is written: at most once per
	// interval, rather than on every request.
	TouchEvery time.Duration
	// LinkTTL is how long a one-time password link works.
	LinkTTL time.Duration
	// Throttle limits wrong passwords.
	Throttle ThrottleConfig
	// Password sets the argon2id cost of new hashes.
	Password Params
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Log receives sign-in events: user ids, outcomes and client addresses, never email
	// addresses or passwords.
	Log *slog.Logger
}

// DefaultBaseURL is used when no base URL is configured.
const DefaultBaseURL = "http://127.0.0.1:8080"

// DefaultConfig returns the default policy: 12-hour idle and 7-day absolute sessions,
// 24-hour links, 5 wrong passwords per account or 20 per client in 15 minutes.
func DefaultConfig() Config {
	return Config{
		BaseURL:       DefaultBaseURL,
		SessionIdle:   12 * time.Hour,
		SessionMaxAge: 7 * 24 * time.Hour,
		TouchEvery:    time.Minute,
		LinkTTL:       24 * time.Hour,
		Throttle:      ThrottleConfig{Window: 15 * time.Minute, MaxPerAccount: 5, MaxPerClient: 20},
		Password:      DefaultParams,
		Now:           time.Now,
		Log:           slog.New(slog.DiscardHandler),
	}
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.BaseURL == "" {
		c.BaseURL = d.BaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	for _, p := range []struct{ v, def *time.Duration }{
		{&c.SessionIdle, &d.SessionIdle}, {&c.SessionMaxAge, &d.SessionMaxAge},
		{&c.TouchEvery, &d.TouchEvery}, {&c.LinkTTL, &d.LinkTTL}, {&c.Throttle.Window, &d.Throttle.Window},
	} {
		if *p.v <= 0 {
			*p.v = *p.def
		}
	}
	if c.Throttle.MaxPerAccount <= 0 {
		c.Throttle.MaxPerAccount = d.Throttle.MaxPerAccount
	}
	if c.Throttle.MaxPerClient <= 0 {
		c.Throttle.MaxPerClient = d.Throttle.MaxPerClient
	}
	if c.Password == (Params{}) {
		c.Password = d.Password
	}
	if c.Now == nil {
		c.Now = d.Now
	}
	if c.Log == nil {
		c.Log = d.Log
	}
	return c
}

// Service signs people in and out.
type Service struct {
	store  Store
	cfg    Config
	secure bool // the base URL is https
	dummy  dummyHash
}

// New returns a Service over store. It fails on a base URL that is not an absolute http
// or https URL.
func New(store Store, cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base URL %q must be an absolute http or https URL", cfg.BaseURL)
	}
	return &Service{store: store, cfg: cfg, secure: u.Scheme == "https"}, nil
}

// Config returns the policy in force (with defaults filled in).
func (s *Service) Config() Config { return s.cfg }

// BaseURL returns the base URL without a trailing slash.
func (s *Service) BaseURL() string { return s.cfg.BaseURL }

func (s *Service) now() time.Time { return docket.Time(s.cfg.Now()) }
