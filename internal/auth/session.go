package auth

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// errNoSession is what every unusable session token becomes: unknown, expired or ended.
var errNoSession = docket.Errorf(docket.EUnauthorized, "not signed in")

// StartSession creates a session for the user and returns its token, which only the
// browser keeps. Every sign-in gets a new token, so a token planted before sign-in
// (session fixation) never becomes a signed-in one. Expired sessions are swept here, which
// keeps the table small without a background job.
func (s *Service) StartSession(ctx context.Context, userID string) (string, *docket.Session, error) {
	now := s.now()
	token := NewToken()
	sess := &docket.Session{IDHash: HashToken(token), UserID: userID, CreatedAt: now, SeenAt: now,
		ExpiresAt: now.Add(s.cfg.SessionMaxAge)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", nil, fmt.Errorf("start session: %w", err)
	}
	if _, err := s.store.DeleteExpiredSessions(ctx, now, now.Add(-s.cfg.SessionIdle)); err != nil {
		s.cfg.Log.WarnContext(ctx, "sweep expired sessions", "error", err)
	}
	return token, sess, nil
}

// Session returns the live session for token and its user. A session past its absolute
// end, idle for longer than SessionIdle, or of a deactivated user is deleted and reported
// as not signed in. Use
// slides the idle deadline, written at most once per TouchEvery.
func (s *Service) Session(ctx context.Context, token string) (*docket.Session, *docket.User, error) {
	if token == "" || len(token) > 100 {
		return nil, nil, errNoSession
	}
	hash := HashToken(token)
	sess, u, err := s.store.FindSession(ctx, hash)
	if docket.ErrorCode(err) == docket.ENotFound {
		return nil, nil, errNoSession
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	// A deactivated user's sessions are deleted when they are deactivated; one started by
	// a sign-in racing with the deactivation ends here.
	if !now.Before(sess.ExpiresAt) || !now.Before(sess.SeenAt.Add(s.cfg.SessionIdle)) || !u.Active() {
		if err := s.store.DeleteSession(ctx, hash); err != nil {
			return nil, nil, err
		}
		return nil, nil, errNoSession
	}
	if now.Sub(sess.SeenAt) >= s.cfg.TouchEvery {
		if err := s.store.TouchSession(ctx, hash, now); err != nil {
			return nil, nil, err
		}
		sess.SeenAt = now
	}
	return sess, u, nil
}

// EndSession signs out the browser holding token.
func (s *Service) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, HashToken(token))
}

// IsNoSession reports whether err means "not signed in".
func IsNoSession(err error) bool { return err == errNoSession }
