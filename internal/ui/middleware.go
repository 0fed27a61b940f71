package ui

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/auth"
)

// handlerFunc is a dashboard handler that returns its error for central rendering.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

type ctxKey int

// ctxSecret carries the CSRF secret of the request: the session token when signed in,
// the pre-session secret otherwise.
const ctxSecret ctxKey = iota

func secretFrom(ctx context.Context) string {
	s, _ := ctx.Value(ctxSecret).(string)
	return s
}

// signedIn loads the session and its user, sends visitors without one to the sign-in page,
// and checks the CSRF token of state-changing requests against the session.
func (h *Handler) signedIn(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accesslog.Matched(r)
		token := h.auth.SessionToken(r)
		_, user, err := h.auth.Session(r.Context(), token)
		if auth.IsNoSession(err) {
			if token != "" {
				h.auth.ClearSessionCookie(w, r)
			}
			h.toLogin(w, r)
			return
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		accesslog.SetPrincipal(r.Context(), docket.UserPrincipal(user))
		ctx := withAccessMemo(auth.WithUser(context.WithValue(r.Context(), ctxSecret, token), user))
		r = r.WithContext(ctx)
		if auth.Unsafe(r.Method) {
			if err := h.auth.CheckCSRF(r, token); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// signedOut serves the pages that need no session (sign-in, set-password). Their forms
// are protected by the browser's pre-session secret.
func (h *Handler) signedOut(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accesslog.Matched(r)
		var secret string
		if auth.Unsafe(r.Method) {
			secret = h.auth.PresentedPreSessionSecret(r)
			if err := h.auth.CheckCSRF(r, secret); err != nil {
				h.fail(w, r, err)
				return
			}
		} else {
			secret = h.auth.PreSessionSecret(w, r)
		}
		r = r.WithContext(context.WithValue(r.Context(), ctxSecret, secret))
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// toLogin redirects to the sign-in page, remembering where a GET was going.
func (h *Handler) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/login"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if next := r.URL.RequestURI(); next != "/" {
			target += "?next=" + url.QueryEscape(next)
		}
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safeNext returns next if it is a path on this site, and "/" otherwise, so that the
// sign-in page cannot be used to send people elsewhere (an open redirect).
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// fail renders an error: a user-visible error as a page with its status, a refused CSRF
// check as 403, anything else as a logged 500.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, auth.ErrCSRF):
		h.errorPage(w, r, http.StatusForbidden, "This form was refused",
			"It did not come from a Docket page, or it has expired (for example after you signed in again in another tab). "+
				"Go back, reload the page and try again.")
		return
	case errors.As(err, &mbe):
		h.errorPage(w, r, http.StatusRequestEntityTooLarge, "Too much data", "The form sent more data than Docket accepts.")
		return
	}
	var e *docket.Error
	if !errors.As(err, &e) {
		h.log.ErrorContext(r.Context(), "dashboard request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		h.errorPage(w, r, http.StatusInternalServerError, "Something went wrong", "Docket could not complete this request. The error has been logged.")
		return
	}
	status, title := http.StatusBadRequest, "This request could not be completed"
	switch e.Code {
	case docket.ENotFound:
		status, title = http.StatusNotFound, "Not found"
	case docket.EForbidden:
		status, title = http.StatusForbidden, "Not allowed"
	case docket.EConflict:
		status, title = http.StatusConflict, "Conflict"
	case docket.EInvalid:
		status = http.StatusUnprocessableEntity
	case docket.ERateLimited:
		status, title = http.StatusTooManyRequests, "Too many requests"
	}
	h.errorPage(w, r, status, title, e.Message)
}
