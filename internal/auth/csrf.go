package auth

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// CSRF protection follows the synchronizer-token pattern without storing tokens: a form's
// token is an HMAC of a secret only the browser's cookie holds (the session token when
// signed in, a pre-session secret before), so it dies with the session and cannot be
// computed by another site, which can neither read the cookie nor the page.

// CSRFField and CSRFHeader carry the token in forms and in script requests.
const (
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
)

// ErrCSRF refuses a state-changing request that did not come from Docket's own pages.
var ErrCSRF = errors.New("the request did not come from a Docket page (missing or wrong CSRF token, or another origin)")

// CSRFToken returns the token that pages of the browser holding secret embed in forms.
func CSRFToken(secret string) string {
	if secret == "" {
		return ""
	}
	return MAC(secret, "csrf", "")
}

// Unsafe reports whether a request method changes state and so needs a CSRF token.
func Unsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// CheckCSRF verifies a state-changing request: the browser's own fetch metadata and
// Origin, when sent, must say it came from this site, and the token in the X-CSRF-Token
// header or the csrf_token form field must match secret. It reads the form body, so callers
// should bound the body first.
func (s *Service) CheckCSRF(r *http.Request, secret string) error {
	if !s.sameOrigin(r) {
		return ErrCSRF
	}
	given := r.Header.Get(CSRFHeader)
	if given == "" {
		given = r.PostFormValue(CSRFField)
	}
	if secret == "" || given == "" || !EqualMAC(given, CSRFToken(secret)) {
		return ErrCSRF
	}
	return nil
}

// sameOrigin checks Sec-Fetch-Site and Origin when the browser sends them. "same-site"
// is refused too: a sibling subdomain is not to be trusted with the dashboard.
func (s *Service) sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false // includes "null", sent by sandboxed frames and some redirects
	}
	got := strings.ToLower(u.Scheme + "://" + u.Host)
	own := "http://"
	if r.TLS != nil {
		own = "https://"
	}
	return got == strings.ToLower(own+r.Host) || got == strings.ToLower(s.baseOrigin())
}

func (s *Service) baseOrigin() string {
	u, err := url.Parse(s.cfg.BaseURL)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
