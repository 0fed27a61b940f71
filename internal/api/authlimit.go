package api

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/docket-hq/docket/internal/auth"
)

// failureLimiter throttles requests that fail authentication, per client address: a
// token bucket of perMinute failures a minute, with a burst of a tenth of that. Only a
// failed authentication spends a token, but an address whose bucket is empty is refused
// (429) before its key is even looked up, whatever the key: were a right key still let
// through, a guesser would learn of a hit at full speed, and the limit would throttle
// nothing. The cost is that clients sharing one address (behind a NAT, or a proxy that
// is not trusted) share the bucket: one of them failing fast holds the others back too.
// Limits are per process, like the per-key limits.
type failureLimiter struct {
	perMinute int
	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
}

// maxFailureBuckets bounds the addresses remembered; beyond it, addresses whose buckets
// are full again (they carry no state) are forgotten.
const maxFailureBuckets = 100_000

func newFailureLimiter(perMinute int) *failureLimiter {
	return &failureLimiter{perMinute: perMinute, buckets: map[string]*rate.Limiter{}}
}

func (l *failureLimiter) burst() int { return max(l.perMinute/10, 1) }

// bucket returns addr's bucket, creating it if create is set (nil otherwise, when the
// address has not failed yet).
func (l *failureLimiter) bucket(addr string, create bool, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[addr]
	if ok || !create {
		return b
	}
	if len(l.buckets) >= maxFailureBuckets {
		for a, x := range l.buckets {
			if x.TokensAt(now) >= float64(l.burst()) {
				delete(l.buckets, a)
			}
		}
		if len(l.buckets) >= maxFailureBuckets {
			l.buckets = map[string]*rate.Limiter{} // under a flood from every address at once
		}
	}
	b = rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), l.burst())
	l.buckets[addr] = b
	return b
}

// blocked reports whether addr has no failed authentications left, setting Retry-After
// (seconds until it has one again) if so.
func (l *failureLimiter) blocked(w http.ResponseWriter, addr string) bool {
	if l.perMinute <= 0 {
		return false
	}
	now := time.Now()
	b := l.bucket(addr, false, now)
	if b == nil {
		return false
	}
	tokens := b.TokensAt(now)
	if tokens >= 1 {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(max(int(math.Ceil((1-tokens)/(float64(l.perMinute)/60))), 1)))
	return true
}

// failed spends one of addr's failed authentications.
func (l *failureLimiter) failed(addr string) {
	if l.perMinute <= 0 {
		return
	}
	now := time.Now()
	l.bucket(addr, true, now).AllowN(now, 1)
}

// clientAddr is the address requests are limited by: the client's as auth.ClientIP
// finds it (X-Forwarded-For only through trusted proxies, the rule dashboard sign-in
// follows), with an IPv6 address cut to its /64, which a single host usually holds whole.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	a := auth.ClientIP(r, trusted)
	switch {
	case !a.IsValid():
		return r.RemoteAddr
	case a.Is6():
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
