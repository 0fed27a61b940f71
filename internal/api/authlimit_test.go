package api

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	t.Parallel()
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	for _, tc := range []struct {
		name, remote, forwarded string
		trusted                 []netip.Prefix
		want                    string
	}{
		{name: "peer", remote: "203.0.113.7:5000", want: "203.0.113.7"},
		{name: "untrusted peer's header is ignored", remote: "203.0.113.7:5000", forwarded: "198.51.100.1", trusted: proxies, want: "203.0.113.7"},
		{name: "no trusted proxies", remote: "10.0.0.1:5000", forwarded: "198.51.100.1", want: "10.0.0.1"},
		{name: "through a trusted proxy", remote: "10.0.0.1:5000", forwarded: "198.51.100.1", trusted: proxies, want: "198.51.100.1"},
		{name: "the nearest untrusted hop", remote: "10.0.0.1:5000", forwarded: "192.0.2.9, 198.51.100.1, 10.2.3.4", trusted: proxies, want: "198.51.100.1"},
		{name: "all hops trusted", remote: "10.0.0.1:5000", forwarded: "10.9.9.9", trusted: proxies, want: "10.9.9.9"},
		{name: "a malformed hop ends the walk", remote: "10.0.0.1:5000", forwarded: "198.51.100.1, junk", trusted: proxies, want: "10.0.0.1"},
		{name: "IPv6 is cut to its /64", remote: "[2001:db8:1:2:3:4:5:6]:443", want: "2001:db8:1:2::/64"},
		{name: "IPv6 proxy", remote: "[::1]:443", forwarded: "2001:db8::9", trusted: proxies, want: "2001:db8::/64"},
		{name: "IPv4 in IPv6", remote: "[::ffff:203.0.113.7]:80", want: "203.0.113.7"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.forwarded != "" {
			r.Header.Set("X-Forwarded-For", tc.forwarded)
		}
		if got := clientAddr(r, tc.trusted); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
