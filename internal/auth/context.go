package auth

import (
	"context"

	"github.com/docket-hq/docket"
)

type ctxKey int

const ctxUser ctxKey = iota

// WithUser returns ctx carrying the signed-in user.
func WithUser(ctx context.Context, u *docket.User) context.Context {
	return context.WithValue(ctx, ctxUser, u)
}

// UserFrom returns the signed-in user ctx carries, or nil.
func UserFrom(ctx context.Context) *docket.User {
	u, _ := ctx.Value(ctxUser).(*docket.User)
	return u
}
