package auth

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/docket-hq/docket"
)

// ErrBadCredentials is the one answer for an unknown email, a user without a password
// and a wrong password, so that sign-in does not reveal who has an account.
var ErrBadCredentials = errors.New("email or password is incorrect")

// ErrDeactivated answers the right password of a deactivated user. It is given only after
// the password is checked, so it tells no more than a successful sign-in would (that the
// account exists) and only to someone who knows the password; anyone else gets
// ErrBadCredentials, as for any wrong password.
var ErrDeactivated = errors.New("this account is deactivated: ask an admin to reactivate it")

// SignIn checks an email and password from client. It returns the user, ErrBadCredentials,
// or a *ThrottledError when the account or the client has failed too often lately (checked
// before the password, so a locked account cannot be probed further).
func (s *Service) SignIn(ctx context.Context, email, password string, client netip.Addr) (*docket.User, error) {
	email = docket.NormalizeEmail(email)
	if err := s.throttled(ctx, email, client); err != nil {
		var te *ThrottledError
		if errors.As(err, &te) {
			s.cfg.Log.InfoContext(ctx, "sign-in throttled", "client", client.String(), "retry_after", te.RetryAfter.String())
		}
		return nil, err
	}
	u, hash, err := s.credential(ctx, email)
	if err != nil {
		return nil, err
	}
	if hash == "" {
		s.dummy.verify(ctx, s.cfg.Password, password)
		return nil, s.fail(ctx, email, client)
	}
	switch err := VerifyPassword(ctx, hash, password); {
	case errors.Is(err, ErrMismatch):
		return nil, s.fail(ctx, email, client)
	case err != nil:
		return nil, fmt.Errorf("sign in %s: %w", u.ID, err)
	}
	if err := s.store.ClearSignInFailures(ctx, accountKey(email)); err != nil {
		return nil, err
	}
	if !u.Active() {
		s.cfg.Log.InfoContext(ctx, "sign-in refused: user deactivated", "user_id", u.ID, "client", client.String())
		return nil, ErrDeactivated
	}
	if NeedsRehash(hash, s.cfg.Password) {
		s.upgrade(ctx, u.ID, password)
	}
	s.cfg.Log.InfoContext(ctx, "signed in", "user_id", u.ID, "client", client.String())
	return u, nil
}

// credential returns the user with that email and their hash; hash is "" when there is
// no such user or the user has no password.
func (s *Service) credential(ctx context.Context, email string) (*docket.User, string, error) {
	u, err := s.store.FindUserByEmail(ctx, email)
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	c, err := s.store.FindCredential(ctx, u.ID)
	if docket.ErrorCode(err) == docket.ENotFound {
		return u, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	return u, c.PasswordHash, nil
}

func (s *Service) fail(ctx context.Context, email string, client netip.Addr) error {
	if err := s.recordFailure(ctx, email, client); err != nil {
		return err
	}
	s.cfg.Log.InfoContext(ctx, "sign-in failed", "client", client.String())
	return ErrBadCredentials
}

// upgrade rehashes a password with the current costs. A failure only means the old hash
// stays, so it is logged rather than returned.
func (s *Service) upgrade(ctx context.Context, userID, password string) {
	hash, err := HashPassword(ctx, password, s.cfg.Password)
	if err == nil {
		err = s.store.SetPassword(ctx, userID, hash)
	}
	if err != nil {
		s.cfg.Log.WarnContext(ctx, "upgrade password hash", "user_id", userID, "error", err)
	}
}

// SetPassword checks pw against the rules and stores its hash for the user. It does not end
// the user's sessions (a password link does).
func (s *Service) SetPassword(ctx context.Context, userID, pw string) error {
	if msg := CheckPasswordRules(pw); msg != "" {
		return &docket.Error{Code: docket.EInvalid, Message: msg, Field: "password"}
	}
	hash, err := HashPassword(ctx, pw, s.cfg.Password)
	if err != nil {
		return err
	}
	return s.store.SetPassword(ctx, userID, hash)
}
