// Package signature signs and verifies Docket webhook deliveries. Receivers can import it
// (or copy it: it uses only the standard library) to check the Persona-Signature header:
//
//	err := signature.Verify(r.Header.Get("Persona-Signature"), body, []string{secret}, 5*time.Minute, time.Now())
//
// The header is "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">". While a secret
// is being rotated the header carries one v1 per valid secret, space separated
// ("t=...,v1=<new> v1=<old>"), so a receiver holding either secret accepts it.
package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header is the name of the HTTP header that carries the signature.
const Header = "Persona-Signature"

// Sign returns the header value for body sent at t, signed with each secret in turn.
func Sign(body []byte, t time.Time, secrets ...string) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	var b strings.Builder
	b.WriteString("t=" + ts + ",")
	for i, s := range secrets {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("v1=" + mac(s, ts, body))
	}
	return b.String()
}

func mac(secret, ts string, body []byte) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(ts))
	h.Write([]byte("."))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Errors Verify returns.
var (
	ErrMalformed = errors.New("signature header is malformed")
	ErrExpired   = errors.New("signature timestamp is outside the tolerance")
	ErrMismatch  = errors.New("no signature matches")
)

// Verify checks header against body. It accepts the delivery if any v1 value matches any
// of secrets (pass the old and new secret while rotating on your side) and the timestamp
// is within tolerance of now, in either direction, to allow for clock skew.
func Verify(header string, body []byte, secrets []string, tolerance time.Duration, now time.Time) error {
	ts, sigs, err := parse(header)
	if err != nil {
		return err
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrMalformed
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: signed %s ago", ErrExpired, d.Round(time.Second))
	}
	for _, s := range secrets {
		want := mac(s, ts, body)
		for _, got := range sigs {
			if hmac.Equal([]byte(want), []byte(got)) {
				return nil
			}
		}
	}
	return ErrMismatch
}

func parse(header string) (string, []string, error) {
	var ts string
	var sigs []string
	for _, part := range strings.FieldsFunc(header, func(r rune) bool { return r == ',' || r == ' ' }) {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return "", nil, ErrMalformed
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return "", nil, ErrMalformed
	}
	return ts, sigs, nil
}
