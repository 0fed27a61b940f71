package signature

import (
	"errors"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	body := []byte(`{"data":{"type":"event"}}`)
	now := time.Unix(1_800_000_000, 0)
	rotating := Sign(body, now, "new", "old")
	tests := []struct {
		name    string
		header  string
		body    []byte
		secrets []string
		now     time.Time
		want    error
	}{
		{"current secret", Sign(body, now, "s1"), body, []string{"s1"}, now, nil},
		{"receiver still on the old secret during rotation", rotating, body, []string{"old"}, now, nil},
		{"receiver already on the new secret", rotating, body, []string{"new"}, now, nil},
		{"receiver holds both while rotating", Sign(body, now, "new"), body, []string{"old", "new"}, now, nil},
		{"clock skew within tolerance, receiver behind", Sign(body, now, "s1"), body, []string{"s1"}, now.Add(-4 * time.Minute), nil},
		{"clock skew within tolerance, receiver ahead", Sign(body, now, "s1"), body, []string{"s1"}, now.Add(4 * time.Minute), nil},
		{"replayed too late", Sign(body, now, "s1"), body, []string{"s1"}, now.Add(6 * time.Minute), ErrExpired},
		{"tampered body", Sign(body, now, "s1"), []byte(`{"data":{}}`), []string{"s1"}, now, ErrMismatch},
		{"wrong secret", Sign(body, now, "s1"), body, []string{"s2"}, now, ErrMismatch},
		{"no v1", "t=1800000000", body, []string{"s1"}, now, ErrMalformed},
		{"garbage", "nonsense", body, []string{"s1"}, now, ErrMalformed},
		{"empty", "", body, []string{"s1"}, now, ErrMalformed},
		{"non-numeric time", "t=abc,v1=00", body, []string{"s1"}, now, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.header, tt.body, tt.secrets, 5*time.Minute, tt.now)
			if !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSignFormat(t *testing.T) {
	got := Sign([]byte("x"), time.Unix(10, 0), "a", "b")
	// Two v1 values, space separated, after the timestamp.
	if len(got) != len("t=10,v1=")+64+len(" v1=")+64 {
		t.Fatalf("unexpected header %q", got)
	}
}
