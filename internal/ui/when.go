package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// when is a moment shown relative to now ("3h ago") with the absolute time beside it
// (in the title attribute and the datetime attribute; see the "when" partial).
type when struct {
	At  time.Time
	Rel string
}

func whenOf(now, t time.Time) when { return when{At: t, Rel: relative(now, t)} }

// relative says how far t is from now in words a reviewer reads at a glance.
func relative(now, t time.Time) string {
	d := t.Sub(now)
	switch {
	case d > -time.Minute && d < time.Minute:
		return "just now"
	case d < 0:
		return span(-d) + " ago"
	}
	return "in " + span(d)
}

// span writes a duration in its two largest units: "2d 4h", "3h 20m", "45m".
func span(d time.Duration) string {
	d = d.Truncate(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d/time.Hour)%24, int(d/time.Minute)%60
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%dd %dh", days, hours)
	case days > 0:
		return fmt.Sprintf("%dd", days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("%dh %dm", hours, mins)
	case hours > 0:
		return fmt.Sprintf("%dh", hours)
	}
	return fmt.Sprintf("%dm", max(mins, 1))
}

// sla is a case's SLA as a countdown: "due in 3h 20m", or plainly "breached 2h ago".
type sla struct {
	At       *time.Time
	Text     string
	Breached bool
}

func slaOf(now time.Time, expires *time.Time) sla {
	if expires == nil {
		return sla{Text: "No SLA"}
	}
	if !now.Before(*expires) {
		if now.Sub(*expires) < time.Minute {
			return sla{At: expires, Text: "breached just now", Breached: true}
		}
		return sla{At: expires, Text: "breached " + span(now.Sub(*expires)) + " ago", Breached: true}
	}
	return sla{At: expires, Text: "due in " + span(expires.Sub(now))}
}

// capped writes a count that was counted up to limit: "1,000+" when it reached it.
func capped(n, limit int) string {
	if n >= limit {
		return grouped(limit) + "+"
	}
	return grouped(n)
}

// grouped writes n with thousands separators: 12,345.
func grouped(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plural picks the word for a count: plural(1, "case", "cases").
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
