package ui_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/storetest"
	"github.com/docket-hq/docket/signature"
)

// TestAdminWebhookSecretShownOnce: creating a webhook answers with its signing secret,
// and no page shows it again: not the list, the webhook's page, its edit form, nor the
// event that records its creation.
func TestAdminWebhookSecretShownOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newHookSite(t, dbURL)
		b := s.browser()
		b.signIn("admin@example.com")
		b.get("/admin/webhooks").want(t, http.StatusOK, "No webhook yet", `href="/admin/webhooks/new"`)
		id, secret := b.createHook(t, url.Values{"url": {"https://hooks.example.com/docket"}, "event": {"case.created", "case.*"},
			"other": {"report.ready"}, "headers": {"Authorization: Bearer receiver-token\nX-Tenant: acme"}, "inflection": {"camel"}})
		hook, err := s.store.FindWebhook(ctx, id)
		noErr(t, err)
		if hook.Secret != secret || strings.Join(hook.EnabledEvents, " ") != "case.created case.* report.ready" ||
			hook.CustomHTTPHeaders["Authorization"] != "Bearer receiver-token" || hook.APIKeyInflection != "camel" {
			t.Fatalf("stored webhook: %+v", hook)
		}
		for _, path := range []string{"/admin/webhooks", "/admin/webhooks/" + id, "/admin/webhooks/" + id + "/edit",
			"/admin/events?name=webhook.created", "/admin/events/" + s.eventOf(docket.EventWebhookCreated, id)} {
			p := b.get(path)
			p.want(t, http.StatusOK, "https://hooks.example.com/docket")
			p.lacks(t, secret)
		}
		// The page names the custom headers but shows their values on the edit form only.
		b.get("/admin/webhooks/"+id).want(t, http.StatusOK, "<code>Authorization</code>", "<code>case.*</code>", "camel")
		b.get("/admin/webhooks/"+id).lacks(t, "receiver-token")
		b.get("/admin/webhooks/"+id+"/edit").want(t, http.StatusOK, "Authorization: Bearer receiver-token",
			`value="case.created" checked`, `value="case.*" checked`, `value="report.ready"`)
	})
}

// TestAdminWebhookFormErrors: the store's validation messages show beside the input
// they are about, what was typed stays, and nothing is written.
func TestAdminWebhookFormErrors(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newHookSite(t, dbURL)
		b := s.browser()
		b.signIn("admin@example.com")
		ok := url.Values{"url": {"https://hooks.example.com/x"}, "event": {"case.created"}, "inflection": {"kebab"}}
		with := func(k, v string) url.Values {
			f := url.Values{}
			for key, vs := range ok {
				f[key] = append([]string(nil), vs...)
			}
			f.Set(k, v)
			return f
		}
		for _, tc := range []struct {
			name, input, value string
			errID, msg, keeps  string
		}{
			{"no events", "event", "", "hook-events-error", "List at least one event name", `value="https://hooks.example.com/x"`},
			{"not a URL", "url", "ftp://example.com/x", "hook-url-error", "Url must be an absolute https URL", `value="ftp://example.com/x"`},
			{"http elsewhere", "url", "http://example.com/x", "hook-url-error", "not allowed http to example.com", `value="http://example.com/x"`},
			{"header line", "headers", "X-Ok: 1\nno colon here", "hook-headers-error", "Line 2: write each header as Name: value", "no colon here"},
			{"reserved header", "headers", "Host: evil.example.com", "hook-headers-error", "&#34;Host&#34; cannot be sent as a custom header", "evil.example.com"},
			{"bad inflection", "inflection", "pascal", "hook-inflection-error", "must be kebab, camel or snake", `value="case.created" checked`},
			{"long event name", "other", strings.Repeat("x", 101), "hook-events-error", "is not an event name", strings.Repeat("x", 101)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := b.post("/admin/webhooks/new", "/admin/webhooks", with(tc.input, tc.value))
				p.want(t, http.StatusUnprocessableEntity, `id="`+tc.errID+`"`, tc.msg, tc.keeps)
			})
		}
		list, _, err := s.store.ListWebhooks(ctx, docket.Page{Size: 10})
		noErr(t, err)
		if len(list) != 0 {
			t.Fatalf("refused forms wrote %d webhooks", len(list))
		}
		// Editing refuses the same way and keeps the stored settings.
		id, _ := b.createHook(t, ok)
		p := b.post("/admin/webhooks/"+id+"/edit", "/admin/webhooks/"+id+"/edit", with("url", "ftp://example.com/y"))
		p.want(t, http.StatusUnprocessableEntity, `id="hook-url-error"`, `value="ftp://example.com/y"`)
		if hook, _ := s.store.FindWebhook(ctx, id); hook.URL == "ftp://example.com/y" {
			t.Fatal("a refused edit was saved")
		}
		p = b.follow(b.post("/admin/webhooks/"+id+"/edit", "/admin/webhooks/"+id+"/edit", with("url", "https://hooks.example.com/new")))
		p.want(t, http.StatusOK, "The webhook to https://hooks.example.com/new is saved.")
	})
}

// TestAdminWebhookDeliveryLog: an event reaches the endpoint, and the webhook's page
// logs the attempt with its status, the request body that was sent and the answer;
// redelivering sends the event again and logs the new attempt.
func TestAdminWebhookDeliveryLog(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newHookSite(t, dbURL)
		rc := newReceiver(t)
		b := s.browser()
		b.signIn("admin@example.com")
		id, secret := b.createHook(t, url.Values{"url": {rc.url}, "event": {"case.created"}, "inflection": {"kebab"}})
		b.get("/admin/webhooks/"+id).want(t, http.StatusOK, "Nothing delivered yet")

		c := s.kase(s.template("KYC", "KYC"), 0, "")
		ev := s.eventOf(docket.EventCaseCreated, c.ID)
		eventually(t, "the delivery is logged", func() bool {
			return strings.Contains(b.get("/admin/webhooks/"+id).body, "delivered (200)")
		})
		hits := rc.of(ev)
		if len(hits) != 1 {
			t.Fatalf("the receiver got %d requests for %s", len(hits), ev)
		}
		if err := signature.Verify(hits[0].Signature, hits[0].Body, []string{secret}, time.Minute, time.Now()); err != nil {
			t.Fatalf("signature: %v", err)
		}
		p := b.get("/admin/webhooks/" + id)
		p.want(t, http.StatusOK, "attempt 1", " ms", `href="/admin/events/`+ev+`"`, "Request body", "Response body",
			html.EscapeString(`"id": "`+c.ID+`"`), html.EscapeString(`"thanks": "<got it>"`))
		// The list says how the last delivery went.
		b.get("/admin/webhooks").want(t, http.StatusOK, "delivered (200)", "<code>case.created</code>")

		p = b.follow(b.post("/admin/webhooks/"+id, "/admin/webhooks/"+id+"/deliveries/"+deliveryID(t, p.body)+"/redeliver", url.Values{}))
		p.want(t, http.StatusOK, "queued for delivery again")
		eventually(t, "the redelivery reaches the endpoint and the log", func() bool {
			return len(rc.of(ev)) == 2 && strings.Count(b.get("/admin/webhooks/"+id).body, "delivered (200)") == 2
		})
	})
}

// deliveryID returns the first delivery id in a page's redeliver forms.
func deliveryID(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, "/deliveries/")
	id, _, _ := strings.Cut(rest, "/redeliver")
	if !ok || !docket.ValidID(docket.PrefixDelivery, id) {
		t.Fatalf("no redeliver form on the page:\n%s", body)
	}
	return id
}

// TestAdminWebhookRotateAndStatus: rotating shows the new secret once and both sign for
// the grace period; disable, enable and archive change the status, archiving only with
// its confirming tick, and an archived webhook can no longer change.
func TestAdminWebhookRotateAndStatus(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newHookSite(t, dbURL)
		rc := newReceiver(t)
		b := s.browser()
		b.signIn("admin@example.com")
		id, old := b.createHook(t, url.Values{"url": {rc.url}, "event": {"case.created"}, "inflection": {"kebab"}})
		page := "/admin/webhooks/" + id

		for _, bad := range []string{"-1", "721", "soon"} {
			b.post(page, page+"/rotate-secret", url.Values{"grace-hours": {bad}}).
				want(t, http.StatusUnprocessableEntity, `id="grace-error"`, "from 0 to 720")
		}
		p := b.post(page, page+"/rotate-secret", url.Values{"grace-hours": {"2"}})
		p.want(t, http.StatusOK, "New signing secret", "The old secret keeps signing beside this one until")
		m := secretRe.FindStringSubmatch(p.body)
		if m == nil || m[1] == old {
			t.Fatalf("rotation shows no new secret:\n%s", p.body)
		}
		b.get(page).want(t, http.StatusOK, "Old secret signs until", "in 2h")
		b.get(page).lacks(t, m[1], old)
		c := s.kase(s.template("KYC", "KYC"), 0, "")
		ev := s.eventOf(docket.EventCaseCreated, c.ID)
		eventually(t, "a delivery after the rotation", func() bool { return len(rc.of(ev)) > 0 })
		h := rc.of(ev)[0]
		for _, secret := range []string{m[1], old} {
			if err := signature.Verify(h.Signature, h.Body, []string{secret}, time.Minute, time.Now()); err != nil {
				t.Errorf("during the grace period a delivery must verify with each secret: %v", err)
			}
		}

		eventually(t, "the delivery is logged", func() bool {
			list, _, err := s.store.ListDeliveries(ctx, id, docket.Page{Size: 1})
			return err == nil && len(list) > 0
		})
		steps := []struct {
			name, action string
			form         url.Values
			status       int
			want         string
			stored       string
		}{
			{"disable", "/disable", url.Values{}, http.StatusOK, "is disabled.", docket.WebhookDisabled},
			{"redeliver while disabled", "/deliveries/" + deliveryIDOf(t, s, id) + "/redeliver", url.Values{}, http.StatusConflict, "enable it before redelivering", docket.WebhookDisabled},
			{"enable", "/enable", url.Values{}, http.StatusOK, "is enabled.", docket.WebhookEnabled},
			{"archive without the tick", "/archive", url.Values{}, http.StatusUnprocessableEntity, "Tick the box to confirm", docket.WebhookEnabled},
			{"archive", "/archive", url.Values{"confirm": {"yes"}}, http.StatusOK, "is archived.", docket.WebhookArchived},
			{"enable an archived one", "/enable", url.Values{}, http.StatusConflict, "is archived", docket.WebhookArchived},
			{"rotate an archived one", "/rotate-secret", url.Values{"grace-hours": {"1"}}, http.StatusConflict, "is archived", docket.WebhookArchived},
			{"edit an archived one", "/edit", url.Values{"url": {rc.url}, "event": {"*"}, "inflection": {"kebab"}}, http.StatusConflict, "is archived", docket.WebhookArchived},
		}
		for _, st := range steps {
			p := b.post(page, page+st.action, st.form)
			if p.status == http.StatusSeeOther {
				p = b.follow(p)
			}
			p.want(t, st.status, st.want)
			if hook, _ := s.store.FindWebhook(ctx, id); hook.Status != st.stored {
				t.Fatalf("%s: status %s, want %s", st.name, hook.Status, st.stored)
			}
		}
		b.get(page).lacks(t, `action="/admin/webhooks/`+id+`/disable"`, `href="/admin/webhooks/`+id+`/edit"`)
		b.get(page+"/edit").want(t, http.StatusConflict, "archived")
	})
}

// deliveryIDOf returns the newest delivery of a webhook.
func deliveryIDOf(t *testing.T, s *site, hookID string) string {
	t.Helper()
	list, _, err := s.store.ListDeliveries(ctx, hookID, docket.Page{Size: 1})
	noErr(t, err)
	if len(list) == 0 {
		t.Fatalf("webhook %s has no delivery", hookID)
	}
	return list[0].ID
}

// TestAdminWebhookReviewerRefused: a reviewer gets the 403 page on every webhook page
// and on forms posted by hand, which change nothing.
func TestAdminWebhookReviewerRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newHookSite(t, dbURL)
		hook := &docket.Webhook{URL: "https://hooks.example.com/x", EnabledEvents: []string{"*"}}
		noErr(t, s.store.CreateWebhook(ctx, sysActor, hook, nil))
		b := s.browser()
		b.signIn("rita@example.com")
		page := "/admin/webhooks/" + hook.ID
		for _, path := range []string{"/admin/webhooks", "/admin/webhooks/new", page, page + "/edit"} {
			b.get(path).want(t, http.StatusForbidden, "a user with the reviewer role may not manage webhooks")
		}
		for _, tc := range []struct {
			action string
			form   url.Values
		}{
			{"/admin/webhooks", url.Values{"url": {"https://evil.example.com"}, "event": {"*"}, "inflection": {"kebab"}}},
			{page + "/edit", url.Values{"url": {"https://evil.example.com"}, "event": {"*"}, "inflection": {"kebab"}}},
			{page + "/disable", url.Values{}},
			{page + "/archive", url.Values{"confirm": {"yes"}}},
			{page + "/rotate-secret", url.Values{"grace-hours": {"0"}}},
			{page + "/deliveries/wbhdlv_01h455vb4pex5vsknk084sn02q/redeliver", url.Values{}},
		} {
			p := b.post("/", tc.action, tc.form)
			p.want(t, http.StatusForbidden, "Not allowed")
			p.lacks(t, hook.Secret)
		}
		got, err := s.store.FindWebhook(ctx, hook.ID)
		noErr(t, err)
		if got.URL != hook.URL || got.Status != docket.WebhookEnabled || got.Secret != hook.Secret {
			t.Fatalf("a refused form changed the webhook: %+v", got)
		}
		if list, _, _ := s.store.ListWebhooks(ctx, docket.Page{Size: 10}); len(list) != 1 {
			t.Fatalf("a refused form created a webhook: %d", len(list))
		}
	})
}

// TestAdminWebhookLogHidesHiddenCases: an attempt about a case of a template hidden from
// the admin's role is listed with its outcome, but neither the body sent nor the answer
// (which may echo it) is shown, as the API's delivery list does.
func TestAdminWebhookLogHidesHiddenCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dbURL string) {
		t.Parallel()
		s := newSite(t, dbURL, nil)
		s.user("admin@example.com", docket.RoleAdmin)
		hook := &docket.Webhook{URL: "https://hooks.example.com/x", EnabledEvents: []string{"*"}}
		noErr(t, s.store.CreateWebhook(ctx, sysActor, hook, nil))
		hidden := s.kase(s.template("SAR", "SAR", docket.RoleManager), 0, "")
		d := &docket.Delivery{WebhookID: hook.ID, EventID: s.eventOf(docket.EventCaseCreated, hidden.ID), Attempt: 1,
			Succeeded: true, StatusCode: 200, ResponseSnippet: "echo " + hidden.ID, FirstAttemptedAt: time.Now()}
		noErr(t, s.store.RecordDelivery(ctx, d, false, 0))
		b := s.browser()
		b.signIn("admin@example.com")
		p := b.get("/admin/webhooks/" + hook.ID)
		p.want(t, http.StatusOK, "delivered (200)", "The bodies are not shown")
		p.lacks(t, hidden.ID, "Request body")
	})
}
