package auth

import (
	"net/http"
	"time"
)

// Secure reports whether cookies for r must be Secure: the request came over TLS, or the
// base URL is https (TLS ends at a proxy in front of Docket).
func (s *Service) Secure(r *http.Request) bool { return s.secure || r.TLS != nil }

// cookieName adds the __Host- prefix when the cookie is Secure: browsers then refuse the
// cookie unless it is Secure, host-only and for Path=/, so a sibling subdomain cannot plant
// one.
func cookieName(base string, secure bool) string {
	if secure {
		return "__Host-" + base
	}
	return base
}

const (
	sessionCookie = "docket_session"
	csrfCookie    = "docket_csrf"
)

// CookieValue returns the value of a cookie made by NewCookie, or "".
func (s *Service) CookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(cookieName(name, s.Secure(r)))
	if err != nil {
		return ""
	}
	return c.Value
}

// SessionToken returns the session token the request carries, or "".
func (s *Service) SessionToken(r *http.Request) string {
	c, err := r.Cookie(cookieName(sessionCookie, s.Secure(r)))
	if err != nil {
		return ""
	}
	return c.Value
}

// SetSessionCookie gives the browser its session token until the session's absolute end.
func (s *Service) SetSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, s.NewCookie(r, sessionCookie, token, expires))
}

// ClearSessionCookie removes the session cookie.
func (s *Service) ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	c := s.NewCookie(r, sessionCookie, "", time.Unix(0, 0))
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// PreSessionSecret returns the CSRF secret of a signed-out browser (for the sign-in and
// set-password forms), creating it and its cookie on first use.
func (s *Service) PreSessionSecret(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(cookieName(csrfCookie, s.Secure(r))); err == nil && len(c.Value) >= 32 && len(c.Value) <= 100 {
		return c.Value
	}
	secret := NewToken()
	http.SetCookie(w, s.NewCookie(r, csrfCookie, secret, time.Time{}))
	// Handlers in the same request read the new secret back from the request.
	r.AddCookie(&http.Cookie{Name: cookieName(csrfCookie, s.Secure(r)), Value: secret})
	return secret
}

// PresentedPreSessionSecret returns the pre-session secret the request carries, or "".
func (s *Service) PresentedPreSessionSecret(r *http.Request) string {
	c, err := r.Cookie(cookieName(csrfCookie, s.Secure(r)))
	if err != nil {
		return ""
	}
	return c.Value
}

// NewCookie builds a cookie with Docket's flags: HttpOnly (scripts never need it),
// SameSite=Lax (not sent on cross-site POSTs), Path=/, and Secure with the __Host- name
// prefix when it can be. A zero expiry makes a browser-session cookie.
func (s *Service) NewCookie(r *http.Request, name, value string, expires time.Time) *http.Cookie {
	secure := s.Secure(r)
	return &http.Cookie{Name: cookieName(name, secure), Value: value, Path: "/", Expires: expires,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
}
