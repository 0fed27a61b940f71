package store

import (
	"context"
	"fmt"

	"github.com/docket-hq/docket"
)

// The reads below serve event handlers, which run inside the change's transaction and
// must see what it wrote. Each returns a *docket.Error with code not found for a missing
// row.

// FindCase returns one case.
func (t *Tx) FindCase(ctx context.Context, id string) (*docket.Case, error) {
	return findCase(ctx, t.reader(), id, "")
}

// FindTemplate returns one case template.
func (t *Tx) FindTemplate(ctx context.Context, id string) (*docket.CaseTemplate, error) {
	return findTemplate(ctx, t.reader(), id, "")
}

// FindUser returns one user.
func (t *Tx) FindUser(ctx context.Context, id string) (*docket.User, error) {
	return findUser(ctx, t.reader(), "id", id)
}

// FindUserByEmail returns the user with an email address (compared normalized).
func (t *Tx) FindUserByEmail(ctx context.Context, email string) (*docket.User, error) {
	return findUser(ctx, t.reader(), "email", docket.NormalizeEmail(email))
}

// FindObject returns the account, inquiry, transaction, transaction type, report or case
// template an id names (its prefix tells which).
func (t *Tx) FindObject(ctx context.Context, id string) (any, error) {
	q := t.reader()
	switch docket.IDPrefix(id) {
	case docket.PrefixAccount:
		return findAccount(ctx, q, id, "")
	case docket.PrefixInquiry:
		return findInquiry(ctx, q, id, "")
	case docket.PrefixTransaction:
		return findTxn(ctx, q, id, "")
	case docket.PrefixTxnType:
		return findTxnType(ctx, q, id, "")
	case docket.PrefixReport:
		return findReport(ctx, q, id, "")
	case docket.PrefixTemplate:
		return findTemplate(ctx, q, id, "")
	}
	return nil, docket.NotFound("object", id)
}

// EnabledWebhooks returns the webhooks that deliver events.
func (t *Tx) EnabledWebhooks(ctx context.Context) ([]*docket.Webhook, error) {
	hooks, err := queryAll(ctx, t.reader(), `SELECT `+webhookCols+` FROM webhooks WHERE status = ?`, []any{docket.WebhookEnabled}, scanWebhook)
	if err != nil {
		return nil, fmt.Errorf("find webhooks: %w", err)
	}
	return hooks, nil
}

// ActiveUsersWithRoles returns the users who are not deactivated and hold one of the
// roles, in id order: who may act on something only those roles may do.
func (t *Tx) ActiveUsersWithRoles(ctx context.Context, roles []string) ([]*docket.User, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	users, err := queryAll(ctx, t.reader(), `SELECT `+userCols+` FROM users WHERE deactivated_at IS NULL AND role IN (`+
		placeholders(len(roles))+`) ORDER BY id`, anys(roles), scanUser)
	if err != nil {
		return nil, fmt.Errorf("find users with roles %v: %w", roles, err)
	}
	return users, nil
}
