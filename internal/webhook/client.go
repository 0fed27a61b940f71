// Package webhook delivers events to customers' endpoints: the event handler that queues a
// delivery for each webhook that wants an event (enqueue.go), the River worker that signs
// and POSTs each event, and an HTTP client that refuses to reach internal addresses.
package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// refusedRanges are addresses a webhook may not reach unless the operator allows private
// destinations: loopback, private, link-local (including the cloud metadata address
// 169.254.169.254), carrier-grade NAT, unspecified and multicast ranges.
var refusedRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/96"),          // unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64 (RFC 8215): translates into private networks
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
}

// ErrRefusedAddress means a webhook URL resolved to an address deliveries may not reach.
var ErrRefusedAddress = errors.New("address refused: webhooks may not reach loopback, private, link-local or metadata addresses")

// nat64 is the well-known NAT64 prefix (RFC 6052): on an IPv6-only network with a NAT64
// gateway, 64:ff9b::a.b.c.d reaches the IPv4 address a.b.c.d, so it is refused exactly
// when a.b.c.d is.
var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// Refused reports whether deliveries may not connect to ip.
func Refused(ip netip.Addr) bool {
	ip = ip.Unmap()
	if nat64.Contains(ip) {
		b := ip.As16()
		ip = netip.AddrFrom4([4]byte(b[12:]))
	}
	for _, p := range refusedRanges {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// NewClient returns the HTTP client deliveries use. The address check runs on the
// connection itself, after DNS resolution, so neither a DNS answer that changes between
// check and use nor a redirect can lead to a refused address; redirects are not followed.
func NewClient(allowPrivate bool, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("parse dial address %q: %w", address, err)
			}
			if Refused(ap.Addr()) {
				return fmt.Errorf("%w (%s)", ErrRefusedAddress, ap.Addr())
			}
			return nil
		}
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
