package docket

import (
	"testing"
	"time"
)

func TestParseAPIKeyExpiry(t *testing.T) {
	tests := []struct {
		in, want string // want "" is no expiry; "!" is refused
	}{
		{"", ""},
		{"  ", ""},
		{"2026-06-30", "2026-07-01T00:00:00.000Z"}, // works through the day, UTC
		{"2026-06-30T12:00:00+02:00", "2026-06-30T10:00:00.000Z"},
		{"2026-06-30T12:00:00.123456Z", "2026-06-30T12:00:00.123Z"},
		{"tomorrow", "!"},
		{"30/06/2026", "!"},
	}
	for _, tt := range tests {
		got, err := ParseAPIKeyExpiry(tt.in)
		switch {
		case tt.want == "!":
			if f, _ := ErrorField(err); f != "expires-at" {
				t.Errorf("%q: want an error on expires-at, got %v", tt.in, err)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.want == "" && got != nil, tt.want != "" && (got == nil || got.Format(TimeFormat) != tt.want):
			t.Errorf("%q: got %v, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAPIKeyUse(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	tests := []struct {
		name             string
		key              APIKey
		expired, touched bool
	}{
		{"never used, no expiry", APIKey{}, false, true},
		{"used just now", APIKey{LastUsedAt: at(-time.Second)}, false, false},
		{"used a minute ago", APIKey{LastUsedAt: at(-APIKeyTouchEvery)}, false, true},
		{"expires later", APIKey{ExpiresAt: at(time.Second)}, false, true},
		{"expires now", APIKey{ExpiresAt: at(0)}, true, true},
	}
	for _, tt := range tests {
		if got := tt.key.Expired(now); got != tt.expired {
			t.Errorf("%s: expired %v", tt.name, got)
		}
		if got := tt.key.NeedsTouch(now); got != tt.touched {
			t.Errorf("%s: needs touch %v", tt.name, got)
		}
	}
}
