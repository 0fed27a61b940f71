package webhook_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/webhook"
)

func TestRefused(t *testing.T) {
	refused := []string{
		// loopback
		"127.0.0.1", "127.0.0.53", "127.255.255.254",
		// 10/8
		"10.0.0.1", "10.255.255.255",
		// 172.16/12, both ends
		"172.16.0.1", "172.20.1.1", "172.31.255.255",
		// 192.168/16
		"192.168.0.1", "192.168.255.255",
		// link-local and the cloud metadata address
		"169.254.169.254", "169.254.0.1",
		// carrier-grade NAT, unspecified, multicast, reserved
		"100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
		// IPv6 loopback, unspecified, unique local, link-local, multicast
		"::1", "::", "fc00::", "fc00::1", "fd12:3456:789a::1", "fe80::1", "ff02::1",
		// IPv4-mapped IPv6 forms of refused IPv4 addresses
		"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254", "::ffff:192.168.1.1",
		// NAT64 (well-known prefix) and IPv4-compatible forms of refused IPv4 addresses,
		// and the local-use NAT64 prefix
		"64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.0.0.1", "::127.0.0.1", "::10.0.0.1", "64:ff9b:1::8.8.8.8",
	}
	allowed := []string{
		"8.8.8.8", "1.1.1.1", "93.184.216.34", "11.0.0.1", "9.255.255.255",
		"172.15.255.255", "172.32.0.1", "192.167.255.255", "192.169.0.1", "169.253.255.255", "100.128.0.1",
		"2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8",
	}
	for _, s := range refused {
		if !webhook.Refused(netip.MustParseAddr(s)) {
			t.Errorf("Refused(%s) = false, want true", s)
		}
	}
	for _, s := range allowed {
		if webhook.Refused(netip.MustParseAddr(s)) {
			t.Errorf("Refused(%s) = true, want false", s)
		}
	}
}

// TestWebhookClientRefusesLoopback checks that the delivery client, without allowPrivate, cannot
// reach a server on 127.0.0.1, by address or by a name that resolves to it, and that the
// request never reaches the server.
func TestWebhookClientRefusesLoopback(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	c := webhook.NewClient(false, 2*time.Second)
	for _, u := range []string{srv.URL, "http://localhost:" + port + "/hook"} {
		resp, err := c.Post(u, "application/json", strings.NewReader(`{}`))
		if err == nil {
			resp.Body.Close()
			t.Fatalf("POST %s: got status %d, want the address refused", u, resp.StatusCode)
		}
		if !errors.Is(err, webhook.ErrRefusedAddress) || !strings.Contains(err.Error(), "address refused") {
			t.Fatalf("POST %s: error %q does not say the address was refused", u, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the refused server was reached %d times", n)
	}

	// With private addresses allowed the same server answers.
	resp, err := webhook.NewClient(true, 2*time.Second).Post(srv.URL, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatalf("allowPrivate client: %v", err)
	}
	resp.Body.Close()
	if hits.Load() != 1 {
		t.Fatalf("allowPrivate client did not reach the server")
	}
}

// TestWebhookClientDoesNotFollowRedirects: a redirect is returned as the response (a failed
// delivery), never followed.
func TestWebhookClientDoesNotFollowRedirects(t *testing.T) {
	var targetHits atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { targetHits.Add(1) }))
	defer target.Close()
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/internal", code)
		}))
		resp, err := webhook.NewClient(true, 2*time.Second).Post(redirector.URL, "application/json", strings.NewReader(`{}`))
		redirector.Close()
		if err != nil {
			t.Fatalf("%d: %v", code, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != code {
			t.Fatalf("status %d, want the redirect %d itself", resp.StatusCode, code)
		}
	}
	if n := targetHits.Load(); n != 0 {
		t.Fatalf("redirect target was reached %d times", n)
	}
}

// TestWebhookClientTimeout: a receiver that does not answer within the timeout fails the attempt.
func TestWebhookClientTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	start := time.Now()
	resp, err := webhook.NewClient(true, 200*time.Millisecond).Post(srv.URL, "application/json", strings.NewReader(`{}`))
	if err == nil {
		resp.Body.Close()
		t.Fatal("hanging receiver: want a timeout error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("timeout took %s", d)
	}
}
