package accesslog_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/accesslog"
)

type discard struct{}

func (discard) InsertAccessLog(context.Context, []*docket.AccessLogEntry) error { return nil }

// BenchmarkHandler measures what recording adds to a request in the request's own
// goroutine (the entry, the route and ids, the queueing), without HTTP or a database:
// "off" is the same handler unwrapped.
func BenchmarkHandler(b *testing.B) {
	rec := accesslog.New(discard{}, quiet(), accesslog.Config{})
	rec.Start(ctx)
	defer rec.Stop(ctx)
	id := docket.NewID(docket.PrefixCase)
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"off", things()}, {"on", rec.Handler(docket.AccessSourceAPI, things(), nil)}} {
		b.Run(tc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/things/"+id, nil)
			req.Header.Set("X-Test-Key", "api_k1")
			for range b.N {
				tc.h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
