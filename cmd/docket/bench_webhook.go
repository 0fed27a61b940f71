package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/webhook"
	"github.com/docket-hq/docket/internal/worker"
	"github.com/docket-hq/docket/signature"
)

// benchWebhookCmd creates cases at a steady rate with a webhook subscribed to
// case.created, and measures from each event's commit to its receipt by a local receiver.
type benchWebhookCmd struct {
	dbFlags
	Rate     int           `name:"rate" default:"1000" help:"Events per second."`
	Duration time.Duration `name:"duration" default:"10s" help:"How long to produce events."`
}

func (c *benchWebhookCmd) Run(e *env) error {
	s, err := c.open(e)
	if err != nil {
		return err
	}
	defer s.Close()
	var mu sync.Mutex
	received := map[string]time.Duration{}
	var secret string
	var badSig int
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		body, _ := io.ReadAll(r.Body)
		doc, err := decodeEvent(body)
		mu.Lock()
		defer mu.Unlock()
		if err != nil || signature.Verify(r.Header.Get(signature.Header), body, []string{secret}, time.Minute, at) != nil {
			badSig++
		} else if _, dup := received[doc.id]; !dup {
			received[doc.id] = at.Sub(doc.createdAt)
		}
	}))
	defer recv.Close()
	runner, err := worker.New(e.ctx, s, worker.Config{PollInterval: 50 * time.Millisecond, Webhook: webhook.Config{
		AllowPrivate: true, Timeout: 5 * time.Second, RetryBase: time.Second, DisableAfter: 0}}, e.log)
	if err != nil {
		return err
	}
	if err := runner.Start(e.ctx); err != nil {
		return err
	}
	defer runner.Stop(context.Background())
	actor := docket.Actor{Type: docket.ActorSystem, ID: "bench"}
	hook := &docket.Webhook{URL: recv.URL, EnabledEvents: []string{docket.EventCaseCreated}}
	if err := s.CreateWebhook(e.ctx, actor, hook, func(string) bool { return true }); err != nil {
		return err
	}
	mu.Lock()
	secret = hook.Secret
	mu.Unlock()
	defer s.SetWebhookStatus(context.Background(), actor, hook.ID, docket.WebhookArchived)
	b := &bencher{e: e, s: s}
	tmpl, err := b.template()
	if err != nil {
		return err
	}
	sent := c.produce(e, s, tmpl.ID, actor)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(received)
		mu.Unlock()
		if n >= sent {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	lat := make([]time.Duration, 0, len(received))
	for _, d := range received {
		lat = append(lat, d)
	}
	r := result{ok: len(lat), latencies: lat}
	fmt.Fprintf(e.stdout, "store: %s\nwebhooks: %d events at %d/s for %s; %d received with valid signatures (%d bad); event-to-receipt p50 %s, p99 %s, max %s\n",
		storeKind(s.Postgres()), sent, c.Rate, c.Duration, len(received), badSig, r.p(50), r.p(99), r.p(100))
	return nil
}

// produce creates cases at the configured rate, in ticks of 10 ms, and returns how many.
func (c *benchWebhookCmd) produce(e *env, s interface {
	CreateCase(context.Context, docket.Actor, docket.NewCase) (*docket.Case, error)
}, templateID string, actor docket.Actor) int {
	perTick := max(c.Rate/100, 1)
	ticker := time.NewTicker(10 * time.Millisecond)
	defer ticker.Stop()
	end := time.Now().Add(c.Duration)
	var wg sync.WaitGroup
	var mu sync.Mutex
	sent := 0
	for now := range ticker.C {
		if now.After(end) || e.ctx.Err() != nil {
			break
		}
		for range perTick {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.CreateCase(e.ctx, actor, docket.NewCase{TemplateID: templateID}); err == nil {
					mu.Lock()
					sent++
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	return sent
}

func storeKind(pg bool) string {
	if pg {
		return "postgres"
	}
	return "sqlite"
}

type benchEvent struct {
	id        string
	createdAt time.Time
}

// decodeEvent reads the event id and creation time from a delivery body.
func decodeEvent(body []byte) (benchEvent, error) {
	var doc struct {
		Data struct {
			ID         string `json:"id"`
			Attributes struct {
				CreatedAt time.Time `json:"created-at"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return benchEvent{}, err
	}
	return benchEvent{id: doc.Data.ID, createdAt: doc.Data.Attributes.CreatedAt}, nil
}
