package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs. See docs/decisions.md for why these defaults.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultParams follow RFC 9106's second recommendation (64 MiB, 3 passes) with two lanes
// for small servers (about 0.4 s a hash on a busy two-core machine; paid once per sign-in).
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Password length rules. The maximum only bounds the work one request can ask for.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 1024
)

// ErrMismatch is returned by VerifyPassword for a wrong password.
var ErrMismatch = errors.New("password does not match")

// CheckPasswordRules returns a message for a password that breaks the rules, or "".
func CheckPasswordRules(pw string) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return fmt.Sprintf("Use at least %d characters.", MinPasswordLength)
	case len(pw) > MaxPasswordBytes:
		return fmt.Sprintf("Use at most %d bytes.", MaxPasswordBytes)
	}
	return ""
}

// hashSlots bounds the hashes computed at once: each takes Params.Memory, and a burst of
// sign-ins must not exhaust the server's memory.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

func withSlot(ctx context.Context, fn func()) error {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-hashSlots }()
	fn()
	return nil
}

// HashPassword returns a PHC string of pw with a fresh random salt:
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash> (base64 without padding).
func HashPassword(ctx context.Context, pw string, p Params) (string, error) {
	if len(pw) > MaxPasswordBytes {
		return "", fmt.Errorf("hash password: longer than %d bytes", MaxPasswordBytes)
	}
	salt := make([]byte, p.SaltLen)
	rand.Read(salt)
	var key []byte
	if err := withSlot(ctx, func() { key = argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen) }); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword checks pw against a PHC string with the parameters stored in it (so
// hashes made with older costs keep working) and compares in constant time. A wrong
// password is ErrMismatch; a malformed hash is another error.
func VerifyPassword(ctx context.Context, encoded, pw string) error {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return err
	}
	if len(pw) > MaxPasswordBytes {
		return ErrMismatch
	}
	var got []byte
	if err := withSlot(ctx, func() { got = argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want))) }); err != nil {
		return fmt.Errorf("verify password: %w", err)
	}
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}

// NeedsRehash reports whether a stored hash was made with other costs than p, so that a
// successful sign-in can upgrade it.
func NeedsRehash(encoded string, p Params) bool {
	got, salt, key, err := parsePHC(encoded)
	return err != nil || got.Memory != p.Memory || got.Time != p.Time || got.Threads != p.Threads ||
		uint32(len(salt)) != p.SaltLen || uint32(len(key)) != p.KeyLen
}

// parsePHC reads $argon2id$v=19$m=..,t=..,p=..$salt$hash. Costs are bounded so that a
// corrupt row cannot make one sign-in allocate gigabytes.
func parsePHC(encoded string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("password hash is not an argon2id PHC string")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("password hash has unsupported version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("password hash parameters %q: %w", parts[3], err)
	}
	if p.Memory < 8 || p.Memory > 1<<20 || p.Time < 1 || p.Time > 64 || p.Threads < 1 {
		return p, nil, nil, fmt.Errorf("password hash parameters %q out of range", parts[3])
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err := errors.Join(err1, err2); err != nil || len(salt) < 8 || len(key) < 16 {
		return p, nil, nil, errors.New("password hash has a malformed salt or key")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}

// dummyHash is verified against when an account does not exist or has no password, so
// that a wrong email costs as long as a wrong password and timing does not tell them apart.
type dummyHash struct {
	once sync.Once
	hash string
	err  error
}

func (d *dummyHash) verify(ctx context.Context, p Params, pw string) {
	d.once.Do(func() { d.hash, d.err = HashPassword(context.WithoutCancel(ctx), NewToken(), p) })
	if d.err == nil {
		VerifyPassword(ctx, d.hash, pw)
	}
}
