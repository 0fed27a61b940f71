package ui

import (
	"testing"
	"time"
)

// TestWhen pins the words the case page uses for times and SLAs.
func TestWhen(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := now.Add(d); return &x }
	for _, tt := range []struct {
		name, got, want string
	}{
		{"due", slaOf(now, at(3*time.Hour+20*time.Minute+30*time.Second)).Text, "due in 3h 20m"},
		{"due in days", slaOf(now, at(50*time.Hour)).Text, "due in 2d 2h"},
		{"due in seconds", slaOf(now, at(20*time.Second)).Text, "due in 1m"},
		{"breached", slaOf(now, at(-2*time.Hour)).Text, "breached 2h ago"},
		{"breached at once", slaOf(now, at(0)).Text, "breached just now"},
		{"past", whenOf(now, *at(-90 * time.Minute)).Rel, "1h 30m ago"},
		{"days", whenOf(now, *at(-72 * time.Hour)).Rel, "3d ago"},
		{"now", whenOf(now, *at(-10 * time.Second)).Rel, "just now"},
		{"future", whenOf(now, *at(5 * time.Minute)).Rel, "in 5m"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
