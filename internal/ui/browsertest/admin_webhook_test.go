package browsertest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket-hq/docket"
)

// TestAdminWebhookDelivery: an admin creates a webhook through the dashboard pointing at
// a receiver on loopback, copies the secret shown once, tags a case on its page (the
// event the webhook is sent), and finds the delivery in the webhook's log with the
// request body that reached the receiver and its answer. A reviewer gets the 403 page.
func TestAdminWebhookDelivery(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		var mu sync.Mutex
		var got []string
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			got = append(got, string(body))
			mu.Unlock()
			io.WriteString(w, `{"received":true}`)
		}))
		defer rcv.Close()
		admin := s.user(t, "admin")
		c := s.newCase(t, s.template(t, nil), nil)
		tag := unique("hooked")

		b := s.tab(t)
		b.signIn(admin.Email)
		b.openOK("/admin")
		b.clickOK(`.admin-index a[href="/admin/webhooks"]`)
		b.clickOK(`a[href="/admin/webhooks/new"]`)
		b.fits("new webhook form")
		b.fill("#hook-url", rcv.URL+"/docket")
		b.do("tick case.updated-tags", clickOn(`input[name=event][value="case.updated-tags"]`))
		b.fill("#hook-headers", "X-Receiver: browsertest")
		b.clickOK(`form.webhook-form button[type=submit]`)
		b.wantText("h1", "Webhook created")
		secret := eval[string](b, `document.querySelector("#secret").value`)
		if !strings.HasPrefix(secret, docket.PrefixWebhookSecret+"_") {
			t.Fatalf("the created page shows no secret: %q", secret)
		}
		b.clickOK(`a[href^="/admin/webhooks/wbh_"]`)
		hookPath := b.path()
		t.Cleanup(func() {
			// Archived, the webhook stops taking the shared server's later events.
			id := strings.TrimPrefix(hookPath, "/admin/webhooks/")
			s.store.SetWebhookStatus(ctx, actor, id, docket.WebhookArchived)
		})
		b.wantText(".delivery-log", "Nothing delivered yet")
		if strings.Contains(eval[string](b, `document.documentElement.outerHTML`), secret) {
			t.Fatal("the webhook's page shows the secret again")
		}

		b.openOK("/cases/" + c.ID)
		b.fill("#tag-add", tag)
		b.clickOK(`form[action="/cases/` + c.ID + `/tags/add"] button[type=submit]`)

		// The delivery runs in the background: reload the log until it shows.
		delivered := `[...document.querySelectorAll(".delivery")].some(li => li.textContent.includes("delivered (200)") && li.textContent.includes(` + jsString(tag) + `))`
		deadline := time.Now().Add(stepTimeout)
		for {
			b.openOK(hookPath)
			if eval[bool](b, delivered) {
				break
			}
			if time.Now().After(deadline) {
				b.fail("delivery log", fmt.Errorf("no delivered attempt with the tag %s", tag))
			}
			time.Sleep(200 * time.Millisecond)
		}
		// Other tests' tags may reach this webhook too: mark the attempt about this case.
		eval[bool](b, `(() => { [...document.querySelectorAll(".delivery")].find(li => li.textContent.includes(`+jsString(tag)+`)).id = "mine"; return true })()`)
		b.do("open the request body", clickOn(`#mine details summary`))
		b.wantText("#mine", "case.updated-tags", c.ID, tag)
		b.do("open the response body", clickOn(`#mine details:nth-of-type(2) summary`))
		b.wantText("#mine", `"received": true`)
		mu.Lock()
		received := strings.Join(got, "\n")
		mu.Unlock()
		if !strings.Contains(received, tag) || !strings.Contains(received, c.ID) {
			t.Fatalf("the receiver did not get the tagged case: %s", received)
		}
		b.fits("webhook page")
		b.openOK("/admin/events?object-id=" + c.ID)
		b.wantText(".events", "case.updated-tags", "case.created")
		b.fits("event browser")

		r := s.tab(t)
		r.signIn(s.user(t, "reviewer").Email)
		if st := r.open(hookPath); st != http.StatusForbidden {
			t.Fatalf("a reviewer opened the webhook page: %d", st)
		}
	})
}
