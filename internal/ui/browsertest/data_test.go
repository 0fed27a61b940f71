package browsertest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/docket-hq/docket"
)

// password is every test user's password.
const password = "a long test password"

var (
	ctx    = context.Background()
	actor  = docket.Actor{Type: docket.ActorSystem, ID: "browsertest"}
	serial atomic.Int64
)

// unique returns a name no other test on the shared server uses: tests share a database,
// so each makes its own users, templates and cases and looks only at those.
func unique(prefix string) string {
	return fmt.Sprintf("%s%d%s", prefix, serial.Add(1), randomHex(2))
}

// user creates a user of the role with the test password.
func (s *server) user(t *testing.T, role string) *docket.User {
	t.Helper()
	name := unique(role)
	u := &docket.User{Email: name + "@example.com", Name: strings.ToUpper(name[:1]) + name[1:], Role: role, Available: true}
	if err := s.store.CreateUser(ctx, actor, u); err != nil {
		t.Fatal(err)
	}
	if err := s.auth.SetPassword(ctx, u.ID, password); err != nil {
		t.Fatal(err)
	}
	return u
}

// template creates a case template with a unique name and key; change may adjust it first.
func (s *server) template(t *testing.T, change func(*docket.CaseTemplate)) *docket.CaseTemplate {
	t.Helper()
	key := strings.ToUpper(unique("T"))
	day := int64(24 * 3600)
	tm := &docket.CaseTemplate{Name: "Review " + key, Key: key, SLASeconds: &day}
	if change != nil {
		change(tm)
	}
	if err := s.store.CreateTemplate(ctx, actor, tm); err != nil {
		t.Fatal(err)
	}
	return tm
}

// newCase creates a case; change may adjust the new case first.
func (s *server) newCase(t *testing.T, tm *docket.CaseTemplate, change func(*docket.NewCase)) *docket.Case {
	t.Helper()
	nc := docket.NewCase{TemplateID: tm.ID}
	if change != nil {
		change(&nc)
	}
	c, err := s.store.CreateCase(ctx, actor, nc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// assign assigns a case to a user.
func (s *server) assign(t *testing.T, c *docket.Case, u *docket.User) {
	t.Helper()
	if _, err := s.store.AssignCase(ctx, actor, c.ID, u.Email); err != nil {
		t.Fatal(err)
	}
}
