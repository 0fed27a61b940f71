package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/docket-hq/docket/internal/metrics"
	"github.com/docket-hq/docket/internal/store"
)

// metricsFlags choose where Prometheus metrics are served, if anywhere.
type metricsFlags struct {
	Metrics     bool   `name:"metrics" env:"DOCKET_METRICS" help:"Serve Prometheus metrics at /metrics on the main address (unauthenticated: keep that address private, or use --metrics-addr)."`
	MetricsAddr string `name:"metrics-addr" env:"DOCKET_METRICS_ADDR" help:"Serve Prometheus metrics at /metrics on this address of their own (such as 127.0.0.1:9090)."`
}

// metrics starts counting when metrics are asked for (nil otherwise): it hooks the
// counters onto the store's commits and scrape-time reads, and serves them on
// --metrics-addr if given. The returned function stops that listener.
func (f metricsFlags) metrics(e *env, s *store.Store) (*metrics.Metrics, func(), error) {
	if !f.Metrics && f.MetricsAddr == "" {
		return nil, func() {}, nil
	}
	m := metrics.New()
	s.OnCommit(m.Committed)
	if err := m.WatchStore(s); err != nil {
		return nil, nil, fmt.Errorf("metrics: %w", err)
	}
	if f.MetricsAddr == "" {
		return m, func() {}, nil
	}
	ln, err := net.Listen("tcp", f.MetricsAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen on --metrics-addr %s: %w", f.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Error("metrics listener", "error", err)
		}
	}()
	e.log.Info("serving metrics", "url", "http://"+ln.Addr().String()+"/metrics")
	return m, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}
