package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/docket-hq/docket"
)

// IdempotencyStore keeps the first response to each Idempotency-Key.
type IdempotencyStore interface {
	ReserveIdempotencyKey(ctx context.Context, apiKeyID, key, requestHash string) (*docket.StoredResponse, error)
	RenewIdempotencyKey(ctx context.Context, apiKeyID, key string) error
	CompleteIdempotencyKey(ctx context.Context, apiKeyID, key string, status int, body []byte) error
	ReleaseIdempotencyKey(ctx context.Context, apiKeyID, key string) error
}

// maxIdempotencyKey bounds the header's length.
const maxIdempotencyKey = 255

// idempotent serves a POST at most once per key: the first response (status and body) is
// stored and replayed for 24 hours; the same key with a different request is refused.
// A request that fails with a 5xx releases its key so the client can retry it. While the
// request runs, its reservation's lease is renewed: if this process dies, the lease runs
// out and the client's retry runs the request again instead of being locked out.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, keyID, ik string, body []byte, run func(http.ResponseWriter)) {
	if len(ik) > maxIdempotencyKey || !validText(ik) {
		writeError(w, r, s.log, badParam("Idempotency-Key", "Idempotency-Key must be UTF-8 text of at most %d bytes", maxIdempotencyKey))
		return
	}
	sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.RequestURI()+"\n"), body...))
	hash := hex.EncodeToString(sum[:])
	prior, err := s.store.ReserveIdempotencyKey(r.Context(), keyID, ik, hash)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if prior != nil {
		switch {
		case prior.RequestHash != hash:
			writeError(w, r, s.log, docket.Errorf(docket.EInvalid, "Idempotency-Key %q was already used with a different request", ik))
		case prior.Status == 0:
			writeError(w, r, s.log, docket.Errorf(docket.EConflict, "a request with Idempotency-Key %q is still in progress", ik))
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prior.Status)
			w.Write(prior.Body)
		}
		return
	}
	// The request's own context may be cancelled by now; the outcome must still be kept.
	ctx := context.WithoutCancel(r.Context())
	stopRenewing := s.renewLease(ctx, w.Header().Get("Request-Id"), keyID, ik)
	defer func() {
		// A panicking handler is answered with a 500 by ServeHTTP: release the key so that
		// the client can retry, instead of being told for 24 hours that it is in progress.
		if v := recover(); v != nil {
			stopRenewing()
			if err := s.store.ReleaseIdempotencyKey(ctx, keyID, ik); err != nil {
				s.log.ErrorContext(ctx, "release idempotency key", "request_id", w.Header().Get("Request-Id"), "error", err)
			}
			panic(v)
		}
	}()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	run(rec)
	stopRenewing()
	if rec.status >= 500 {
		err = s.store.ReleaseIdempotencyKey(ctx, keyID, ik)
	} else {
		err = s.store.CompleteIdempotencyKey(ctx, keyID, ik, rec.status, rec.buf.Bytes())
	}
	if err != nil {
		s.log.ErrorContext(ctx, "store idempotent response", "request_id", w.Header().Get("Request-Id"), "error", err)
	}
}

// renewLease renews a reservation's lease every third of docket.IdempotencyLease until
// the returned function is called (which waits for a renewal under way to finish).
func (s *Server) renewLease(ctx context.Context, requestID, keyID, ik string) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(docket.IdempotencyLease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := s.store.RenewIdempotencyKey(ctx, keyID, ik); err != nil {
					s.log.WarnContext(ctx, "renew idempotency key", "request_id", requestID, "error", err)
				}
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(done) })
		<-finished
	}
}

// recorder copies a response as it is written.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}
