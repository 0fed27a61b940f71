package ui

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
	"github.com/docket-hq/docket/internal/auth"
)

// loginForm shows the sign-in form; a signed-in visitor goes straight on.
func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if _, _, err := h.auth.Session(r.Context(), h.auth.SessionToken(r)); err == nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	v := &View{Title: "Sign in", Form: map[string]string{"next": next}}
	if r.URL.Query().Has("signed-out") {
		v.Flash = "You have signed out."
	}
	return h.render(w, r, http.StatusOK, "login", v)
}

// login checks the email and password and starts a new session. Errors appear beside
// their field; an unknown email and a wrong password get the same message. A deactivated
// user who gives the right password is told plainly that the account is deactivated.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) error {
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	v := &View{Title: "Sign in", Form: map[string]string{"email": email, "next": next}, Errors: map[string]string{}}
	if email == "" {
		v.Errors["email"] = "Enter your email address."
	}
	if password == "" {
		v.Errors["password"] = "Enter your password."
	}
	if len(v.Errors) > 0 {
		return h.render(w, r, http.StatusUnprocessableEntity, "login", v)
	}
	u, err := h.auth.SignIn(r.Context(), email, password, h.auth.ClientIP(r))
	var te *auth.ThrottledError
	switch {
	case errors.As(err, &te):
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(te.RetryAfter.Seconds()))))
		v.Errors[""] = fmt.Sprintf("Too many failed sign-in attempts. Try again in %s.", minutes(te.RetryAfter))
		return h.render(w, r, http.StatusTooManyRequests, "login", v)
	case errors.Is(err, auth.ErrBadCredentials):
		v.Errors["password"] = "Email or password is incorrect."
		return h.render(w, r, http.StatusUnauthorized, "login", v)
	case errors.Is(err, auth.ErrDeactivated):
		// Said only after the right password (see auth.ErrDeactivated).
		v.Errors[""] = "This account is deactivated. Ask an admin to reactivate it."
		return h.render(w, r, http.StatusForbidden, "login", v)
	case err != nil:
		return err
	}
	// The access log records the sign-in as the user's: who signed in, from where.
	accesslog.SetPrincipal(r.Context(), docket.UserPrincipal(u))
	// Whatever session this browser had ends: a sign-in always starts a new one.
	if err := h.auth.EndSession(r.Context(), h.auth.SessionToken(r)); err != nil {
		return err
	}
	token, sess, err := h.auth.StartSession(r.Context(), u.ID)
	if err != nil {
		return err
	}
	h.auth.SetSessionCookie(w, r, token, sess.ExpiresAt)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// minutes says how long to wait in words: "1 minute", "12 minutes".
func minutes(d time.Duration) string {
	m := int(math.Ceil(d.Minutes()))
	if m <= 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}
