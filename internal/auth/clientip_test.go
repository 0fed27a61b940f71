package auth_test

import (
	"net/http/httptest"
	"testing"

	"github.com/docket-hq/docket/internal/auth"
)

func TestClientIP(t *testing.T) {
	t.Parallel()
	trusted, err := auth.ParseTrustedProxies([]string{"10.0.0.0/8, 192.168.1.1", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		remote  string
		xff     []string
		trusted bool
		want    string
	}{
		{"direct, no header", "203.0.113.9:5555", nil, true, "203.0.113.9"},
		{"untrusted peer's header is ignored", "203.0.113.9:5555", []string{"1.2.3.4"}, true, "203.0.113.9"},
		{"no trusted proxies configured", "10.0.0.2:5555", []string{"1.2.3.4"}, false, "10.0.0.2"},
		{"one trusted proxy", "10.0.0.2:5555", []string{"198.51.100.4"}, true, "198.51.100.4"},
		{"client forges a leftmost entry", "10.0.0.2:5555", []string{"6.6.6.6, 198.51.100.4"}, true, "198.51.100.4"},
		{"two trusted hops", "10.0.0.2:5555", []string{"198.51.100.4, 192.168.1.1"}, true, "198.51.100.4"},
		{"header split over lines", "10.0.0.2:5555", []string{"6.6.6.6", "198.51.100.4, 10.1.1.1"}, true, "198.51.100.4"},
		{"all hops trusted", "10.0.0.2:5555", []string{"10.9.9.9"}, true, "10.9.9.9"},
		{"garbage stops the walk", "10.0.0.2:5555", []string{"198.51.100.4, not-an-ip"}, true, "10.0.0.2"},
		{"ipv6 proxy", "[fd00::1]:443", []string{"2001:db8::7"}, true, "2001:db8::7"},
		{"ipv4-mapped peer", "[::ffff:10.0.0.2]:80", []string{"198.51.100.4"}, true, "198.51.100.4"},
		{"empty header", "10.0.0.2:5555", []string{""}, true, "10.0.0.2"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		for _, h := range tc.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		tr := trusted
		if !tc.trusted {
			tr = nil
		}
		if got := auth.ClientIP(r, tr); got.String() != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	if _, err := auth.ParseTrustedProxies([]string{"10.0.0.0/8,proxy.example.com"}); err == nil {
		t.Error("a host name must be refused")
	}
}
