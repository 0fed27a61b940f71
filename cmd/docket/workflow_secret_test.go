package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket/internal/storetest"
)

// TestWorkflowSecretsWriteOnly (issue 11, item 6): an https-request step's header values
// (another system's API key) are write-only. Every read shows the mask: the workflow
// through the API, its workflow.* events, the run's record and its workflow-run.*
// events, and what a webhook on * receives; a definition sent back with the mask keeps
// the value, which the step sends.
func TestWorkflowSecretsWriteOnly(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		const secret = "sk_live_docket_test_9f8e7d6c5b4a"
		s := startServerEnv(t, dbURL, webhookEnv())
		hooks := newReceiver(t, nil)
		target := newReceiver(t, nil)
		hookID, _, _ := createWebhook(t, s.base, fmt.Sprintf(`{"url":%q,"enabled-events":["*"]}`, hooks.url))
		hookEvent := eventOf(t, s.base, "webhook.created", hookID)

		def := fmt.Sprintf(`{"trigger":{"type":"api"},"steps":[{"id":"call","type":"action","action":"https-request",
			"params":{"url":%q,"method":"POST","headers":{"Authorization":"Bearer %s","X-Team":"risk"},"body":{"n":1}}}]}`, target.url, secret)
		status, raw := send(t, s.base, "POST", "/api/v1/workflows", `{"data":{"attributes":{"name":"Check","definition":`+def+`}}}`)
		if status != http.StatusCreated || strings.Contains(raw, secret) || !strings.Contains(raw, `"Authorization":"[redacted]"`) {
			t.Fatalf("create: %d\n%s", status, raw)
		}
		var created struct {
			Data struct {
				ID         string `json:"id"`
				Attributes struct {
					Definition json.RawMessage `json:"definition"`
				} `json:"attributes"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(raw), &created); err != nil {
			t.Fatal(err)
		}
		id := created.Data.ID
		// The definition as read, sent back: the masks keep the values.
		status, raw = send(t, s.base, "PATCH", "/api/v1/workflows/"+id,
			`{"data":{"attributes":{"name":"Check again","definition":`+string(created.Data.Attributes.Definition)+`}}}`)
		if status != http.StatusOK || strings.Contains(raw, secret) {
			t.Fatalf("patch back: %d\n%s", status, raw)
		}
		// A mask that stands for nothing is refused, pointing at the header.
		status, raw = send(t, s.base, "PATCH", "/api/v1/workflows/"+id, `{"data":{"attributes":{"definition":{"trigger":{"type":"api"},
			"steps":[{"id":"other","type":"action","action":"https-request","params":{"url":"`+target.url+`","headers":{"Authorization":"[redacted]"}}}]}}}}`)
		if status != http.StatusUnprocessableEntity || !strings.Contains(raw, `"pointer":"/data/attributes/definition/steps/0/params/headers/Authorization"`) {
			t.Fatalf("a mask with no value: %d\n%s", status, raw)
		}
		must(t, 200)(call(t, s.base, "POST", "/api/v1/workflows/"+id+"/publish", ""))
		runID := idOf(t, http.StatusCreated, s.base, "POST", "/api/v1/workflows/"+id+"/trigger", `{"meta":{"input":{}}}`)
		eventually(t, 15*time.Second, func() (bool, string) {
			r := must(t, 200)(call(t, s.base, "GET", "/api/v1/workflow-runs/"+runID, ""))
			return attr(r, "status") == "completed", fmt.Sprintf("run %v", r["attributes"])
		})
		calls := target.all()
		if len(calls) != 1 || calls[0].Header.Get("Authorization") != "Bearer "+secret || calls[0].Header.Get("X-Team") != "risk" {
			t.Fatalf("the step sent %d requests, headers %v", len(calls), calls)
		}

		_, events := allPages(t, s.base, "/api/v1/events?page[size]=100")
		var wanted []string
		for _, e := range events {
			if e > hookEvent {
				wanted = append(wanted, e)
			}
		}
		hooks.waitDelivered(t, wanted, 20*time.Second)
		for _, path := range []string{"/workflows", "/workflows/" + id, "/workflow-runs", "/workflow-runs/" + runID, "/events?page[size]=100"} {
			raw, _ := allPages(t, s.base, "/api/v1"+path)
			if strings.Contains(raw, secret) {
				t.Errorf("GET %s shows the secret:\n%s", path, raw)
			}
			if !strings.Contains(raw, `"Authorization":"[redacted]"`) {
				t.Errorf("GET %s does not show the mask:\n%s", path, raw)
			}
		}
		names := map[string]bool{}
		for _, h := range hooks.all() {
			names[h.Name] = true
			if strings.Contains(string(h.Body), secret) {
				t.Errorf("the webhook received the secret in %s:\n%s", h.Name, h.Body)
			}
		}
		for _, n := range []string{"workflow.created", "workflow.updated", "workflow.published", "workflow-run.created", "workflow-run.completed"} {
			if !names[n] {
				t.Errorf("the webhook never received %s (got %v)", n, names)
			}
		}
		if strings.Contains(s.log(), secret) {
			t.Errorf("the log shows the secret")
		}
	})
}
