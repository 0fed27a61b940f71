package ui

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/docket-hq/docket"
)

// webhookForm is the create and edit form of a webhook, as shown and as submitted.
type webhookForm struct {
	// ID is the webhook being edited; "" on the create form.
	ID  string
	URL string
	// Events holds the picked event names and globs; Other the enabled events that are
	// none of the offered ones, space-separated.
	Events                         map[string]bool
	Other                          string
	Inflection, Blocklist, Headers string
	Groups                         []eventGroup
}

// eventGroup is the event names about one type of object, offered together with the
// glob that takes them all ("case.*").
type eventGroup struct {
	Type, Glob string
	Names      []string
}

// eventGroups groups docket.EventNames by object type.
func eventGroups() []eventGroup {
	var out []eventGroup
	for _, n := range docket.EventNames() {
		t := docket.EventObjectType(n)
		if len(out) == 0 || out[len(out)-1].Type != t {
			out = append(out, eventGroup{Type: t, Glob: t + ".*"})
		}
		out[len(out)-1].Names = append(out[len(out)-1].Names, n)
	}
	return out
}

// offeredEvent reports whether the form has a checkbox for an enabled event.
func offeredEvent(e string, groups []eventGroup) bool {
	if e == "*" {
		return true
	}
	for _, g := range groups {
		if e == g.Glob || slices.Contains(g.Names, e) {
			return true
		}
	}
	return false
}

// webhookFormOf fills the edit form from a stored webhook.
func webhookFormOf(w *docket.Webhook) *webhookForm {
	f := &webhookForm{ID: w.ID, URL: w.URL, Events: map[string]bool{}, Inflection: w.APIKeyInflection,
		Blocklist: strings.Join(w.APIAttributesBlocklist, "\n"), Groups: eventGroups()}
	var other []string
	for _, e := range w.EnabledEvents {
		if offeredEvent(e, f.Groups) {
			f.Events[e] = true
		} else {
			other = append(other, e)
		}
	}
	f.Other = strings.Join(other, " ")
	names := make([]string, 0, len(w.CustomHTTPHeaders))
	for k := range w.CustomHTTPHeaders {
		names = append(names, k)
	}
	sort.Strings(names)
	lines := make([]string, len(names))
	for i, k := range names {
		lines[i] = k + ": " + w.CustomHTTPHeaders[k]
	}
	f.Headers = strings.Join(lines, "\n")
	return f
}

// readWebhookForm reads a submitted form into the update the API's PATCH would make
// (every attribute set). A header line that is not "Name: value" is refused here, as
// the API refuses a body that is not JSON; everything else the store validates.
func readWebhookForm(r *http.Request) (*webhookForm, docket.WebhookUpdate, error) {
	f := &webhookForm{URL: strings.TrimSpace(r.PostFormValue("url")), Events: map[string]bool{}, Other: r.PostFormValue("other"),
		Inflection: r.PostFormValue("inflection"), Blocklist: r.PostFormValue("blocklist"), Headers: r.PostFormValue("headers"),
		Groups: eventGroups()}
	events := []string{}
	for _, e := range r.PostForm["event"] {
		if offeredEvent(e, f.Groups) && !f.Events[e] {
			f.Events[e] = true
			events = append(events, e)
		}
	}
	for _, e := range strings.Fields(strings.ReplaceAll(f.Other, ",", " ")) {
		if !slices.Contains(events, e) {
			events = append(events, e)
		}
	}
	blocklist := lines(f.Blocklist)
	u := docket.WebhookUpdate{URL: &f.URL, EnabledEvents: &events, APIKeyInflection: &f.Inflection, APIAttributesBlocklist: &blocklist}
	headers := map[string]string{}
	for i, line := range lines(f.Headers) {
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return f, u, docket.Invalid("custom-http-headers", "line %d: write each header as Name: value", i+1)
		}
		if _, dup := headers[name]; dup {
			return f, u, docket.Invalid("custom-http-headers", "line %d: %s is given twice", i+1, name)
		}
		headers[name] = strings.TrimSpace(value)
	}
	u.CustomHTTPHeaders = &headers
	return f, u, nil
}

// lines returns the text's non-blank lines, trimmed.
func lines(text string) []string {
	out := []string{}
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// webhookInputs names the form input that shows errors about each domain field.
var webhookInputs = map[string]string{"url": "url", "enabled-events": "events", "api-key-inflection": "inflection",
	"api-attributes-blocklist": "blocklist", "custom-http-headers": "headers"}

// webhookFormPage renders the create or edit form.
func (h *Handler) webhookFormPage(w http.ResponseWriter, r *http.Request, status int, f *webhookForm, errs map[string]string) error {
	title := "New webhook"
	if f.ID != "" {
		title = "Edit webhook"
	}
	return h.render(w, r, status, "admin_webhook_form", &View{Title: title, Nav: "admin", Errors: errs, Data: f})
}

// webhookFormRefused shows the form again with the store's message beside the input it
// is about; errors that are not about the input are passed on to be shown as a page.
func (h *Handler) webhookFormRefused(w http.ResponseWriter, r *http.Request, f *webhookForm, err error) error {
	status := refusedStatus(err)
	if status == 0 {
		return err
	}
	field, msg := docket.ErrorField(err)
	return h.webhookFormPage(w, r, status, f, map[string]string{inputFor(field, webhookInputs): sentence(msg)})
}

// refusedStatus is the status of a page shown again after the store refused a form: 422
// for an invalid value, 409 for a conflict; 0 for an error that is not about the form
// (not found, forbidden, internal), shown as a page of its own.
func refusedStatus(err error) int {
	switch docket.ErrorCode(err) {
	case docket.EInvalid:
		return http.StatusUnprocessableEntity
	case docket.EConflict:
		return http.StatusConflict
	}
	return 0
}

// webhookLabel names a webhook in messages: its URL.
func webhookLabel(w *docket.Webhook) string { return fmt.Sprintf("The webhook to %s", w.URL) }
