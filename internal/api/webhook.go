package api

import (
	"net/http"
	"time"

	"github.com/docket-hq/docket"
	"github.com/docket-hq/docket/internal/jsonapi"
)

var webhookAttrs = []string{"url", "enabled-events", "api-key-inflection", "api-attributes-blocklist", "custom-http-headers",
	"api-version", "payload-filter"}

// readWebhookInput decodes the attributes a create or update may carry.
func readWebhookInput(g getter) (docket.WebhookUpdate, error) {
	var u docket.WebhookUpdate
	if err := g.onlyKeys(webhookAttrs...); err != nil {
		return u, err
	}
	if err := checkHostedWebhookAttrs(g); err != nil {
		return u, err
	}
	if g.has("url") {
		v, err := g.str("url")
		if err != nil {
			return u, err
		}
		u.URL = &v
	}
	if g.has("api-key-inflection") {
		v, err := g.str("api-key-inflection")
		if err != nil {
			return u, err
		}
		u.APIKeyInflection = &v
	}
	for key, dst := range map[string]**[]string{"enabled-events": &u.EnabledEvents, "api-attributes-blocklist": &u.APIAttributesBlocklist} {
		if g.has(key) {
			v, err := g.strList(key)
			if err != nil {
				return u, err
			}
			*dst = &v
		}
	}
	if g.has("custom-http-headers") {
		headers := map[string]string{}
		if err := g.into("custom-http-headers", &headers); err != nil {
			return u, err
		}
		u.CustomHTTPHeaders = &headers
	}
	return u, nil
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	u, err := readWebhookInput(getter{b.attrs, "/data/attributes"})
	if err != nil {
		return err
	}
	hook := &docket.Webhook{}
	if u.URL != nil {
		hook.URL = *u.URL
	}
	if u.EnabledEvents != nil {
		hook.EnabledEvents = *u.EnabledEvents
	}
	if u.APIKeyInflection != nil {
		hook.APIKeyInflection = *u.APIKeyInflection
	}
	if u.APIAttributesBlocklist != nil {
		hook.APIAttributesBlocklist = *u.APIAttributesBlocklist
	}
	if u.CustomHTTPHeaders != nil {
		hook.CustomHTTPHeaders = *u.CustomHTTPHeaders
	}
	if err := s.store.CreateWebhook(r.Context(), actor(r), hook, s.cfg.AllowHTTP); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusCreated, obj{"data": jsonapi.Webhook(hook, true)})
	return nil
}

func (s *Server) updateWebhook(w http.ResponseWriter, r *http.Request) error {
	b, err := readAttributes(r)
	if err != nil {
		return err
	}
	u, err := readWebhookInput(getter{b.attrs, "/data/attributes"})
	if err != nil {
		return err
	}
	hook, err := s.store.UpdateWebhook(r.Context(), actor(r), r.PathValue("id"), u, s.cfg.AllowHTTP)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Webhook(hook, false)})
	return nil
}

func (s *Server) getWebhook(w http.ResponseWriter, r *http.Request) error {
	hook, err := s.store.FindWebhook(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Webhook(hook, false)})
	return nil
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixWebhook)
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListWebhooks(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, listOf(r, list, pr, func(x *docket.Webhook) obj { return jsonapi.Webhook(x, false) }))
	return nil
}

// setWebhookStatus serves enable, disable and archive.
func (s *Server) setWebhookStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := noBody(r); err != nil {
			return err
		}
		hook, err := s.store.SetWebhookStatus(r.Context(), actor(r), r.PathValue("id"), status)
		if err != nil {
			return err
		}
		writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Webhook(hook, false)})
		return nil
	}
}

// checkHostedWebhookAttrs accepts the hosted API's api-version and payload-filter as far
// as Docket honours them: the one API version it speaks, and no payload filter (an
// empty one), so that a client sending the hosted defaults works and one relying on a
// filter hears that it would not apply.
func checkHostedWebhookAttrs(g getter) error {
	v, err := g.nullableStr("api-version")
	if err != nil {
		return err
	}
	if v != nil && *v != jsonapi.HostedAPIVersion {
		return invalidPointer(g.ptr("api-version"), "api-version must be %s, the hosted API version Docket's API follows", jsonapi.HostedAPIVersion)
	}
	f, err := g.object("payload-filter")
	if err != nil {
		return err
	}
	if !emptyFilter(f) {
		return invalidPointer(g.ptr("payload-filter"), "Docket does not filter deliveries by payload: payload-filter must be empty ({}); choose events with enabled-events")
	}
	return nil
}

// emptyFilter reports whether a payload filter filters nothing: {} or {"data": {}}.
func emptyFilter(f obj) bool {
	v, has := f["data"]
	data, isObject := v.(obj)
	switch len(f) {
	case 0:
		return true
	case 1:
		return has && (v == nil || (isObject && len(data) == 0))
	}
	return false
}

// rotateWebhookSecret issues a new secret (shown once); the old one keeps signing for
// meta.expires-in-seconds, as the hosted API names it, or meta.grace-period-seconds,
// Docket's earlier name (default: the server's setting, 24 h).
func (s *Server) rotateWebhookSecret(w http.ResponseWriter, r *http.Request) error {
	b, err := readMeta(r, "expires-in-seconds", "grace-period-seconds")
	if err != nil {
		return err
	}
	m := getter{b.meta, "/meta"}
	grace := s.cfg.SecretGrace
	key := "expires-in-seconds"
	if m.has("grace-period-seconds") {
		if m.has(key) {
			return invalidPointer("/meta/grace-period-seconds", "grace-period-seconds is another name for expires-in-seconds: send one of them")
		}
		key = "grace-period-seconds"
	}
	secs, err := m.int64Ptr(key)
	if err != nil {
		return err
	}
	if secs != nil {
		if *secs < 0 || *secs > 30*24*3600 {
			return invalidPointer("/meta/"+key, "%s must be from 0 to 2592000 (30 days)", key)
		}
		grace = time.Duration(*secs) * time.Second
	}
	hook, err := s.store.RotateWebhookSecret(r.Context(), actor(r), r.PathValue("id"), grace)
	if err != nil {
		return err
	}
	writeJSON(w, r, http.StatusOK, obj{"data": jsonapi.Webhook(hook, true)})
	return nil
}

// listDeliveries lists a webhook's attempts, each with the request body it sent, rebuilt
// from the event as it reads now (a redacted event's body is redacted too).
func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r, docket.PrefixDelivery)
	if err != nil {
		return err
	}
	hook, err := s.store.FindWebhook(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	list, pr, err := s.store.ListDeliveries(r.Context(), hook.ID, p)
	if err != nil {
		return err
	}
	vis, err := s.visibility(r)
	if err != nil {
		return err
	}
	events, err := docket.DeliveryEvents(r.Context(), s.store, list, vis)
	if err != nil {
		return err
	}
	data, ids := make([]any, len(list)), make([]string, len(list))
	for i, d := range list {
		var body []byte
		if e := events[d.EventID]; e != nil {
			if body, err = jsonapi.WebhookBody(hook, e); err != nil {
				return err
			}
		}
		data[i], ids[i] = jsonapi.Delivery(d, body), d.ID
	}
	writeJSON(w, r, http.StatusOK, listDoc(r, data, ids, pr))
	return nil
}

func (s *Server) redeliver(w http.ResponseWriter, r *http.Request) error {
	if err := noBody(r); err != nil {
		return err
	}
	if err := s.store.Redeliver(r.Context(), r.PathValue("id"), r.PathValue("delivery")); err != nil {
		return err
	}
	writeJSON(w, r, http.StatusAccepted, obj{"meta": obj{"queued": true}})
	return nil
}
