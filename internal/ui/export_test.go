package ui

import (
	"net/http"
	"time"
)

func init() {
	// Tests compare counts, so they must never be cut short by a busy machine; the
	// budget's own test sets it per handler.
	caseListCountBudget = time.Hour
}

// SetCountBudget sets how long the case list's tab counts of the dashboard handler h may
// take.
func SetCountBudget(h http.Handler, d time.Duration) { h.(*Handler).SetCountBudget(d) }
