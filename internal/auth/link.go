package auth

import (
	"context"
	"net/url"
	"time"

	"github.com/docket-hq/docket"
)

// Link is a one-time link to the set-password form.
type Link struct {
	URL       string
	Purpose   string
	ExpiresAt time.Time
}

// IssueLink creates a one-time link for the user (purpose docket.LinkSignIn or
// docket.LinkReset) that works for LinkTTL. Earlier unused links of the user stop working.
func (s *Service) IssueLink(ctx context.Context, userID, purpose string) (*Link, error) {
	if purpose != docket.LinkSignIn && purpose != docket.LinkReset {
		return nil, docket.Errorf(docket.EInvalid, "purpose must be %s or %s", docket.LinkSignIn, docket.LinkReset)
	}
	now := s.now()
	token := NewToken()
	l := &docket.PasswordLink{TokenHash: HashToken(token), UserID: userID, Purpose: purpose, CreatedAt: now,
		ExpiresAt: now.Add(s.cfg.LinkTTL)}
	if err := s.store.CreatePasswordLink(ctx, l); err != nil {
		return nil, err
	}
	s.cfg.Log.InfoContext(ctx, "password link issued", "user_id", userID, "purpose", purpose)
	return &Link{URL: s.cfg.BaseURL + "/set-password?token=" + url.QueryEscape(token), Purpose: purpose, ExpiresAt: l.ExpiresAt}, nil
}

// CheckLink returns the live link for token and its user, or not found. It does not use
// the link up: showing the form must not spend it (mail scanners open links).
func (s *Service) CheckLink(ctx context.Context, token string) (*docket.PasswordLink, *docket.User, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, docket.Errorf(docket.ENotFound, "this link is unknown, expired or already used")
	}
	l, err := s.store.FindPasswordLink(ctx, HashToken(token), s.now())
	if err != nil {
		return nil, nil, err
	}
	u, err := s.store.FindUser(ctx, l.UserID)
	if err != nil {
		return nil, nil, err
	}
	if !u.Active() { // deactivation spends links; this covers one issued in a race with it
		return nil, nil, docket.Errorf(docket.ENotFound, "this link is unknown, expired or already used")
	}
	return l, u, nil
}

// RedeemLink spends the link: the user's password becomes pw and their other sessions
// end. It returns the user's id. A password that breaks the rules is an invalid error
// about the field "password", and leaves the link usable.
func (s *Service) RedeemLink(ctx context.Context, token, pw string) (string, error) {
	if msg := CheckPasswordRules(pw); msg != "" {
		return "", &docket.Error{Code: docket.EInvalid, Message: msg, Field: "password"}
	}
	hash, err := HashPassword(ctx, pw, s.cfg.Password)
	if err != nil {
		return "", err
	}
	userID, err := s.store.UsePasswordLink(ctx, HashToken(token), s.now(), hash)
	if err != nil {
		return "", err
	}
	s.cfg.Log.InfoContext(ctx, "password set from link", "user_id", userID)
	return userID, nil
}
