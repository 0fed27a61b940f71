package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/jsonapi"
)

type ctxKey int

const (
	ctxInflection ctxKey = iota
	ctxBody
	ctxAuth
)

// authenticated wraps an endpoint with the conventions every API request shares, in the
// order a client would expect to hear about problems: malformed headers, the client
// address's failed authentications, credentials, permission, rate, body size, then
// idempotent replay. Whether the caller may use the endpoint is decided by Principal.Can
// alone.
func (s *Server) authenticated(perm docket.Permission, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(err error) { writeError(w, r, s.log, s.unavailable(r.Context(), err)) }
		accesslog.Matched(r)
		style := strings.ToLower(r.Header.Get("Key-Inflection"))
		switch style {
		case "", jsonapi.InflectKebab, jsonapi.InflectCamel, jsonapi.InflectSnake:
		default:
			fail(badParam("Key-Inflection", "Key-Inflection must be kebab, camel or snake"))
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), ctxInflection, style))
		addr := clientAddr(r, s.cfg.TrustedProxies)
		if s.failures.blocked(w, addr) {
			fail(docket.Errorf(docket.ERateLimited, "too many requests from your address failed authentication: wait before trying again"))
			return
		}
		p, err := s.keys.authenticate(r.Context(), r.Header.Get("Authorization"))
		if err != nil {
			if docket.ErrorCode(err) == docket.EUnauthorized {
				s.failures.failed(addr)
			}
			fail(err)
			return
		}
		accesslog.SetPrincipal(r.Context(), p)
		if !p.Can(perm) {
			fail(docket.Errorf(docket.EForbidden, "%s", p.Refusal(perm)))
			return
		}
		if err := checkIncludes(r, p); err != nil {
			fail(err)
			return
		}
		key := p.Key
		if !s.limiter.allow(w, key.ID) {
			fail(docket.Errorf(docket.ERateLimited, "you have hit your rate limit of %d requests per minute", s.cfg.RateLimit))
			return
		}
		if err := checkRequestText(r); err != nil {
			fail(err)
			return
		}
		b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				fail(docket.Errorf(docket.ETooLarge, "request body exceeds %d bytes", s.cfg.MaxBodyBytes))
				return
			}
			fail(badRequest("could not read request body"))
			return
		}
		// Every body a write sends is decoded here, so that a malformed one is refused by
		// every endpoint, those that read nothing from it too.
		var doc obj
		if r.Method == http.MethodPost || r.Method == http.MethodPatch {
			if doc, err = parseJSON(b); err != nil {
				fail(err)
				return
			}
		}
		ctx := context.WithValue(r.Context(), ctxAuth, &requestAuth{principal: p})
		r = r.WithContext(context.WithValue(ctx, ctxBody, doc))
		run := func(w http.ResponseWriter) {
			if err := h(w, r); err != nil {
				writeError(w, r, s.log, s.unavailable(r.Context(), err))
			}
		}
		if ik := r.Header.Get("Idempotency-Key"); ik != "" && r.Method == http.MethodPost {
			s.idempotent(w, r, key.ID, ik, b, run)
			return
		}
		run(w)
	})
}

// checkRequestText refuses a path or query parameter that a store could not compare
// with (PostgreSQL fails on NUL characters and invalid UTF-8; see checkStorable).
func checkRequestText(r *http.Request) error {
	if !validText(r.URL.Path) {
		return badRequest("the request path must be UTF-8 text without NUL characters")
	}
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			if k != "" && !validText(v) { // a parameter without a name is never read
				return badParam(k, "query parameters must be UTF-8 text without NUL characters")
			}
		}
	}
	return nil
}

// actor returns who is making the request.
func actor(r *http.Request) docket.Actor {
	return principal(r).Actor()
}

// apiKeys authenticates requests by their API key, with the key's user when it belongs to
// one. Nothing is cached: the key (and its user) is looked up on every request, so that a
// revoked or expired key, a deleted or deactivated user or a changed role takes effect on
// the very next request in every process. A lookup is one indexed read (two for a user's
// key), a fraction of a request's cost (docs/benchmarks.md, "API key lookup").
type apiKeys struct {
	store keyStore
	log   *slog.Logger
	now   func() time.Time
}

// keyStore finds keys and the users they belong to.
type keyStore interface {
	FindAPIKeyBySecret(ctx context.Context, secret string) (*docket.APIKey, error)
	FindUser(ctx context.Context, id string) (*docket.User, error)
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
}

// authenticate returns the principal for the request's API key: the key, and its user
// when it belongs to one. A key whose user no longer exists or is deactivated is refused.
func (c *apiKeys) authenticate(ctx context.Context, header string) (docket.Principal, error) {
	secret, ok := strings.CutPrefix(header, "Bearer ")
	secret = strings.TrimSpace(secret)
	if !ok || secret == "" {
		return docket.Principal{}, docket.Errorf(docket.EUnauthorized, "send an API key as Authorization: Bearer <key>")
	}
	p, err := c.load(ctx, secret)
	if err != nil {
		return p, err
	}
	c.touch(ctx, p.Key)
	return p, nil
}

func (c *apiKeys) load(ctx context.Context, secret string) (docket.Principal, error) {
	k, err := c.store.FindAPIKeyBySecret(ctx, secret)
	if err != nil {
		return docket.Principal{}, err
	}
	if k.UserID == nil {
		return docket.KeyPrincipal(k, nil), nil
	}
	u, err := c.store.FindUser(ctx, *k.UserID)
	if docket.ErrorCode(err) == docket.ENotFound {
		return docket.Principal{}, docket.Errorf(docket.EUnauthorized, "API key is invalid or revoked: its user no longer exists")
	}
	if err != nil {
		return docket.Principal{}, fmt.Errorf("load user of api key %s: %w", k.ID, err)
	}
	if !u.Active() {
		return docket.Principal{}, docket.Errorf(docket.EUnauthorized, "API key is refused: the user it belongs to is deactivated")
	}
	return docket.KeyPrincipal(k, u), nil
}

// touch records the key's use at most once per docket.APIKeyTouchEvery (the key as read
// tells when its use was last recorded), rather than writing on every request. A failed
// write costs the request nothing but a log line: last-used-at is informative.
func (c *apiKeys) touch(ctx context.Context, k *docket.APIKey) {
	now := docket.Time(c.now())
	if !k.NeedsTouch(now) {
		return
	}
	if err := c.store.TouchAPIKey(ctx, k.ID, now); err != nil {
		c.log.WarnContext(ctx, "record api key use", "api_key_id", k.ID, "error", err)
	}
}

// rateLimiter keeps a token bucket per API key: perMinute requests a minute, with a
// burst of a tenth of a minute's worth. Limits are per process.
type rateLimiter struct {
	perMinute int
	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
}

func newRateLimiter(perMinute int) *rateLimiter {
	return &rateLimiter{perMinute: perMinute, buckets: map[string]*rate.Limiter{}}
}

func (l *rateLimiter) allow(w http.ResponseWriter, keyID string) bool {
	if l.perMinute <= 0 {
		return true
	}
	burst := max(l.perMinute/10, 1)
	l.mu.Lock()
	b, ok := l.buckets[keyID]
	if !ok {
		b = rate.NewLimiter(rate.Limit(float64(l.perMinute)/60), burst)
		l.buckets[keyID] = b
	}
	l.mu.Unlock()
	now := time.Now()
	allowed := b.AllowN(now, 1)
	tokens := b.TokensAt(now)
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(l.perMinute))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(int(tokens), 0)))
	// Seconds until the bucket is full again.
	reset := math.Ceil((float64(burst) - tokens) / (float64(l.perMinute) / 60))
	h.Set("RateLimit-Reset", strconv.Itoa(max(int(reset), 0)))
	if !allowed {
		h.Set("Retry-After", strconv.Itoa(max(int(math.Ceil(-tokens/(float64(l.perMinute)/60))), 1)))
	}
	return allowed
}
