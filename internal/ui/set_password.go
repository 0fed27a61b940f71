package ui

import (
	"errors"
	"net/http"

	"github.com/docket-hq/docket"
)

// setPasswordForm shows the form a one-time link leads to. Showing it does not spend the
// link: mail scanners open links before people do.
func (h *Handler) setPasswordForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	link, user, err := h.auth.CheckLink(r.Context(), token)
	if docket.ErrorCode(err) == docket.ENotFound {
		return h.deadLink(w, r)
	}
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "set_password", setPasswordView(link.Purpose, user.Email, token))
}

func setPasswordView(purpose, email, token string) *View {
	title := "Choose your password"
	if purpose == docket.LinkReset {
		title = "Reset your password"
	}
	return &View{Title: title, Form: map[string]string{"email": email, "token": token}, Errors: map[string]string{}}
}

// setPassword spends the link, sets the password, ends the user's other sessions and
// signs this browser in.
func (h *Handler) setPassword(w http.ResponseWriter, r *http.Request) error {
	token := r.PostFormValue("token")
	link, user, err := h.auth.CheckLink(r.Context(), token)
	if docket.ErrorCode(err) == docket.ENotFound {
		return h.deadLink(w, r)
	}
	if err != nil {
		return err
	}
	pw, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	v := setPasswordView(link.Purpose, user.Email, token)
	if pw != confirm {
		v.Errors["confirm"] = "The two passwords differ."
		return h.render(w, r, http.StatusUnprocessableEntity, "set_password", v)
	}
	userID, err := h.auth.RedeemLink(r.Context(), token, pw)
	var invalid *docket.Error
	switch {
	case errors.As(err, &invalid) && invalid.Code == docket.EInvalid:
		v.Errors["password"] = invalid.Message
		return h.render(w, r, http.StatusUnprocessableEntity, "set_password", v)
	case docket.ErrorCode(err) == docket.ENotFound:
		return h.deadLink(w, r) // spent by a racing request
	case err != nil:
		return err
	}
	if err := h.auth.EndSession(r.Context(), h.auth.SessionToken(r)); err != nil {
		return err
	}
	session, sess, err := h.auth.StartSession(r.Context(), userID)
	if err != nil {
		return err
	}
	h.auth.SetSessionCookie(w, r, session, sess.ExpiresAt)
	h.setFlash(w, r, session, "Your password is set. You are signed in.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (h *Handler) deadLink(w http.ResponseWriter, r *http.Request) error {
	h.errorPage(w, r, http.StatusNotFound, "This link does not work",
		"It is unknown, has expired, or was already used. Ask an admin for a new one.")
	return nil
}
