package main

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/docket-hq/docket/internal/accesslog"
)

// isAsset reports whether a dashboard request fetches a static asset, which the access
// log leaves out: assets show no data, and a page load fetches several.
func isAsset(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/favicon.ico"
}

// stopAccessLog writes the access log entries still waiting (it is safe to call twice).
func stopAccessLog(e *env, access *accesslog.Recorder) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := access.Stop(ctx); err != nil {
		e.log.Error("stop access log", "error", err)
	}
	if n := access.Dropped(); n > 0 {
		e.log.Warn("access log entries were dropped while serving", "dropped_total", n)
	}
}
