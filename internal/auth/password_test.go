package auth_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/docket-hq/docket/internal/auth"
)

func TestHashPassword(t *testing.T) {
	t.Parallel()
	h, err := auth.HashPassword(ctx, "correct horse battery staple", auth.DefaultParams)
	noErr(t, err)
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(h) {
		t.Fatalf("hash %q is not a PHC argon2id string with the default parameters", h)
	}
	noErr(t, auth.VerifyPassword(ctx, h, "correct horse battery staple"))
	if err := auth.VerifyPassword(ctx, h, "correct horse battery stapler"); !errors.Is(err, auth.ErrMismatch) {
		t.Fatalf("wrong password: want ErrMismatch, got %v", err)
	}
	h2, err := auth.HashPassword(ctx, "correct horse battery staple", auth.DefaultParams)
	noErr(t, err)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	if auth.NeedsRehash(h, auth.DefaultParams) || !auth.NeedsRehash(h, cheap) {
		t.Fatal("NeedsRehash should compare the stored parameters with the wanted ones")
	}
}

func TestVerifyPasswordRejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	good, err := auth.HashPassword(ctx, "a long enough password", cheap)
	noErr(t, err)
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":       "",
		"bcrypt":      "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		"argon2i":     strings.Replace(good, "argon2id", "argon2i", 1),
		"old version": strings.Replace(good, "v=19", "v=16", 1),
		"huge memory": strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=1,p=1", parts[4], parts[5]}, "$"),
		"bad salt":    strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"short key":   strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
	} {
		err := auth.VerifyPassword(ctx, h, "a long enough password")
		if err == nil || errors.Is(err, auth.ErrMismatch) {
			t.Errorf("%s: want a malformed-hash error, got %v", name, err)
		}
	}
	// A hash made with other (cheaper) parameters still verifies: they are read from it.
	noErr(t, auth.VerifyPassword(ctx, good, "a long enough password"))
}

func TestPasswordRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pw   string
		want string
	}{
		{"short", "at least 12"},
		{"elevenchars", "at least 12"},
		{"twelve chars", ""},
		{strings.Repeat("é", 12), ""},
		{strings.Repeat("x", 1025), "at most 1024"},
	} {
		got := auth.CheckPasswordRules(tc.pw)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%q: want message containing %q, got %q", tc.pw, tc.want, got)
		}
	}
}
