package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jobs"
	"github.com/docket-hq/docket/internal/jsonapi"
	"github.com/docket-hq/docket/signature"
)

// Store is what delivery needs from storage.
type Store interface {
	FindDelivery(ctx context.Context, webhookID, eventID string) (*docket.Webhook, *docket.Event, error)
	RecordDelivery(ctx context.Context, d *docket.Delivery, lastAttempt bool, disableAfter int) error
}

// Config tunes delivery.
type Config struct {
	// AllowPrivate lets deliveries reach loopback and private addresses (tests, and
	// installs whose receivers live on the same network).
	AllowPrivate bool
	// Timeout bounds one attempt; a 2xx within it is success.
	Timeout time.Duration
	// RetryBase is the wait before the second attempt; each later wait doubles.
	RetryBase time.Duration
	// DisableAfter disables a webhook after this many events in a row failed every attempt.
	DisableAfter int
}

// DefaultConfig is the delivery policy of the spec: 5 s per attempt, retries after about
// 5 s, 10 s, 20 s ... doubling (docket.WebhookMaxAttempts: 8 attempts, whose 7 waits add
// up to 635 s, about 11 minutes), disabled after 10 failed events.
func DefaultConfig() Config {
	return Config{Timeout: 5 * time.Second, RetryBase: 5 * time.Second, DisableAfter: 10}
}

// maxSnippet bounds the response body kept in the delivery log; maxRead bounds how much
// of a response is read at all.
const (
	maxSnippet = 1024
	maxRead    = 64 << 10
)

// Deliverer is the River worker for webhook deliveries.
type Deliverer struct {
	river.WorkerDefaults[jobs.WebhookDelivery]
	store  Store
	client *http.Client
	cfg    Config
	log    *slog.Logger
}

// NewDeliverer returns a worker delivering with cfg.
func NewDeliverer(s Store, cfg Config, log *slog.Logger) *Deliverer {
	return &Deliverer{store: s, client: NewClient(cfg.AllowPrivate, cfg.Timeout), cfg: cfg, log: log}
}

// JobTimeout bounds one delivery job: the HTTP attempt, then long enough to record its
// outcome.
func (c Config) JobTimeout() time.Duration { return c.Timeout + 10*time.Second }

// Timeout lets an attempt run past the HTTP timeout long enough to record its outcome.
func (d *Deliverer) Timeout(*river.Job[jobs.WebhookDelivery]) time.Duration {
	return d.cfg.JobTimeout()
}

// NextRetry waits RetryBase, then doubles each time, with ±20% jitter so that a recovering
// endpoint is not hit by every retry at once.
func (d *Deliverer) NextRetry(job *river.Job[jobs.WebhookDelivery]) time.Time {
	wait := d.cfg.RetryBase << max(job.Attempt-1, 0)
	jitter := time.Duration((rand.Float64()*0.4 - 0.2) * float64(wait))
	return time.Now().Add(wait + jitter)
}

// Work makes one delivery attempt. Returning an error makes River retry it later.
func (d *Deliverer) Work(ctx context.Context, job *river.Job[jobs.WebhookDelivery]) error {
	w, e, err := d.store.FindDelivery(ctx, job.Args.WebhookID, job.Args.EventID)
	if docket.ErrorCode(err) == docket.ENotFound {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if w.Status != docket.WebhookEnabled {
		// Disabled or archived since the event: the delivery is dropped, not retried.
		return nil
	}
	body, err := jsonapi.WebhookBody(w, e)
	if err != nil {
		return river.JobCancel(fmt.Errorf("render event %s: %w", e.ID, err))
	}
	rec := &docket.Delivery{WebhookID: w.ID, EventID: e.ID, Attempt: job.Attempt, FirstAttemptedAt: firstAttempt(ctx, job)}
	d.post(ctx, w, body, job, rec)
	last := job.Attempt >= job.MaxAttempts
	if err := d.store.RecordDelivery(ctx, rec, last && !rec.Succeeded, d.cfg.DisableAfter); err != nil {
		d.log.ErrorContext(ctx, "record webhook delivery", "webhook_id", w.ID, "event_id", e.ID, "error", err)
	}
	if rec.Succeeded {
		return nil
	}
	return fmt.Errorf("deliver %s to %s: attempt %d: %s", e.ID, w.ID, job.Attempt, failure(rec))
}

// metaFirstAttempt keeps, in the job's metadata, when its first attempt started.
const metaFirstAttempt = "first_attempted_at"

// firstAttempt returns when the job's first attempt started, the same on every attempt.
// The first attempt notes its start in the job's metadata (River saves it with the
// attempt's outcome); later ones read it back. A job whose note was lost (its process died
// mid-attempt) falls back to its first recorded error and notes that instead.
func firstAttempt(ctx context.Context, job *river.Job[jobs.WebhookDelivery]) time.Time {
	var meta struct {
		First time.Time `json:"first_attempted_at"`
	}
	if json.Unmarshal(job.Metadata, &meta) == nil && !meta.First.IsZero() {
		return meta.First
	}
	first := time.Now()
	if job.Attempt > 1 && len(job.Errors) > 0 {
		first = job.Errors[0].At
	}
	first = first.UTC().Truncate(time.Millisecond)
	_ = river.MetadataSet(ctx, metaFirstAttempt, first)
	return first
}

func failure(rec *docket.Delivery) string {
	if rec.Error != "" {
		return rec.Error
	}
	return "HTTP " + strconv.Itoa(rec.StatusCode)
}

// post sends the signed body and fills in the attempt's outcome.
func (d *Deliverer) post(ctx context.Context, w *docket.Webhook, body []byte, job *river.Job[jobs.WebhookDelivery], rec *docket.Delivery) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		rec.Error = err.Error()
		return
	}
	for k, v := range w.CustomHTTPHeaders {
		req.Header.Set(k, v)
	}
	now := time.Now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Docket-Webhooks/1")
	req.Header.Set(signature.Header, signature.Sign(body, now, w.Secrets(now)...))
	req.Header.Set("Persona-Webhook-Attempts-Made", strconv.Itoa(job.Attempt))
	req.Header.Set("Persona-Webhook-Attempts-Left", strconv.Itoa(job.MaxAttempts-job.Attempt))
	req.Header.Set("Persona-Webhook-First-Attempted-At", rec.FirstAttemptedAt.UTC().Format(docket.TimeFormat))
	start := time.Now()
	resp, err := d.client.Do(req)
	rec.LatencyMS = time.Since(start).Milliseconds()
	if err != nil {
		rec.Error = err.Error()
		return
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, maxRead))
	rec.StatusCode = resp.StatusCode
	rec.ResponseSnippet = truncate(snippet, maxSnippet)
	rec.Succeeded = resp.StatusCode >= 200 && resp.StatusCode < 300
}

// truncate cuts b to at most n bytes on a character boundary.
func truncate(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	for len(b) > 0 && !utf8.Valid(b) {
		b = b[:len(b)-1]
	}
	return string(b)
}
