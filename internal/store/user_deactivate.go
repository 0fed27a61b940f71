package store

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// DeactivateUser deactivates a user in one transaction: the mark, the end of every
// session, their unused password links (a way back in) and the user.deactivated event.
// Their API keys are refused from the next request on, since the API loads a key's user on
// every request; the keys themselves stay, and work again if the user is reactivated.
// Deactivating a deactivated user changes nothing and records nothing.
func (s *Store) DeactivateUser(ctx context.Context, actor docket.Actor, id string) (*docket.User, error) {
	return s.setDeactivated(ctx, actor, id, true)
}

// ReactivateUser clears the mark (user.reactivated): the user can sign in with their
// password again, their keys work again and assignment policies include them.
func (s *Store) ReactivateUser(ctx context.Context, actor docket.Actor, id string) (*docket.User, error) {
	return s.setDeactivated(ctx, actor, id, false)
}

func (s *Store) setDeactivated(ctx context.Context, actor docket.Actor, id string, deactivate bool) (*docket.User, error) {
	var u *docket.User
	err := s.write(ctx, func(tx *Tx) error {
		var err error
		// FOR UPDATE: two admins deactivating at once record one event.
		if u, err = findUser(ctx, tx.reader(), "id", id, s.forUpdate()); err != nil {
			return err
		}
		if u.Active() != deactivate {
			return nil
		}
		event := docket.EventUserReactivated
		u.DeactivatedAt = nil
		if deactivate {
			event, u.DeactivatedAt = docket.EventUserDeactivated, &tx.now
		}
		u.UpdatedAt = tx.now
		if _, err := tx.exec(ctx, `UPDATE users SET deactivated_at = ?, updated_at = ? WHERE id = ?`,
			msPtr(u.DeactivatedAt), ms(tx.now), id); err != nil {
			return fmt.Errorf("set deactivation of %s: %w", id, err)
		}
		if deactivate {
			if err := endUserSessions(ctx, tx, id); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DELETE FROM password_links WHERE user_id = ? AND used_at IS NULL`, id); err != nil {
				return fmt.Errorf("spend password links of %s: %w", id, err)
			}
		}
		_, err = recordEvent(ctx, tx, actor, event, "user", u.ID, u)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
