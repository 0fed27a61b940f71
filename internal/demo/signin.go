package demo

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/docket-hq/docket"
)

// SignIn is a demo dashboard account and its password.
type SignIn struct {
	Email    string
	Password string
	Role     string
}

// signInUsers get a dashboard password at every demo start: an admin (created if missing)
// and one of the demo reviewers.
var signInUsers = []docket.User{
	{Email: "admin@demo.docket", Name: "Demo Admin", Role: "admin", Available: true},
	{Email: "ada@example.com", Name: "Ada Reviewer", Role: "reviewer", Available: true},
}

// SignIns gives the demo accounts fresh random passwords through setPassword and returns
// them to be printed once. Passwords change at every start, so an old printout is useless.
func SignIns(ctx context.Context, s Store, setPassword func(ctx context.Context, userID, pw string) error) ([]SignIn, error) {
	var out []SignIn
	for _, want := range signInUsers {
		u, err := s.FindUserByEmail(ctx, want.Email)
		if docket.ErrorCode(err) == docket.ENotFound {
			u = &want
			err = s.CreateUser(ctx, actor, u)
		}
		if err != nil {
			return nil, fmt.Errorf("demo sign-in %s: %w", want.Email, err)
		}
		pw := password()
		if err := setPassword(ctx, u.ID, pw); err != nil {
			return nil, fmt.Errorf("demo password for %s: %w", u.Email, err)
		}
		out = append(out, SignIn{Email: u.Email, Password: pw, Role: u.Role})
	}
	return out, nil
}

// password returns 16 random characters in four groups, from an alphabet without look-alikes
// (about 80 bits): easy to type from a terminal.
func password() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	rand.Read(b)
	out := make([]byte, 0, 19)
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}
