package auth

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/docket-hq/docket"
)

// ThrottleConfig limits wrong passwords. Failures are recorded in the database, so the
// limits hold across every process that serves the dashboard.
type ThrottleConfig struct {
	// Window is how far back failures count, and so how long a lock lasts at most.
	Window time.Duration
	// MaxPerAccount failures for one email address within Window lock that address.
	MaxPerAccount int
	// MaxPerClient failures from one client address within Window lock that client. It is
	// higher than MaxPerAccount because an office may share one address.
	MaxPerClient int
}

// ThrottledError says that sign-in is locked for a while.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("too many failed sign-ins; try again in %s", e.RetryAfter.Round(time.Second))
}

// accountKey and clientKey name the failure counters. They are hashed so that the table
// holds neither email addresses nor client addresses.
func accountKey(email string) string { return HashToken("account\x00" + docket.NormalizeEmail(email)) }

func clientKey(ip netip.Addr) string {
	// One IPv6 client usually holds a whole /64, so the /64 is what gets counted.
	if ip.Is6() && !ip.Is4In6() {
		if p, err := ip.Prefix(64); err == nil {
			return HashToken("client\x00" + p.String())
		}
	}
	return HashToken("client\x00" + ip.Unmap().String())
}

// throttled returns a *ThrottledError if the account or the client is locked.
func (s *Service) throttled(ctx context.Context, email string, client netip.Addr) error {
	now := s.now()
	t := s.cfg.Throttle
	var wait time.Duration
	check := func(key string, limit int) error {
		times, err := s.store.RecentSignInFailures(ctx, key, now.Add(-t.Window), limit)
		if err != nil {
			return err
		}
		if len(times) >= limit {
			// Locked until the oldest of the last `limit` failures leaves the window.
			wait = max(wait, times[limit-1].Add(t.Window).Sub(now))
		}
		return nil
	}
	if err := check(accountKey(email), t.MaxPerAccount); err != nil {
		return err
	}
	if client.IsValid() {
		if err := check(clientKey(client), t.MaxPerClient); err != nil {
			return err
		}
	}
	if wait > 0 {
		return &ThrottledError{RetryAfter: max(wait, time.Second)}
	}
	return nil
}

// recordFailure counts one wrong password against the account and the client.
func (s *Service) recordFailure(ctx context.Context, email string, client netip.Addr) error {
	keys := []string{accountKey(email)}
	if client.IsValid() {
		keys = append(keys, clientKey(client))
	}
	now := s.now()
	return s.store.RecordSignInFailure(ctx, keys, now, now.Add(-s.cfg.Throttle.Window))
}
